import { and, eq, sql } from "drizzle-orm";
import { subscriptions } from "@/db/schema";
import { idOf } from "./fields";
import { invoiceSubscriptionId } from "./invoice-payment";
import { oneAtATime, type StripeEventHandler } from "./types";

/**
 * invoice.voided / invoice.marked_uncollectible: Stripe will not collect this invoice any more,
 * so dunning for it ends (the failure is cleared only when it is this invoice's). What the org
 * may use from then on follows the subscription's own status, which Stripe reports separately
 * (unpaid or canceled, per the account's settings).
 */
export const invoiceClosed: StripeEventHandler = oneAtATime(async (tx, event, now) => {
  const invoiceId = idOf(event.object.id);
  const subscriptionId = invoiceSubscriptionId(event.object);
  if (!invoiceId || !subscriptionId)
    return { orgId: null, log: `invoice ${String(invoiceId)}: not a subscription invoice` };
  const [cleared] = await tx
    .update(subscriptions)
    .set({ paymentFailedAt: null, failedInvoiceId: null, invoiceEventCreated: event.created, updatedAt: now })
    .where(
      and(
        eq(subscriptions.stripeSubscriptionId, subscriptionId),
        eq(subscriptions.failedInvoiceId, invoiceId),
        sql`(${subscriptions.invoiceEventCreated} is null or ${subscriptions.invoiceEventCreated} <= ${event.created})`,
      ),
    )
    .returning({ orgId: subscriptions.orgId });
  if (!cleared)
    return { orgId: null, log: `invoice ${invoiceId} ${event.type}: not the failing invoice, nothing to end` };
  return {
    orgId: cleared.orgId,
    log: `invoice ${invoiceId} on ${subscriptionId}: ${event.type}, dunning ended`,
    syncsPlan: true,
  };
});
