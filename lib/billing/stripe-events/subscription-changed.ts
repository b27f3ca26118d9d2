import { sql } from "drizzle-orm";
import { subscriptions } from "@/db/schema";
import { syncOrgPlan } from "../org-plan";
import { planForPrice } from "../prices";
import { existingOrg, idOf, linkCustomer, metadataOrgId, obj, orgForCustomer, str, unixDate } from "./fields";
import type { StripeEventHandler, StripeObject } from "./types";

/** The fields we keep, from either API shape (period end top-level before 2025, on the item after). */
export function subscriptionFields(sub: StripeObject) {
  const items = obj(sub.items)?.data;
  const item = Array.isArray(items) ? obj(items[0]) : null;
  const priceId = idOf(item?.price) ?? idOf(item?.plan) ?? idOf(sub.plan);
  return {
    status: str(sub.status),
    priceId,
    plan: planForPrice(priceId),
    currentPeriodEnd: unixDate(sub.current_period_end) ?? unixDate(item?.current_period_end),
    cancelAtPeriodEnd: sub.cancel_at_period_end === true,
    trialEnd: unixDate(sub.trial_end),
  };
}

/**
 * customer.subscription.created / updated / deleted: the event carries the whole subscription.
 * Ordering guard: the upsert only overwrites when this event is not older than the one last
 * applied (`stripe_event_created`), in the same statement, so concurrent deliveries cannot race.
 */
export const subscriptionChanged: StripeEventHandler = async (tx, event, now) => {
  const sub = event.object;
  const subscriptionId = idOf(sub.id);
  if (!subscriptionId) throw new Error("subscription event without a subscription id");
  const customerId = idOf(sub.customer);
  const fields = subscriptionFields(sub);
  if (event.type === "customer.subscription.deleted" && !fields.status) fields.status = "canceled";

  const metaOrg = await existingOrg(tx, metadataOrgId(sub));
  const orgId = metaOrg ?? (await orgForCustomer(tx, customerId));
  if (metaOrg) await linkCustomer(tx, metaOrg, customerId, now);

  const applied = await tx
    .insert(subscriptions)
    .values({ orgId, stripeSubscriptionId: subscriptionId, stripeCustomerId: customerId, ...fields, stripeEventCreated: event.created, updatedAt: now })
    .onConflictDoUpdate({
      target: subscriptions.stripeSubscriptionId,
      set: {
        orgId: sql`coalesce(excluded.org_id, ${subscriptions.orgId})`,
        stripeCustomerId: sql`coalesce(excluded.stripe_customer_id, ${subscriptions.stripeCustomerId})`,
        status: sql`excluded.status`,
        priceId: sql`excluded.price_id`,
        plan: sql`excluded.plan`,
        currentPeriodEnd: sql`excluded.current_period_end`,
        cancelAtPeriodEnd: sql`excluded.cancel_at_period_end`,
        trialEnd: sql`excluded.trial_end`,
        stripeEventCreated: sql`excluded.stripe_event_created`,
        updatedAt: now,
      },
      setWhere: sql`${subscriptions.stripeEventCreated} is null or ${subscriptions.stripeEventCreated} <= excluded.stripe_event_created`,
    })
    .returning({ orgId: subscriptions.orgId });

  const row = applied[0];
  if (!row) return { orgId, log: `${subscriptionId}: ignored, a newer event was already applied` };
  if (!row.orgId) return { orgId: null, log: `${subscriptionId}: stored ${fields.status ?? "-"}, no org linked yet` };
  const plan = await syncOrgPlan(tx, row.orgId, now);
  return { orgId: row.orgId, log: `${subscriptionId}: ${fields.status ?? "-"}${fields.cancelAtPeriodEnd ? " (cancels at period end)" : ""}, org plan ${plan}` };
};
