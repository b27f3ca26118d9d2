import { and, eq, gt, lte } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { organizations, quotaAdjustments, usageQuotas } from "@/db/schema";
import { entitlementsFor } from "@/lib/billing";
import { AppError } from "@/lib/http";
import { monthContaining } from "./periods";

/**
 * Every change of `quota_remaining` that is not a charged call goes through this file, so each
 * one lands in `quota_adjustments` in the same transaction and the usage report can recompute
 * the counter from the ledger and `usage_events`.
 */
export type AdjustmentReason = "period_opened" | "credit_pack" | "credit_refund" | "plan_change" | "operator_set";

export async function recordQuotaAdjustment(tx: Tx, entry: { orgId: string; periodStart: Date; delta: number; reason: AdjustmentReason; ref?: string | null; now: Date }) {
  await tx.insert(quotaAdjustments).values({ orgId: entry.orgId, periodStart: entry.periodStart, delta: entry.delta, reason: entry.reason, ref: entry.ref ?? null, createdAt: entry.now });
}

/** The monthly quota the org is entitled to now (its plan's, free limits when not paying). */
export async function entitledQuota(tx: Tx, orgId: string): Promise<number> {
  const [org] = await tx.select({ plan: organizations.plan }).from(organizations).where(eq(organizations.id, orgId));
  if (!org) throw new AppError("not_found", "No such organisation.");
  return entitlementsFor({ plan: org.plan }).monthlyApiQuota;
}

/**
 * THE rollover: once `period_end` has passed, the row starts the calendar month containing
 * `now` with the entitled quota (unused quota and credits do not carry over). One conditional
 * UPDATE: PostgreSQL re-checks `period_end <= now` after taking the row lock, so of several
 * concurrent rollovers (lazy ones in metered calls, the monthly reset) exactly one changes the
 * row and records `period_opened`; the others return false.
 */
export async function rollOverPeriod(tx: Tx, orgId: string, now: Date, quota?: number): Promise<boolean> {
  const monthly = quota ?? (await entitledQuota(tx, orgId));
  const { start, end } = monthContaining(now);
  const rolled = await tx
    .update(usageQuotas)
    .set({ periodStart: start, periodEnd: end, quotaMonthly: monthly, quotaRemaining: monthly, updatedAt: now })
    .where(and(eq(usageQuotas.orgId, orgId), lte(usageQuotas.periodEnd, now)))
    .returning({ orgId: usageQuotas.orgId });
  if (rolled.length === 0) return false;
  await recordQuotaAdjustment(tx, { orgId, periodStart: start, delta: monthly, reason: "period_opened", now });
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
}

/**
 * Changes the current period's counter under its row lock and records the change actually made
 * (after clamping) in the ledger. Not the hot path: metered calls decrement in one statement and
 * simply wait for this lock. Returns null when the org has no current period (nothing to adjust).
 */
export async function adjustCurrentPeriod(
  tx: Tx,
  orgId: string,
  now: Date,
  change: { reason: AdjustmentReason; ref?: string | null; apply: (row: QuotaRow) => { quotaRemaining: number; quotaMonthly?: number } | null },
): Promise<QuotaRow | null> {
  const [row] = await tx
    .select({ periodStart: usageQuotas.periodStart, periodEnd: usageQuotas.periodEnd, quotaMonthly: usageQuotas.quotaMonthly, quotaRemaining: usageQuotas.quotaRemaining })
    .from(usageQuotas)
    .where(and(eq(usageQuotas.orgId, orgId), gt(usageQuotas.periodEnd, now)))
    .for("update");
  if (!row) return null;
  const next = change.apply(row);
  if (!next) return row;
  const quotaRemaining = Math.max(0, next.quotaRemaining);
  const quotaMonthly = next.quotaMonthly ?? row.quotaMonthly;
  await tx.update(usageQuotas).set({ quotaRemaining, quotaMonthly, updatedAt: now }).where(eq(usageQuotas.orgId, orgId));
  const delta = quotaRemaining - row.quotaRemaining;
  if (delta !== 0) await recordQuotaAdjustment(tx, { orgId, periodStart: row.periodStart, delta, reason: change.reason, ref: change.ref, now });
  return { ...row, quotaRemaining, quotaMonthly };
}
