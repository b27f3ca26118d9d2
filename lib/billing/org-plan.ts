import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { organizations, subscriptions, usageQuotas } from "@/db/schema";
import { monthContaining } from "@/lib/metering/periods";
import { entitlementsFor, type SubscriptionStatus } from "./entitlements";
import { PLAN_IDS, planById, type PlanId } from "./plans";

const KNOWN_STATUSES = new Set<string>(["trialing", "active", "past_due", "unpaid", "canceled", "paused", "incomplete", "incomplete_expired"]);

function rank(plan: PlanId) {
  return PLAN_IDS.indexOf(plan);
}

/** Stripe keeps `status: active` while collection is paused; Beacon treats that as paused. */
export function effectiveStatus(status: string | null, pauseCollection: string | null): string | null {
  return pauseCollection && status && status !== "canceled" ? "paused" : status;
}

/** The plan a subscription row entitles to (canceled, unpaid, paused, incomplete, unknown price → free). */
export function entitledPlan(plan: PlanId | null, status: string | null, pauseCollection: string | null = null): PlanId {
  const effective = effectiveStatus(status, pauseCollection);
  if (!plan || !effective || !KNOWN_STATUSES.has(effective)) return "free";
  return entitlementsFor({ plan, subscriptionStatus: effective as SubscriptionStatus }).effectivePlan;
}

/**
 * Sets organizations.plan from the org's subscriptions (the best one still paying wins, so the
 * result does not depend on event order) and moves the current quota period to the new plan's
 * quota, keeping what was already used. Returns the plan.
 */
export async function syncOrgPlan(tx: Tx, orgId: string, now: Date): Promise<PlanId> {
  // Lock the org first: a concurrent event of another subscription of this org then waits and
  // reads our committed subscription row before deciding.
  const [org] = await tx.select({ plan: organizations.plan }).from(organizations).where(eq(organizations.id, orgId)).for("update");
  const rows = await tx
    .select({ plan: subscriptions.plan, status: subscriptions.status, pauseCollection: subscriptions.pauseCollection })
    .from(subscriptions)
    .where(and(eq(subscriptions.orgId, orgId), isNotNull(subscriptions.status)));
  let best: PlanId = "free";
  for (const row of rows) {
    const plan = entitledPlan(row.plan, row.status, row.pauseCollection);
    if (rank(plan) > rank(best)) best = plan;
  }
  if (!org || org.plan === best) return best;
  await tx.update(organizations).set({ plan: best }).where(eq(organizations.id, orgId));
  const quota = planById(best).monthlyApiQuota;
  await tx
    .update(usageQuotas)
    .set({
      quotaMonthly: quota,
      quotaRemaining: sql`greatest(${usageQuotas.quotaRemaining} + ${quota} - ${usageQuotas.quotaMonthly}, 0)`,
      updatedAt: now,
    })
    .where(and(eq(usageQuotas.orgId, orgId), sql`${usageQuotas.periodEnd} > ${now}`));
  return best;
}

/** Adds `credits` to the org's current period (creating or rolling the row over first). */
export async function addCredits(tx: Tx, orgId: string, credits: number, now: Date) {
  const [org] = await tx.select({ plan: organizations.plan }).from(organizations).where(eq(organizations.id, orgId));
  const quota = planById(org?.plan ?? "free").monthlyApiQuota;
  const { start, end } = monthContaining(now);
  const created = await tx
    .insert(usageQuotas)
    .values({ orgId, periodStart: start, periodEnd: end, quotaMonthly: quota, quotaRemaining: quota + credits, updatedAt: now })
    .onConflictDoNothing({ target: usageQuotas.orgId })
    .returning({ orgId: usageQuotas.orgId });
  if (created.length > 0) return;
  const rolled = await tx
    .update(usageQuotas)
    .set({ periodStart: start, periodEnd: end, quotaMonthly: quota, quotaRemaining: quota + credits, updatedAt: now })
    .where(and(eq(usageQuotas.orgId, orgId), sql`${usageQuotas.periodEnd} <= ${now}`))
    .returning({ orgId: usageQuotas.orgId });
  if (rolled.length > 0) return;
  await tx
    .update(usageQuotas)
    .set({ quotaRemaining: sql`${usageQuotas.quotaRemaining} + ${credits}`, updatedAt: now })
    .where(eq(usageQuotas.orgId, orgId));
}

/** Takes back up to `credits` from the current period, never below 0. */
export async function revokeCredits(tx: Tx, orgId: string, credits: number, now: Date) {
  await tx
    .update(usageQuotas)
    .set({ quotaRemaining: sql`greatest(${usageQuotas.quotaRemaining} - ${credits}, 0)`, updatedAt: now })
    .where(eq(usageQuotas.orgId, orgId));
}
