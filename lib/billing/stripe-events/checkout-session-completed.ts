import { sql } from "drizzle-orm";
import { creditPacks, subscriptions } from "@/db/schema";
import { addCreditsToOrgs } from "@/lib/metering";
import type { Tx } from "@/db/client";
import { idOf, KEEP_SUBSCRIPTION_LINKS, metadataOrgId, resolveAndLinkOrgs, str } from "./fields";
import { expireOpenSubscriptionCheckouts, keepOneSubscription } from "./one-subscription";
import type { HandlerResult, StripeEventHandler, StripeEventInput } from "./types";

export const CREDIT_PACK_CREDITS = 1_000;

/**
 * Subscription mode: links org ↔ customer ↔ subscription (the subscription's state comes with
 * its own events). Payment mode: a credit pack, granted once per session id. The orgs of all the
 * events in one statement, and the credit packs in two (the packs, the credits).
 */
export const checkoutSessionCompleted: StripeEventHandler = async (tx, events, now) => {
  const orgIds = await resolveAndLinkOrgs(
    tx,
    events.map(({ object: session }) => ({
      candidates: [str(session.client_reference_id), metadataOrgId(session)],
      customerId: idOf(session.customer),
    })),
    now,
  );
  const results: HandlerResult[] = [];
  const subscriptionCheckouts: { at: number; event: StripeEventInput; orgId: string }[] = [];
  const paidPacks: { at: number; orgId: string; sessionId: string; paymentIntentId: string | null }[] = [];
  for (const [i, event] of events.entries()) {
    const session = event.object;
    const orgId = orgIds[i];
    const mode = str(session.mode);
    const paid = session.payment_status === "paid" || session.payment_status === "no_payment_required";
    if (!orgId)
      results.push({
        orgId: null,
        log: `checkout ${String(session.id)}: no org to link (client_reference_id, metadata.org_id, customer all unknown)`,
      });
    else if (mode === "subscription") {
      subscriptionCheckouts.push({ at: i, event, orgId });
      results.push({ orgId, log: "" });
    } else if (mode === "payment" && !paid)
      results.push({
        orgId,
        log: `checkout ${String(session.id)}: payment not completed (${String(session.payment_status)})`,
      });
    else if (mode === "payment") {
      paidPacks.push({
        at: i,
        orgId,
        sessionId: String(session.id),
        paymentIntentId: idOf(session.payment_intent),
      });
      results.push({ orgId, log: "" });
    } else results.push({ orgId, log: `checkout ${String(session.id)}: mode ${mode ?? "-"}, customer linked` });
  }
  const linked = await subscriptionsCompleted(tx, subscriptionCheckouts, now);
  for (const [k, { at }] of subscriptionCheckouts.entries()) results[at] = linked[k]!;
  if (paidPacks.length === 0) return results;
  const inserted = await tx
    .insert(creditPacks)
    .values(
      paidPacks.map(({ orgId, sessionId, paymentIntentId }) => ({
        orgId,
        stripeCheckoutSessionId: sessionId,
        stripePaymentIntentId: paymentIntentId,
        credits: CREDIT_PACK_CREDITS,
        createdAt: now,
      })),
    )
    .onConflictDoNothing({ target: creditPacks.stripeCheckoutSessionId })
    .returning({ sessionId: creditPacks.stripeCheckoutSessionId });
  const granted = new Set(inserted.map((row) => row.sessionId));
  const granting = paidPacks.filter((pack) => granted.has(pack.sessionId));
  await addCreditsToOrgs(
    tx,
    granting.map(({ orgId, sessionId }) => ({ orgId, credits: CREDIT_PACK_CREDITS, ref: sessionId })),
    now,
    "credit_pack",
  );
  for (const { at, sessionId } of paidPacks)
    results[at]!.log = granted.has(sessionId)
      ? `checkout ${sessionId}: +${CREDIT_PACK_CREDITS} credits`
      : `checkout ${sessionId}: credit pack already granted`;
  return results;
};

/**
 * Subscription checkouts, each of its org: links the subscription and the customer's earlier
 * subscriptions to the org, expires the org's other open subscription checkouts and keeps one
 * subscription per org. Five statements for all; Stripe is asked only for an org that has
 * another open checkout or a second live subscription.
 */
async function subscriptionsCompleted(
  tx: Tx,
  completed: readonly { event: StripeEventInput; orgId: string }[],
  now: Date,
): Promise<HandlerResult[]> {
  if (completed.length === 0) return [];
  const read = completed.map(({ event, orgId }) => ({
    event,
    orgId,
    sessionId: String(event.object.id),
    customerId: idOf(event.object.customer),
    subscriptionId: idOf(event.object.subscription),
  }));
  const withSubscription = read.filter((one) => one.subscriptionId);
  if (withSubscription.length > 0)
    await tx
      .insert(subscriptions)
      .values(
        withSubscription.map(({ orgId, subscriptionId, customerId }) => ({
          orgId,
          stripeSubscriptionId: subscriptionId!,
          stripeCustomerId: customerId,
          updatedAt: now,
        })),
      )
      .onConflictDoUpdate({
        target: subscriptions.stripeSubscriptionId,
        set: { ...KEEP_SUBSCRIPTION_LINKS, updatedAt: now },
      });
  // Subscription events that arrived before this one could not name the org yet.
  const withCustomer = read.filter((one) => one.customerId);
  if (withCustomer.length > 0) {
    const links = withCustomer.map(({ customerId, orgId }) => sql`(${customerId}::text, ${orgId}::uuid)`);
    await tx.execute(sql`update ${subscriptions} s set org_id = v.org_id, updated_at = ${now}::timestamptz
      from (values ${sql.join(links, sql`, `)}) as v(customer, org_id)
      where s.stripe_customer_id = v.customer and s.org_id is null`);
  }
  // One subscription per org: the org's other open sessions must not complete too, and one that already did is undone.
  const expired = await expireOpenSubscriptionCheckouts(
    tx,
    read.map(({ orgId, customerId, sessionId }) => ({
      orgId,
      customers: customerId ? [customerId] : [],
      except: sessionId,
    })),
    now,
  );
  const duplicates = await keepOneSubscription(tx, read, now);
  return read.map(({ orgId, sessionId, customerId, subscriptionId }, i) => {
    const expiredNote = expired[i]!.length > 0 ? `; expired open checkouts ${expired[i]!.join(", ")}` : "";
    return {
      orgId,
      log: `checkout ${sessionId}: linked ${customerId ?? "-"} / ${subscriptionId ?? "-"}${expiredNote}${duplicates[i]}`,
      syncsPlan: true,
    };
  });
}
