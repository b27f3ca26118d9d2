import { sql } from "drizzle-orm";
import { billingCustomers, subscriptions } from "@/db/schema";
import { idOf, obj, orgForCustomer } from "./fields";
import type { StripeEventHandler, StripeObject } from "./types";

/** Both invoice shapes: `invoice.subscription` (≤ 2025-03) and `invoice.parent.subscription_details.subscription`. */
export function invoiceSubscriptionId(invoice: StripeObject): string | null {
  return idOf(invoice.subscription) ?? idOf(obj(obj(invoice.parent)?.subscription_details)?.subscription);
}

/**
 * invoice.payment_failed starts dunning (payment_failed_at + failed invoice on the subscription);
 * invoice.paid ends it. Guarded by the invoice event's `created`, so an older event never
 * reopens or closes a newer state. The dunning run itself (e-mails, downgrade) reads these columns.
 */
export const invoicePayment: StripeEventHandler = async (tx, event, now) => {
  const invoice = event.object;
  const subscriptionId = invoiceSubscriptionId(invoice);
  if (!subscriptionId) return { orgId: null, log: `invoice ${String(invoice.id)}: not a subscription invoice` };
  const customerId = idOf(invoice.customer);
  // The customer's org is looked up by the upsert itself (one round trip, not two).
  const orgId = customerId
    ? sql<string | null>`(select org_id from ${billingCustomers} where stripe_customer_id = ${customerId})`
    : null;
  const failed = event.type === "invoice.payment_failed";
  const dunning = failed
    ? { paymentFailedAt: event.created, failedInvoiceId: idOf(invoice.id) }
    : { paymentFailedAt: null, failedInvoiceId: null };

  const applied = await tx
    .insert(subscriptions)
    .values({
      orgId,
      stripeSubscriptionId: subscriptionId,
      stripeCustomerId: customerId,
      ...dunning,
      invoiceEventCreated: event.created,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: subscriptions.stripeSubscriptionId,
      set: {
        orgId: sql`coalesce(${subscriptions.orgId}, excluded.org_id)`,
        stripeCustomerId: sql`coalesce(${subscriptions.stripeCustomerId}, excluded.stripe_customer_id)`,
        // Stripe retries a failed invoice and reports each failure: the grace period runs from the first.
        paymentFailedAt: sql`case when ${subscriptions.failedInvoiceId} = excluded.failed_invoice_id and ${subscriptions.paymentFailedAt} is not null then ${subscriptions.paymentFailedAt} else excluded.payment_failed_at end`,
        failedInvoiceId: sql`excluded.failed_invoice_id`,
        invoiceEventCreated: sql`excluded.invoice_event_created`,
        updatedAt: now,
      },
      setWhere: sql`${subscriptions.invoiceEventCreated} is null or ${subscriptions.invoiceEventCreated} <= excluded.invoice_event_created`,
    })
    .returning({ orgId: subscriptions.orgId });
  const row = applied[0];
  if (!row)
    return {
      orgId: await orgForCustomer(tx, customerId),
      log: `invoice ${String(invoice.id)}: ignored, a newer invoice event was already applied`,
    };
  if (!row.orgId)
    return { orgId: null, log: `invoice ${String(invoice.id)} on ${subscriptionId}: recorded, no org linked yet` };
  const invoiceId = idOf(invoice.id) ?? "";
  return {
    orgId: row.orgId,
    log: `invoice ${invoiceId} on ${subscriptionId}: ${failed ? "payment failed, dunning started" : "paid, dunning cleared"}`,
    // A paid invoice after the grace period gives the plan back; a failure keeps it during grace.
    syncsPlan: true,
    events: [
      {
        name: failed ? "billing/invoice.payment_failed" : "billing/invoice.paid",
        id: `stripe-${event.id}`,
        data: {
          org_id: row.orgId,
          invoice_id: invoiceId,
          subscription_id: subscriptionId,
          stripe_event_id: event.id,
          occurred_at: event.created.toISOString(),
        },
      },
    ],
  };
};
