import { and, eq, gt, lte } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { organizations, quotaAdjustments, usageQuotas, type QuotaBalance } from "@/db/schema";
import { entitlementsFor } from "@/lib/plans";
import { AppError } from "@/lib/http";
import { monthContaining } from "./periods";

/**
 * Every change of either balance that is not a charged call goes through this file (and
 * credits.ts), so each one lands in `quota_adjustments` in the same transaction and the usage
 * report can recompute both counters from the ledger and `usage_events`.
 */
const BALANCE_OF = {
  period_opened: "allowance",
  plan_change: "allowance",
  operator_set: "allowance",
  credit_pack: "credits",
  credit_refund: "credits",
  credit_grant: "credits",
  credits_carried: "credits",
} as const satisfies Record<string, QuotaBalance>;

export type AdjustmentReason = keyof typeof BALANCE_OF;

/** The balance follows from the reason, so an entry can never be booked to the wrong counter. */
export async function recordQuotaAdjustment(
  tx: Tx,
  entry: { orgId: string; periodStart: Date; delta: number; reason: AdjustmentReason; ref?: string | null; now: Date },
) {
  await tx.insert(quotaAdjustments).values({
    orgId: entry.orgId,
    periodStart: entry.periodStart,
    balance: BALANCE_OF[entry.reason],
    delta: entry.delta,
    reason: entry.reason,
    ref: entry.ref ?? null,
    createdAt: entry.now,
  });
}

/** The monthly quota the org is entitled to now (its plan's, free limits when not paying). */
export async function entitledQuota(tx: Tx, orgId: string): Promise<number> {
  const [org] = await tx.select({ plan: organizations.plan }).from(organizations).where(eq(organizations.id, orgId));
  if (!org) throw new AppError("not_found", "No such organisation.");
  return entitlementsFor({ plan: org.plan }).monthlyApiQuota;
}

/**
 * THE rollover: once `period_end` has passed, the row starts the calendar month containing
 * `now` with the entitled allowance (unused allowance lapses); credits stay as they are and are
 * booked into the new period as `credits_carried`. One conditional UPDATE: PostgreSQL re-checks
 * `period_end <= now` after taking the row lock, so of several concurrent rollovers (lazy ones
 * in metered calls, the monthly reset) exactly one changes the row and records the opening;
 * the others return false.
 */
export async function rollOverPeriod(tx: Tx, orgId: string, now: Date, quota?: number): Promise<boolean> {
  const monthly = quota ?? (await entitledQuota(tx, orgId));
  const { start, end } = monthContaining(now);
  const rolled = await tx
    .update(usageQuotas)
    .set({ periodStart: start, periodEnd: end, quotaMonthly: monthly, quotaRemaining: monthly, updatedAt: now })
    .where(and(eq(usageQuotas.orgId, orgId), lte(usageQuotas.periodEnd, now)))
    .returning({ credits: usageQuotas.creditsRemaining });
  if (rolled.length === 0) return false;
  await recordQuotaAdjustment(tx, { orgId, periodStart: start, delta: monthly, reason: "period_opened", now });
  const credits = rolled[0]!.credits;
  if (credits > 0)
    await recordQuotaAdjustment(tx, { orgId, periodStart: start, delta: credits, reason: "credits_carried", now });
  return true;
}

/**
 * Makes sure the org has a quota row for the period containing `now`: creates it from the plan
 * on first use (the insert yields to the primary key, so concurrent creators cannot both win),
 * or rolls an ended period over.
 */
export async function ensureCurrentPeriod(tx: Tx, orgId: string, now: Date): Promise<void> {
  const quota = await entitledQuota(tx, orgId);
  const { start, end } = monthContaining(now);
  const created = await tx
    .insert(usageQuotas)
    .values({ orgId, periodStart: start, periodEnd: end, quotaMonthly: quota, quotaRemaining: quota, updatedAt: now })
    .onConflictDoNothing({ target: usageQuotas.orgId })
    .returning({ orgId: usageQuotas.orgId });
  if (created.length > 0) {
    await recordQuotaAdjustment(tx, { orgId, periodStart: start, delta: quota, reason: "period_opened", now });
    return;
  }
  await rollOverPeriod(tx, orgId, now, quota);
}

export interface QuotaRow {
  periodStart: Date;
  periodEnd: Date;
  quotaMonthly: number;
  quotaRemaining: number;
  creditsRemaining: number;
}

/**
 * Changes the current period's allowance (`quota_remaining`) under its row lock and records the
 * change actually made (after clamping) in the ledger; credits change in credits.ts. Not the hot
 * path: metered calls decrement in one statement and simply wait for this lock. Returns null
 * when the org has no current period (nothing to adjust).
 */
export async function adjustCurrentPeriod(
  tx: Tx,
  orgId: string,
  now: Date,
  change: {
    reason: "plan_change" | "operator_set";
    ref?: string | null;
    apply: (row: QuotaRow) => { quotaRemaining: number; quotaMonthly?: number } | null;
  },
): Promise<QuotaRow | null> {
  const [row] = await tx
    .select({
      periodStart: usageQuotas.periodStart,
      periodEnd: usageQuotas.periodEnd,
      quotaMonthly: usageQuotas.quotaMonthly,
      quotaRemaining: usageQuotas.quotaRemaining,
      creditsRemaining: usageQuotas.creditsRemaining,
    })
    .from(usageQuotas)
    .where(and(eq(usageQuotas.orgId, orgId), gt(usageQuotas.periodEnd, now)))
    .for("update");
  if (!row) return null;
  const next = change.apply(row);
  if (!next) return row;
  const quotaRemaining = Math.max(0, next.quotaRemaining);
  const quotaMonthly = next.quotaMonthly ?? row.quotaMonthly;
  await tx
    .update(usageQuotas)
    .set({ quotaRemaining, quotaMonthly, updatedAt: now })
    .where(eq(usageQuotas.orgId, orgId));
  const delta = quotaRemaining - row.quotaRemaining;
  if (delta !== 0)
    await recordQuotaAdjustment(tx, {
      orgId,
      periodStart: row.periodStart,
      delta,
      reason: change.reason,
      ref: change.ref,
      now,
    });
  return { ...row, quotaRemaining, quotaMonthly };
}
