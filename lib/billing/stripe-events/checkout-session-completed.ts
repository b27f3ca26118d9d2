import { and, eq, isNull, sql } from "drizzle-orm";
import { creditPacks, subscriptions } from "@/db/schema";
import { addCredits } from "../org-plan";
import { idOf, metadataOrgId, resolveAndLinkOrg, str } from "./fields";
import { expireOpenSubscriptionCheckouts, keepOneSubscription } from "./one-subscription";
import type { StripeEventHandler } from "./types";

export const CREDIT_PACK_CREDITS = 1_000;

/**
 * Subscription mode: links org ↔ customer ↔ subscription (the subscription's state comes with
 * its own events). Payment mode: a credit pack, granted once per session id.
 */
export const checkoutSessionCompleted: StripeEventHandler = async (tx, event, now) => {
  const session = event.object;
  const customerId = idOf(session.customer);
  const orgId = await resolveAndLinkOrg(
    tx,
    [str(session.client_reference_id), metadataOrgId(session)],
    customerId,
    now,
  );
  if (!orgId)
    return {
      orgId: null,
      log: `checkout ${String(session.id)}: no org to link (client_reference_id, metadata.org_id, customer all unknown)`,
    };

  const mode = str(session.mode);
  if (mode === "subscription") {
    const subscriptionId = idOf(session.subscription);
    if (subscriptionId) {
      await tx
        .insert(subscriptions)
        .values({ orgId, stripeSubscriptionId: subscriptionId, stripeCustomerId: customerId, updatedAt: now })
        .onConflictDoUpdate({
          target: subscriptions.stripeSubscriptionId,
          set: {
            orgId: sql`coalesce(${subscriptions.orgId}, excluded.org_id)`,
            stripeCustomerId: sql`coalesce(${subscriptions.stripeCustomerId}, excluded.stripe_customer_id)`,
            updatedAt: now,
          },
        });
    }
    // Subscription events that arrived before this one could not name the org yet.
    if (customerId) {
      await tx
        .update(subscriptions)
        .set({ orgId, updatedAt: now })
        .where(and(eq(subscriptions.stripeCustomerId, customerId), isNull(subscriptions.orgId)));
    }
    // One subscription per org: the org's other open sessions must not complete too, and one that already did is undone.
    const expired = await expireOpenSubscriptionCheckouts(
      tx,
      orgId,
      customerId ? [customerId] : [],
      String(session.id),
      now,
    );
    const duplicates = await keepOneSubscription(tx, orgId, event, now);
    const expiredNote = expired.length > 0 ? `; expired open checkouts ${expired.join(", ")}` : "";
    return {
      orgId,
      log: `checkout ${String(session.id)}: linked ${customerId ?? "-"} / ${subscriptionId ?? "-"}${expiredNote}${duplicates}`,
      syncsPlan: true,
    };
  }

  if (mode === "payment") {
    const paid = session.payment_status === "paid" || session.payment_status === "no_payment_required";
    if (!paid)
      return {
        orgId,
        log: `checkout ${String(session.id)}: payment not completed (${String(session.payment_status)})`,
      };
    const inserted = await tx
      .insert(creditPacks)
      .values({
        orgId,
        stripeCheckoutSessionId: String(session.id),
        stripePaymentIntentId: idOf(session.payment_intent),
        credits: CREDIT_PACK_CREDITS,
        createdAt: now,
      })
      .onConflictDoNothing({ target: creditPacks.stripeCheckoutSessionId })
      .returning({ id: creditPacks.id });
    if (inserted.length === 0) return { orgId, log: `checkout ${String(session.id)}: credit pack already granted` };
    await addCredits(tx, orgId, CREDIT_PACK_CREDITS, now, String(session.id));
    return { orgId, log: `checkout ${String(session.id)}: +${CREDIT_PACK_CREDITS} credits` };
  }

  return { orgId, log: `checkout ${String(session.id)}: mode ${mode ?? "-"}, customer linked` };
};
