import { and, eq, isNotNull } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { organizations, subscriptions } from "@/db/schema";
import { applyPlanToAlerts } from "@/lib/alerts";
import {
  addCredits as addCreditBalance,
  adjustCurrentPeriod,
  revokeCredits as revokeCreditBalance,
} from "@/lib/metering";
import { entitlementsFor, PLAN_IDS, SUBSCRIPTION_STATUSES, type PlanId, type SubscriptionStatus } from "@/lib/plans";
import { lockOrganizationRow } from "@/lib/orgs";

const KNOWN_STATUSES = new Set<string>(SUBSCRIPTION_STATUSES.filter((s) => s !== "none"));

function rank(plan: PlanId) {
  return PLAN_IDS.indexOf(plan);
}

/**
 * The plan a subscription row entitles to: a row without a known status or price is free, the
 * rest is entitlementsFor's decision (which holds the grace period and the pause rule).
 */
export function entitledPlan(
  plan: PlanId | null,
  status: string | null,
  pauseCollection: string | null = null,
  dunning: { paymentFailedAt: Date | null; now: Date } | null = null,
): PlanId {
  if (!plan || !status || !KNOWN_STATUSES.has(status)) return "free";
  return entitlementsFor({
    plan,
    subscriptionStatus: status as SubscriptionStatus,
    pauseCollection,
    paymentFailedAt: dunning?.paymentFailedAt,
    now: dunning?.now,
  }).effectivePlan;
}

/**
 * Sets organizations.plan from the org's subscriptions (the best one still paying wins, so the
 * result does not depend on event order), moves the current quota period to the new plan's
 * quota, keeping what was already used, and holds or resumes alerts to fit the plan — all in
 * the caller's transaction. Returns the plan.
 */
export async function syncOrgPlan(tx: Tx, orgId: string, now: Date): Promise<PlanId> {
  // Lock the org first: a concurrent event of another subscription of this org then waits and
  // reads our committed subscription row before deciding.
  const org = await lockOrganizationRow(tx, orgId);
  const rows = await tx
    .select({
      plan: subscriptions.plan,
      status: subscriptions.status,
      pauseCollection: subscriptions.pauseCollection,
      paymentFailedAt: subscriptions.paymentFailedAt,
    })
    .from(subscriptions)
    .where(and(eq(subscriptions.orgId, orgId), isNotNull(subscriptions.status)));
  let best: PlanId = "free";
  for (const row of rows) {
    const plan = entitledPlan(row.plan, row.status, row.pauseCollection, { paymentFailedAt: row.paymentFailedAt, now });
    if (rank(plan) > rank(best)) best = plan;
  }
  if (!org) return best;
  if (org.plan !== best) {
    await tx.update(organizations).set({ plan: best }).where(eq(organizations.id, orgId));
    await moveQuotaToPlan(tx, orgId, org.plan, best, now);
  }
  // Always, not only on a change: it also repairs holds that lag behind the plan.
  await applyPlanToAlerts(tx, orgId, now, best);
  return best;
}

async function moveQuotaToPlan(tx: Tx, orgId: string, from: PlanId, best: PlanId, now: Date) {
  // The current period moves to the new allowance keeping what was already used (credits are a
  // balance of their own and do not move):
  // an upgrade adds the difference, a downgrade takes it away but never below 0. An ended
  // period is left alone: its rollover starts from the new plan anyway.
  const quota = entitlementsFor({ plan: best }).monthlyApiQuota;
  await adjustCurrentPeriod(tx, orgId, now, {
    reason: "plan_change",
    ref: `${from}→${best}`,
    quotaMonthly: quota,
  });
}

/** Adds a credit pack's `credits` to the org's credit balance (kept across rollovers, spent after the allowance). */
export async function addCredits(tx: Tx, orgId: string, credits: number, now: Date, ref?: string) {
  await addCreditBalance(tx, orgId, credits, now, { reason: "credit_pack", ref });
}

/** Takes back up to `credits` of a refunded pack from the credit balance, never below 0 (spent credits stay spent). */
export async function revokeCredits(tx: Tx, orgId: string, credits: number, now: Date, ref?: string) {
  return revokeCreditBalance(tx, orgId, credits, now, ref);
}
