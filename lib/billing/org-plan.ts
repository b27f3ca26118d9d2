import { and, inArray, isNotNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { organizations, subscriptions } from "@/db/schema";
import { applyPlansToAlerts } from "@/lib/alerts";
import {
  addCredits as addCreditBalance,
  adjustCurrentPeriods,
  revokeCredits as revokeCreditBalance,
} from "@/lib/metering";
import { entitlementsFor, PLAN_IDS, SUBSCRIPTION_STATUSES, type PlanId, type SubscriptionStatus } from "@/lib/plans";
import { lockOrganizationRows } from "@/lib/orgs";

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
  return (await syncOrgPlans(tx, [orgId], now)).get(orgId)!;
}

/**
 * syncOrgPlan for many orgs at once (a batch of Stripe events): the same five statements at
 * most, whatever the number of orgs, their rows locked in id order. Returns each org's plan.
 */
export async function syncOrgPlans(tx: Tx, orgIds: readonly string[], now: Date): Promise<Map<string, PlanId>> {
  const ids = [...new Set(orgIds)];
  if (ids.length === 0) return new Map();
  // Lock the orgs first: a concurrent event of another subscription of one of them then waits
  // and reads our committed subscription row before deciding.
  const orgs = await lockOrganizationRows(tx, ids);
  const rows = await tx
    .select({
      orgId: subscriptions.orgId,
      plan: subscriptions.plan,
      status: subscriptions.status,
      pauseCollection: subscriptions.pauseCollection,
      paymentFailedAt: subscriptions.paymentFailedAt,
    })
    .from(subscriptions)
    .where(and(inArray(subscriptions.orgId, ids), isNotNull(subscriptions.status)));
  const best = new Map<string, PlanId>(ids.map((id) => [id, "free"]));
  for (const row of rows) {
    const plan = entitledPlan(row.plan, row.status, row.pauseCollection, { paymentFailedAt: row.paymentFailedAt, now });
    if (row.orgId && rank(plan) > rank(best.get(row.orgId)!)) best.set(row.orgId, plan);
  }
  const changed = [...orgs.values()].filter((org) => org.plan !== best.get(org.id));
  if (changed.length > 0) {
    const values = changed.map((org) => sql`(${org.id}::uuid, ${best.get(org.id)!}::plan_id)`);
    await tx.execute(
      sql`update ${organizations} o set plan = v.plan from (values ${sql.join(values, sql`, `)}) as v(id, plan) where o.id = v.id`,
    );
    // The current period moves to the new allowance keeping what was already used (credits are
    // a balance of their own and do not move): an upgrade adds the difference, a downgrade takes
    // it away but never below 0. An ended period is left alone: its rollover starts from the new
    // plan anyway.
    await adjustCurrentPeriods(
      tx,
      now,
      changed.map((org) => {
        const plan = best.get(org.id)!;
        const quotaMonthly = entitlementsFor({ plan }).monthlyApiQuota;
        return { orgId: org.id, change: { reason: "plan_change", ref: `${org.plan}→${plan}`, quotaMonthly } };
      }),
    );
  }
  // Always, not only on a change: it also repairs holds that lag behind the plan.
  await applyPlansToAlerts(tx, new Map([...orgs.keys()].map((id) => [id, best.get(id)!])), now);
  return best;
}

/** Adds a credit pack's `credits` to the org's credit balance (kept across rollovers, spent after the allowance). */
export async function addCredits(tx: Tx, orgId: string, credits: number, now: Date, ref?: string) {
  await addCreditBalance(tx, orgId, credits, now, { reason: "credit_pack", ref });
}

/** Takes back up to `credits` of a refunded pack from the credit balance, never below 0 (spent credits stay spent). */
export async function revokeCredits(tx: Tx, orgId: string, credits: number, now: Date, ref?: string) {
  return revokeCreditBalance(tx, orgId, credits, now, ref);
}
