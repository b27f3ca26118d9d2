import { and, eq, isNotNull } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { organizations, subscriptions } from "@/db/schema";
// The inner file, not lib/metering's index: that one imports lib/billing back.
import { addCredits as addCreditBalance, revokeCredits as revokeCreditBalance } from "@/lib/metering/credits";
import { adjustCurrentPeriod } from "@/lib/metering/ledger";
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

/** Days after a failed payment during which the org keeps its plan (dunning e-mails on day 0, 3 and 7). */
export const DUNNING_GRACE_DAYS = 14;
const DAY_MS = 86_400_000;

export function graceEndsAt(paymentFailedAt: Date) {
  return new Date(paymentFailedAt.getTime() + DUNNING_GRACE_DAYS * DAY_MS);
}

/**
 * The plan a subscription row entitles to (canceled, unpaid, paused, incomplete, unknown price
 * → free). An unpaid invoice keeps the plan until the dunning grace period ends, then free.
 */
export function entitledPlan(
  plan: PlanId | null,
  status: string | null,
  pauseCollection: string | null = null,
  dunning: { paymentFailedAt: Date | null; now: Date } | null = null,
): PlanId {
  const effective = effectiveStatus(status, pauseCollection);
  if (!plan || !effective || !KNOWN_STATUSES.has(effective)) return "free";
  if (dunning?.paymentFailedAt && graceEndsAt(dunning.paymentFailedAt) <= dunning.now) return "free";
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
    .select({ plan: subscriptions.plan, status: subscriptions.status, pauseCollection: subscriptions.pauseCollection, paymentFailedAt: subscriptions.paymentFailedAt })
    .from(subscriptions)
    .where(and(eq(subscriptions.orgId, orgId), isNotNull(subscriptions.status)));
  let best: PlanId = "free";
  for (const row of rows) {
    const plan = entitledPlan(row.plan, row.status, row.pauseCollection, { paymentFailedAt: row.paymentFailedAt, now });
    if (rank(plan) > rank(best)) best = plan;
  }
  if (!org || org.plan === best) return best;
  await tx.update(organizations).set({ plan: best }).where(eq(organizations.id, orgId));
  // The current period moves to the new allowance keeping what was already used (credits are a
  // balance of their own and do not move):
  // an upgrade adds the difference, a downgrade takes it away but never below 0. An ended
  // period is left alone: its rollover starts from the new plan anyway.
  const quota = planById(best).monthlyApiQuota;
  await adjustCurrentPeriod(tx, orgId, now, {
    reason: "plan_change",
    ref: `${org.plan}→${best}`,
    apply: (row) => ({ quotaMonthly: quota, quotaRemaining: row.quotaRemaining + quota - row.quotaMonthly }),
  });
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
