import { sql, type AnyColumn, type SQL } from "drizzle-orm";
import { subscriptions } from "@/db/schema";
import { planForPrice } from "../prices";
import { idOf, metadataOrgId, obj, resolveAndLinkOrgs, str, unixDate } from "./fields";
import type { Tx } from "@/db/client";
import type { HandlerResult, StripeEventHandler, StripeObject } from "./types";

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
    pauseCollection: str(obj(sub.pause_collection)?.behavior),
    pauseResumesAt: unixDate(obj(sub.pause_collection)?.resumes_at),
  };
}

/**
 * Where a status sits in a subscription's life, for events stamped in the same second (Stripe's
 * `created` has one-second resolution). What Stripe does within one second runs forward:
 * created incomplete → active or trialing or incomplete_expired, trial end → active or paused,
 * renewal → past_due → unpaid, cancel → canceled (final). So of two same-second states the
 * later one in this order wins, whatever order they arrive in. The rare backward moves (a
 * past_due invoice paid, a resume) are never in the same second as their cause; should one be,
 * the nightly `syncStripeCustomer` converges to Stripe's current state. Same-second states of
 * equal rank (a price change) keep the last arrival.
 */
const LIFECYCLE_RANK: Record<string, number> = {
  incomplete: 0,
  trialing: 1,
  active: 2,
  past_due: 3,
  unpaid: 4,
  paused: 5,
  canceled: 6,
  incomplete_expired: 6,
};

function lifecycleRank(status: SQL | AnyColumn) {
  const cases = Object.entries(LIFECYCLE_RANK).map(([name, rank]) => sql`when ${name} then ${sql.raw(String(rank))}`);
  return sql`(case ${status} ${sql.join(cases, sql` `)} else -1 end)`;
}

export interface AppliedSubscription {
  /** Null when an older state was already applied (nothing changed). */
  applied: { orgId: string | null } | null;
  orgId: string | null;
  status: string | null;
}

/**
 * Stores Stripe's view of one subscription. `asOf` is when that view was true (the event's
 * `created`, or the time it was fetched from the API): the upsert only overwrites state that is
 * not newer, in the same statement, so concurrent deliveries and syncs cannot race.
 */
export async function applySubscription(
  tx: Tx,
  sub: StripeObject,
  asOf: Date,
  now: Date,
  deleted = false,
): Promise<AppliedSubscription> {
  const [applied] = await applySubscriptions(tx, [{ sub, asOf, deleted }], now);
  return applied!;
}

/**
 * applySubscription for many subscriptions (a batch of events), each once: two statements
 * whatever their number (the orgs, then the upsert). One answer per subscription, in order.
 */
export async function applySubscriptions(
  tx: Tx,
  views: readonly { sub: StripeObject; asOf: Date; deleted?: boolean }[],
  now: Date,
): Promise<AppliedSubscription[]> {
  if (views.length === 0) return [];
  const read = views.map(({ sub, asOf, deleted }) => {
    const subscriptionId = idOf(sub.id);
    if (!subscriptionId) throw new Error("subscription without an id");
    const fields = subscriptionFields(sub);
    if (deleted && !fields.status) fields.status = "canceled";
    return { sub, asOf, subscriptionId, customerId: idOf(sub.customer), fields };
  });
  const orgIds = await resolveAndLinkOrgs(
    tx,
    read.map(({ sub, customerId }) => ({ candidates: [metadataOrgId(sub)], customerId })),
    now,
  );
  const applied = await tx
    .insert(subscriptions)
    .values(
      read.map(({ asOf, subscriptionId, customerId, fields }, i) => ({
        orgId: orgIds[i],
        stripeSubscriptionId: subscriptionId,
        stripeCustomerId: customerId,
        ...fields,
        stripeEventCreated: asOf,
        updatedAt: now,
      })),
    )
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
        pauseCollection: sql`excluded.pause_collection`,
        pauseResumesAt: sql`excluded.pause_resumes_at`,
        stripeEventCreated: sql`excluded.stripe_event_created`,
        updatedAt: now,
      },
      // Newer wins; within the same second, the later lifecycle state wins.
      setWhere: sql`${subscriptions.stripeEventCreated} is null or ${subscriptions.stripeEventCreated} < excluded.stripe_event_created
        or (${subscriptions.stripeEventCreated} = excluded.stripe_event_created and ${lifecycleRank(subscriptions.status)} <= ${lifecycleRank(sql`excluded.status`)})`,
    })
    .returning({ subscriptionId: subscriptions.stripeSubscriptionId, orgId: subscriptions.orgId });
  const rowOf = new Map(applied.map((row) => [row.subscriptionId, { orgId: row.orgId }]));
  return read.map(({ subscriptionId, fields }, i) => {
    const row = rowOf.get(subscriptionId) ?? null;
    return { applied: row, orgId: row?.orgId ?? orgIds[i] ?? null, status: fields.status };
  });
}

/**
 * customer.subscription.created / updated / deleted: the event carries the whole subscription.
 * Ordering guard: the upsert only overwrites when this event is newer than the one last applied
 * (`stripe_event_created`), or of the same second and not earlier in the subscription's life
 * (LIFECYCLE_RANK), in the same statement, so concurrent deliveries cannot race. All the events'
 * subscriptions in two statements (one event per subscription: the webhook applies at most one
 * event per customer at once).
 */
export const subscriptionChanged: StripeEventHandler = async (tx, events, now) => {
  const views = events.map((event) => {
    if (!idOf(event.object.id)) throw new Error("subscription event without a subscription id");
    return { sub: event.object, asOf: event.created, deleted: event.type === "customer.subscription.deleted" };
  });
  const outcomes = await applySubscriptions(tx, views, now);
  return events.map(({ object: sub }, i): HandlerResult => {
    const { applied, orgId, status } = outcomes[i]!;
    const subscriptionId = idOf(sub.id)!;
    if (!applied) return { orgId, log: `${subscriptionId}: ignored, a newer event was already applied` };
    if (!applied.orgId) return { orgId: null, log: `${subscriptionId}: stored ${status ?? "-"}, no org linked yet` };
    const paused = obj(sub.pause_collection) ? " (collection paused)" : "";
    return {
      orgId: applied.orgId,
      log: `${subscriptionId}: ${status ?? "-"}${sub.cancel_at_period_end === true ? " (cancels at period end)" : ""}${paused}`,
      syncsPlan: true,
    };
  });
};
