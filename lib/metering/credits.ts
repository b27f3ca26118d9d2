import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { usageQuotas } from "@/db/schema";
import { bookChange, ensureCurrentPeriod } from "./ledger";

/**
 * Bought and granted credits: a balance of their own beside the month's allowance. A metered
 * call spends them only once the allowance is used up; the monthly rollover keeps them. They
 * never expire (the pricing page says so).
 */
export type CreditSource = { reason: "credit_pack" | "credit_grant"; ref?: string | null };

/** Adds credits (creating or rolling the quota row over first). Returns the new credit balance. */
export async function addCredits(
  tx: Tx,
  orgId: string,
  credits: number,
  now: Date,
  source: CreditSource,
): Promise<number> {
  if (!Number.isSafeInteger(credits) || credits <= 0) throw new Error("credits must be a positive integer");
  // The change and its ledger entry in one statement.
  const row = await onCurrentPeriod(tx, orgId, now, async () => {
    const result = await tx.execute<{ credits: number }>(sql`
      with change as (
        update ${usageQuotas} set credits_remaining = credits_remaining + ${credits}::int, updated_at = ${now}::timestamptz
        where org_id = ${orgId}::uuid and period_end > ${now}::timestamptz
        returning org_id, period_start, ${credits}::int as delta, credits_remaining
      ), booked as (${bookChange({ reason: source.reason, ref: source.ref, now })})
      select credits_remaining as credits from change`);
    return result.rows;
  });
  return Number(row.credits);
}

/**
 * Takes back up to `credits` (a refunded pack), never below 0: what was already spent stays
 * spent. Records what was actually taken. Returns the number of credits taken back.
 */
export async function revokeCredits(
  tx: Tx,
  orgId: string,
  credits: number,
  now: Date,
  ref?: string | null,
): Promise<number> {
  // One statement: the row locked and read (`before`, its newest version even after waiting for
  // the lock), the balance lowered by what is there to take, and the ledger entry of that.
  const row = await onCurrentPeriod(tx, orgId, now, async () => {
    const result = await tx.execute<{ taken: number }>(sql`
      with before as (
        select org_id, credits_remaining from ${usageQuotas}
        where org_id = ${orgId}::uuid and period_end > ${now}::timestamptz for update
      ), change as (
        update ${usageQuotas} q set credits_remaining = q.credits_remaining - least(${credits}::int, b.credits_remaining),
          updated_at = ${now}::timestamptz
        from before b where q.org_id = b.org_id and b.credits_remaining > 0 and ${credits}::int > 0
        returning q.org_id, q.period_start, q.credits_remaining - b.credits_remaining as delta
      ), booked as (${bookChange({ reason: "credit_refund", ref, now })})
      select coalesce((select -delta from change), 0) as taken from before`);
    return result.rows;
  });
  return Number(row.taken);
}

/**
 * Runs `change` on the org's current period, which answers a row only when there is one. Most
 * orgs have one: one statement. Otherwise (first use, or the month has ended) the period is
 * opened or rolled over first (`ensureCurrentPeriod`), and `change` runs again.
 */
async function onCurrentPeriod<Row>(tx: Tx, orgId: string, now: Date, change: () => Promise<Row[]>): Promise<Row> {
  const [row] = await change();
  if (row) return row;
  await ensureCurrentPeriod(tx, orgId, now);
  const [again] = await change();
  if (!again) throw new Error("the org has no current quota period");
  return again;
}
