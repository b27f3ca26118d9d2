import { and, eq, lte, sql, SQL } from "drizzle-orm";
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

/**
 * recordQuotaAdjustment as part of the statement that makes the change: the INSERT of a
 * data-modifying CTE, over the statement's CTE `change`, which returns org_id, period_start and
 * the delta actually made. A zero delta books nothing.
 */
export function bookChange(entry: { reason: AdjustmentReason; ref?: string | SQL | null; now: Date }): SQL {
  // A ref given as SQL names a column of `change` (each row its own ref).
  const ref = entry.ref instanceof SQL ? entry.ref : sql`${entry.ref ?? null}::text`;
  return sql`insert into ${quotaAdjustments} (org_id, period_start, balance, delta, reason, ref, created_at)
    select org_id, period_start, ${BALANCE_OF[entry.reason]}::text, delta, ${entry.reason}::text, ${ref}, ${entry.now}::timestamptz
    from change where delta <> 0`;
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
 * A change of the current period's allowance: a new monthly allowance that what is left follows
 * (what was used stays used: an upgrade adds the difference, a downgrade takes it away), or what
 * is left set outright (an operator).
 */
export type AllowanceChange =
  | { reason: "plan_change"; ref?: string | null; quotaMonthly: number }
  | { reason: "operator_set"; ref?: string | null; quotaRemaining: number };

/**
 * Changes the current period's allowance (`quota_remaining`, never below 0) under its row lock
 * and records the change actually made in the ledger, in one statement; credits change in
 * credits.ts. Not the hot path: metered calls decrement in one statement and simply wait for
 * this lock. Returns null when the org has no current period (nothing to adjust).
 */
export async function adjustCurrentPeriod(
  tx: Tx,
  orgId: string,
  now: Date,
  change: AllowanceChange,
): Promise<QuotaRow | null> {
  return (await adjustCurrentPeriods(tx, now, [{ orgId, change }])).get(orgId) ?? null;
}

/**
 * adjustCurrentPeriod for many orgs (a billing transaction that moved several orgs' plans): one
 * statement per kind of change, whatever the number of orgs, their rows locked in org order.
 * Answers the rows changed, by org (an org without a current period has none).
 */
export async function adjustCurrentPeriods(
  tx: Tx,
  now: Date,
  changes: readonly { orgId: string; change: AllowanceChange }[],
): Promise<Map<string, QuotaRow>> {
  const rows = new Map<string, QuotaRow>();
  for (const reason of ["plan_change", "operator_set"] as const) {
    const ofReason = changes.filter(({ change }) => change.reason === reason);
    if (ofReason.length === 0) continue;
    const values = ofReason.map(({ orgId, change }) => {
      const amount = change.reason === "plan_change" ? change.quotaMonthly : change.quotaRemaining;
      return sql`(${orgId}::uuid, ${amount}::int, ${change.ref ?? null}::text)`;
    });
    const [remaining, monthly] =
      reason === "plan_change"
        ? [sql`b.quota_remaining + b.amount - b.quota_monthly`, sql`b.amount`]
        : [sql`b.amount`, sql`b.quota_monthly`];
    // `before` is each row's newest version once locked (even after waiting for the lock).
    const result = await tx.execute<{
      org_id: string;
      period_start: Date | string;
      period_end: Date | string;
      quota_monthly: number;
      quota_remaining: number;
      credits_remaining: number;
    }>(sql`
      with v(org_id, amount, ref) as (values ${sql.join(values, sql`, `)}),
      before as (
        select q.org_id, q.quota_remaining, q.quota_monthly, v.amount, v.ref from ${usageQuotas} q
        join v on v.org_id = q.org_id
        where q.period_end > ${now}::timestamptz order by q.org_id for update of q
      ), change as (
        update ${usageQuotas} q set quota_remaining = greatest(0, ${remaining}), quota_monthly = ${monthly},
          updated_at = ${now}::timestamptz
        from before b where q.org_id = b.org_id
        returning q.org_id, q.period_start, q.period_end, q.quota_monthly, q.quota_remaining, q.credits_remaining,
          q.quota_remaining - b.quota_remaining as delta, b.ref
      ), booked as (${bookChange({ reason, ref: sql`ref`, now })})
      select org_id, period_start, period_end, quota_monthly, quota_remaining, credits_remaining from change`);
    for (const row of result.rows)
      rows.set(row.org_id, {
        periodStart: new Date(row.period_start),
        periodEnd: new Date(row.period_end),
        quotaMonthly: Number(row.quota_monthly),
        quotaRemaining: Number(row.quota_remaining),
        creditsRemaining: Number(row.credits_remaining),
      });
  }
  return rows;
}
