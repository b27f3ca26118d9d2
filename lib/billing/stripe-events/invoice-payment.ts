import { sql } from "drizzle-orm";
import { billingCustomers, subscriptions } from "@/db/schema";
import { idOf, KEEP_SUBSCRIPTION_LINKS, obj, orgForCustomer } from "./fields";
import type { HandlerResult, StripeEventHandler, StripeObject } from "./types";

/** Both invoice shapes: `invoice.subscription` (≤ 2025-03) and `invoice.parent.subscription_details.subscription`. */
export function invoiceSubscriptionId(invoice: StripeObject): string | null {
  return idOf(invoice.subscription) ?? idOf(obj(obj(invoice.parent)?.subscription_details)?.subscription);
}

/**
 * invoice.payment_failed starts dunning (payment_failed_at + failed invoice on the subscription);
 * invoice.paid ends it. Guarded by the invoice event's `created`, so an older event never
 * reopens or closes a newer state. The dunning run itself (e-mails, downgrade) reads these columns.
 * All the events' subscriptions in one upsert (one event per subscription: the webhook applies
 * at most one event per customer at once).
 */
export const invoicePayment: StripeEventHandler = async (tx, events, now) => {
  const read = events.map((event) => {
    const invoice = event.object;
    return {
      event,
      invoiceId: idOf(invoice.id) ?? "",
      subscriptionId: invoiceSubscriptionId(invoice),
      customerId: idOf(invoice.customer),
      failed: event.type === "invoice.payment_failed",
    };
  });
  const onSubscriptions = read.filter((one) => one.subscriptionId !== null);
  const applied =
    onSubscriptions.length > 0
      ? await tx
          .insert(subscriptions)
          .values(
            onSubscriptions.map(({ event, invoiceId, subscriptionId, customerId, failed }) => ({
              // The customer's org is looked up by the upsert itself (one round trip, not two).
              orgId: customerId
                ? sql<string | null>`(select org_id from ${billingCustomers} where stripe_customer_id = ${customerId})`
                : null,
              stripeSubscriptionId: subscriptionId!,
              stripeCustomerId: customerId,
              paymentFailedAt: failed ? event.created : null,
              failedInvoiceId: failed ? invoiceId || null : null,
              invoiceEventCreated: event.created,
              updatedAt: now,
            })),
          )
          .onConflictDoUpdate({
            target: subscriptions.stripeSubscriptionId,
            set: {
              ...KEEP_SUBSCRIPTION_LINKS,
              // Stripe retries a failed invoice and reports each failure: the grace period runs from the first.
              paymentFailedAt: sql`case when ${subscriptions.failedInvoiceId} = excluded.failed_invoice_id and ${subscriptions.paymentFailedAt} is not null then ${subscriptions.paymentFailedAt} else excluded.payment_failed_at end`,
              failedInvoiceId: sql`excluded.failed_invoice_id`,
              invoiceEventCreated: sql`excluded.invoice_event_created`,
              updatedAt: now,
            },
            setWhere: sql`${subscriptions.invoiceEventCreated} is null or ${subscriptions.invoiceEventCreated} <= excluded.invoice_event_created`,
          })
          .returning({ subscriptionId: subscriptions.stripeSubscriptionId, orgId: subscriptions.orgId })
      : [];
  const rowOf = new Map(applied.map((row) => [row.subscriptionId, row]));
  const results: HandlerResult[] = [];
  for (const { event, invoiceId, subscriptionId, customerId, failed } of read) {
    if (!subscriptionId) {
      results.push({ orgId: null, log: `invoice ${String(event.object.id)}: not a subscription invoice` });
      continue;
    }
    const row = rowOf.get(subscriptionId);
    if (!row) {
      results.push({
        orgId: await orgForCustomer(tx, customerId),
        log: `invoice ${String(event.object.id)}: ignored, a newer invoice event was already applied`,
      });
      continue;
    }
    if (!row.orgId) {
      results.push({
        orgId: null,
        log: `invoice ${String(event.object.id)} on ${subscriptionId}: recorded, no org linked yet`,
      });
      continue;
    }
    results.push({
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
    });
  }
  return results;
};
