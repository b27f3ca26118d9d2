import { and, gte, inArray, lte, sql } from "drizzle-orm";
import { onboardingProgress, organizations, stripeEvents, subscriptions } from "@/db/schema";
import { PLANS, type PlanId } from "@/lib/plans";
import { planForPrice } from "@/lib/billing";
import type { OperatorActor, ServiceContext } from "@/lib/context";
import { cockpitContext } from "./cockpit-context";

/**
 * Business numbers for the cockpit overview (SPEC §8), with their definitions:
 *
 * - MRR: the monthly list price (lib/plans) of every subscription that is `active` or
 *   `past_due` (still subscribed, being dunned), except those whose collection is paused.
 *   Trialing subscriptions are not revenue yet: their would-be MRR is shown separately.
 * - Churn (30 d): of the subscriptions paying when the window started, the share canceled in it.
 *   Canceled = a processed `customer.subscription.deleted` whose Stripe `created` is in the last
 *   30 days, not during a trial. Paying at the start is reconstructed (there is no history
 *   table): paying now + canceled in the window, leaving out subscriptions created in the window
 *   (`customer.subscription.created` in it). Null when nothing was paying at the start.
 * - Onboarding funnel: organisations created in the last 30 days, and how many of them completed
 *   the profile, saved a first alert, and pay (a subscription active or past-due now). Each step
 *   counts the cohort members that reached it; percentages are of the sign-ups.
 */
export const CHURN_WINDOW_DAYS = 30;
export const FUNNEL_WINDOW_DAYS = 30;

const PAYING = ["active", "past_due"];

export interface BusinessMetrics {
  mrrCents: number;
  trialingMrrCents: number;
  /** Paying subscriptions whose plan/price is unknown (not in MRR). */
  unpricedSubscriptions: number;
  subscriptions: { active: number; trialing: number; pastDue: number };
  churn: { windowDays: number; canceled: number; payingAtStart: number; rate: number | null };
  funnel: { windowDays: number; signedUp: number; profile: number; firstAlert: number; paid: number };
}

function monthlyCents(plan: PlanId | null): number | null {
  if (!plan) return null;
  return PLANS.find((p) => p.id === plan)?.monthlyPriceCents ?? null;
}

export async function businessMetrics(ctx: ServiceContext<OperatorActor>): Promise<BusinessMetrics> {
  const now = ctx.now();
  const reads = cockpitContext(ctx);
  const windowStart = new Date(now.getTime() - CHURN_WINDOW_DAYS * 86_400_000);
  const funnelStart = new Date(now.getTime() - FUNNEL_WINDOW_DAYS * 86_400_000);

  const [subs, canceledRows, startedRows, funnelRows] = await Promise.all([
    reads.transaction((tx) =>
      tx
        .select({
          id: subscriptions.stripeSubscriptionId,
          status: subscriptions.status,
          plan: subscriptions.plan,
          priceId: subscriptions.priceId,
          pauseCollection: subscriptions.pauseCollection,
        })
        .from(subscriptions)
        .where(inArray(subscriptions.status, [...PAYING, "trialing"])),
    ),
    // Canceled in the window, unless the cancellation came during a trial (no revenue was lost).
    reads.transaction((tx) =>
      tx.execute<{ id: string }>(sql`
      select distinct e.object_id as id
      from ${stripeEvents} e
      left join ${subscriptions} s on s.stripe_subscription_id = e.object_id
      where e.type = 'customer.subscription.deleted' and e.status = 'processed' and e.object_id is not null
        and e.created >= ${windowStart.toISOString()}::timestamptz and e.created <= ${now.toISOString()}::timestamptz
        and (s.trial_end is null or s.trial_end < e.created)
    `),
    ),
    reads.transaction((tx) =>
      tx
        .selectDistinct({ id: stripeEvents.objectId })
        .from(stripeEvents)
        .where(
          and(
            sql`${stripeEvents.type} = 'customer.subscription.created'`,
            gte(stripeEvents.created, windowStart),
            lte(stripeEvents.created, now),
          ),
        ),
    ),
    reads.transaction((tx) =>
      tx
        .select({
          signedUp: sql<number>`count(*)::int`,
          profile: sql<number>`count(${onboardingProgress.profileCompletedAt})::int`,
          firstAlert: sql<number>`count(${onboardingProgress.alertCompletedAt})::int`,
          paid: sql<number>`count(*) filter (where exists (select 1 from ${subscriptions} s where s.org_id = ${organizations.id} and s.status in ('active', 'past_due')))::int`,
        })
        .from(organizations)
        .leftJoin(onboardingProgress, sql`${onboardingProgress.orgId} = ${organizations.id}`)
        .where(and(gte(organizations.createdAt, funnelStart), lte(organizations.createdAt, now))),
    ),
  ]);

  let mrrCents = 0;
  let trialingMrrCents = 0;
  let unpriced = 0;
  const counts = { active: 0, trialing: 0, pastDue: 0 };
  const payingNow = new Set<string>();
  for (const s of subs) {
    if (s.status === "active") counts.active += 1;
    else if (s.status === "past_due") counts.pastDue += 1;
    else counts.trialing += 1;
    const cents = monthlyCents(s.plan ?? planForPrice(s.priceId));
    if (s.status === "trialing") {
      trialingMrrCents += cents ?? 0;
      continue;
    }
    payingNow.add(s.id);
    if (s.pauseCollection) continue;
    if (cents === null) unpriced += 1;
    else mrrCents += cents;
  }

  // Subscriptions created in the window were not part of the starting base: neither side counts them.
  const started = new Set(startedRows.map((r) => r.id).filter((id): id is string => id !== null));
  const churned = canceledRows.rows.map((r) => r.id).filter((id) => !started.has(id)).length;
  const stillPaying = [...payingNow].filter((id) => !started.has(id)).length;
  const payingAtStart = stillPaying + churned;
  const funnel = funnelRows[0]!;
  return {
    mrrCents,
    trialingMrrCents,
    unpricedSubscriptions: unpriced,
    subscriptions: counts,
    churn: {
      windowDays: CHURN_WINDOW_DAYS,
      canceled: churned,
      payingAtStart,
      rate: payingAtStart > 0 ? churned / payingAtStart : null,
    },
    funnel: {
      windowDays: FUNNEL_WINDOW_DAYS,
      signedUp: Number(funnel.signedUp),
      profile: Number(funnel.profile),
      firstAlert: Number(funnel.firstAlert),
      paid: Number(funnel.paid),
    },
  };
}
