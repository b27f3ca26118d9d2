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
  const [balance] = await addCreditsToOrgs(tx, [{ orgId, credits, ref: source.ref }], now, source.reason);
  return balance!;
}

/**
 * addCredits for many grants at once (a batch of credit packs): one statement for the changes
 * and their ledger entries (one more for each further grant to an org already in it). Returns
 * each grant's new balance, in order.
 */
export async function addCreditsToOrgs(
  tx: Tx,
  grants: readonly { orgId: string; credits: number; ref?: string | null }[],
  now: Date,
  reason: CreditSource["reason"],
): Promise<number[]> {
  for (const { credits } of grants)
    if (!Number.isSafeInteger(credits) || credits <= 0) throw new Error("credits must be a positive integer");
  return inOrgWaves(grants, (byOrg) =>
    onCurrentPeriods(tx, [...byOrg.keys()], now, async (orgIds) => {
      const result = await tx.execute<{ org_id: string; credits: number }>(sql`
      with v(org_id, credits, ref) as (values ${valuesOf(orgIds.map((id) => byOrg.get(id)!))}),
      change as (
        update ${usageQuotas} q set credits_remaining = q.credits_remaining + v.credits, updated_at = ${now}::timestamptz
        from v where q.org_id = v.org_id and q.period_end > ${now}::timestamptz
        returning q.org_id, q.period_start, v.credits as delta, q.credits_remaining, v.ref
      ), booked as (${bookChange({ reason, ref: sql`ref`, now })})
      select org_id, credits_remaining as credits from change`);
      return result.rows;
    }),
  ).then((rows) => rows.map((row) => Number(row.credits)));
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
  const [taken] = await revokeCreditsOfOrgs(tx, [{ orgId, credits, ref }], now);
  return taken!;
}

/** revokeCredits for many refunds at once (as addCreditsToOrgs). Returns what each took back, in order. */
export async function revokeCreditsOfOrgs(
  tx: Tx,
  revokes: readonly { orgId: string; credits: number; ref?: string | null }[],
  now: Date,
): Promise<number[]> {
  // One statement: the rows locked in org order and read (`before`, each row's newest version
  // even after waiting for the lock), the balances lowered by what is there to take, and the
  // ledger entries of that.
  return inOrgWaves(revokes, (byOrg) =>
    onCurrentPeriods(tx, [...byOrg.keys()], now, async (orgIds) => {
      const result = await tx.execute<{ org_id: string; taken: number }>(sql`
      with v(org_id, credits, ref) as (values ${valuesOf(orgIds.map((id) => byOrg.get(id)!))}),
      before as (
        select q.org_id, q.credits_remaining, v.credits as wanted, v.ref from ${usageQuotas} q
        join v on v.org_id = q.org_id
        where q.period_end > ${now}::timestamptz order by q.org_id for update of q
      ), change as (
        update ${usageQuotas} q set credits_remaining = q.credits_remaining - least(b.wanted, b.credits_remaining),
          updated_at = ${now}::timestamptz
        from before b where q.org_id = b.org_id and b.credits_remaining > 0 and b.wanted > 0
        returning q.org_id, q.period_start, q.credits_remaining - b.credits_remaining as delta, b.ref
      ), booked as (${bookChange({ reason: "credit_refund", ref: sql`ref`, now })})
      select b.org_id, coalesce(-c.delta, 0) as taken from before b left join change c on c.org_id = b.org_id`);
      return result.rows;
    }),
  ).then((rows) => rows.map((row) => Number(row.taken)));
}

/**
 * Runs `apply` on waves of the changes, each holding at most one change per org (one statement
 * changes a row once), in order: an org's second change goes in the next wave. Answers each
 * change's row, in the changes' order.
 */
async function inOrgWaves<Change extends { orgId: string }, Row>(
  changes: readonly Change[],
  apply: (byOrg: Map<string, Change>) => Promise<Map<string, Row>>,
): Promise<Row[]> {
  const waves: Map<string, Change>[] = [];
  const waveOf = changes.map((change) => {
    let wave = waves.findIndex((byOrg) => !byOrg.has(change.orgId));
    if (wave < 0) wave = waves.push(new Map()) - 1;
    waves[wave]!.set(change.orgId, change);
    return wave;
  });
  const rows: Map<string, Row>[] = [];
  for (const wave of waves) rows.push(await apply(wave));
  return changes.map((change, i) => rows[waveOf[i]!]!.get(change.orgId)!);
}

function valuesOf(changes: readonly { orgId: string; credits: number; ref?: string | null }[]) {
  return sql.join(
    changes.map(({ orgId, credits, ref }) => sql`(${orgId}::uuid, ${credits}::int, ${ref ?? null}::text)`),
    sql`, `,
  );
}

/**
 * Runs `change` on the orgs' current periods, which answers a row (with `org_id`) only for an
 * org that has one. Most orgs have one: one statement. For the others (first use, or the month
 * has ended) the period is opened or rolled over first (`ensureCurrentPeriod`), and `change`
 * runs again for them.
 */
async function onCurrentPeriods<Row extends { org_id: string }>(
  tx: Tx,
  orgIds: readonly string[],
  now: Date,
  change: (orgIds: readonly string[]) => Promise<Row[]>,
): Promise<Map<string, Row>> {
  const rows = new Map((await change(orgIds)).map((row) => [row.org_id, row]));
  const missing = orgIds.filter((id) => !rows.has(id));
  if (missing.length === 0) return rows;
  for (const orgId of missing) await ensureCurrentPeriod(tx, orgId, now);
  for (const row of await change(missing)) rows.set(row.org_id, row);
  if (rows.size !== orgIds.length) throw new Error("the org has no current quota period");
  return rows;
}
