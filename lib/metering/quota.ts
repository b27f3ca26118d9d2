import { eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { groupCalls } from "@/db/group-calls";
import { sqlLiteral, systemStatement } from "@/db/tenant";
import { organizations, usageEvents, usageQuotas, type QuotaBalance } from "@/db/schema";
import type { OrgContext } from "@/lib/context";
import { entitlementsFor, type PlanId } from "@/lib/plans";
import { AppError, newRequestId } from "@/lib/http";
import { countQuotaDecrement } from "@/lib/observability";
import { completeIdempotentRequest, type StoredAnswer } from "./idempotency";
import { adjustCurrentPeriod, ensureCurrentPeriod } from "./ledger";
import { monthContaining } from "./periods";

export interface Charge {
  usageEventId: string;
  /** Where the unit came from: the month's allowance first, then credits. */
  balance: QuotaBalance;
  /** That balance before and after the charge. */
  quotaBefore: number;
  quotaAfter: number;
  /** Allowance + credits left after the charge: the calls the org can still make. */
  available: number;
  periodEnd: Date;
}

async function orgPlan(tx: Tx, orgId: string): Promise<PlanId> {
  const [org] = await tx.select({ plan: organizations.plan }).from(organizations).where(eq(organizations.id, orgId));
  if (!org) throw new AppError("not_found", "No such organisation.");
  return org.plan;
}

interface ChargedRow extends Record<string, unknown> {
  usage_event_id: string;
  balance: QuotaBalance;
  quota_after: number;
  available: number;
  period_end: string;
}

type Call = { orgId: string; keyId: string | null; endpoint: string; requestId: string };

/**
 * The one statement that spends quota: the conditional decrement and the usage event together.
 * The unit comes from the month's allowance while any is left, then from credits. `target`
 * locks the row and decides the balance from its current values (under READ COMMITTED a
 * waiting lock re-reads the row a concurrent charge just changed), so concurrent calls never
 * overspend either balance. Every call of an org updates the same quota row, and the row stays
 * locked until the commit: that lock is what an org's calls queue on under load, so the
 * statement is sent with its commit in one round trip (`ctx.statement`) and the lock is never
 * held while the database waits for the client.
 */
function chargeStatement(call: Call, now: Date) {
  const at = `${sqlLiteral(now.toISOString())}::timestamptz`;
  const orgId = sqlLiteral(call.orgId);
  return `with target as (
      select org_id, case when quota_remaining > 0 then 'allowance' else 'credits' end as balance
      from usage_quotas
      where org_id = ${orgId} and (quota_remaining > 0 or credits_remaining > 0) and period_end > ${at}
      for update
    ), charged as (
      update usage_quotas q set
        quota_remaining = q.quota_remaining - case when t.balance = 'allowance' then 1 else 0 end,
        credits_remaining = q.credits_remaining - case when t.balance = 'credits' then 1 else 0 end,
        updated_at = ${at}
      from target t where q.org_id = t.org_id
      returning t.balance, case when t.balance = 'allowance' then q.quota_remaining else q.credits_remaining end as left_after,
        q.quota_remaining + q.credits_remaining as available, q.period_end
    )
    insert into usage_events (org_id, api_key_id, endpoint, request_id, balance, quota_before, quota_after, created_at)
    select ${orgId}::uuid, ${sqlLiteral(call.keyId)}::uuid, ${sqlLiteral(call.endpoint)}, ${sqlLiteral(call.requestId)}, balance, left_after + 1, left_after, ${at} from charged
    returning id as usage_event_id, balance, quota_after, (select available from charged) as available, (select to_json(period_end) #>> '{}' from charged) as period_end`;
}

function toCharge(row: ChargedRow | undefined): Charge | undefined {
  if (!row) return undefined;
  const quotaAfter = Number(row.quota_after);
  return {
    usageEventId: row.usage_event_id,
    balance: row.balance,
    quotaBefore: quotaAfter + 1,
    quotaAfter,
    available: Number(row.available),
    periodEnd: new Date(row.period_end),
  };
}

/**
 * Charges one metered call: decrements the org's quota and records the usage event in one
 * transaction. Throws 402 `quota_exhausted` when nothing is left in the current period. The
 * event names the API key when one acts, and the request the context serves (a charge made
 * outside a request, by seeding or a test, gets an id of its own: every event names one).
 */
export async function chargeApiCall(ctx: OrgContext, endpoint: string): Promise<Charge> {
  const { orgId } = ctx;
  const now = ctx.now();
  const keyId = ctx.actor.kind === "apiKey" ? ctx.actor.keyId : null;
  const requestId = ctx.requestId ?? newRequestId();
  const statement = chargeStatement({ orgId, keyId, endpoint, requestId }, now);
  // The usual case: the period's row exists and has quota left. One round trip.
  const charged = toCharge((await ctx.statement<ChargedRow>(statement))[0]);
  if (charged) {
    countQuotaDecrement();
    return charged;
  }
  const retried = await ctx.transaction(async (tx) => {
    // No row yet, or the period ended. Retry even when another transaction did the
    // create/rollover first (then ours changed nothing, but the fresh quota is there).
    await ensureCurrentPeriod(tx, orgId, now);
    const charge = toCharge((await tx.execute<ChargedRow>(sql.raw(statement))).rows[0]);
    if (!charge) {
      throw new AppError(
        "quota_exhausted",
        "This organisation has used its API quota and credits for the current period. It resets at the start of next month; buy credits or upgrade your plan.",
        {
          headers: { "x-quota-remaining": "0" },
        },
      );
    }
    return charge;
  });
  // Counted after the commit: a rolled-back charge spent nothing.
  countQuotaDecrement();
  return retried;
}

/**
 * Gives back a charge our side could not serve (5xx) to the balance it came from (allowance or
 * credits), only into the same period, and records the outcome on the usage event: one
 * statement in one round trip (`ctx.statement`), because it runs when the database has just
 * failed us. Safe to repeat (the caller retries it when the connection dropped, possibly after
 * our commit): only a still-charged event gives a unit back. quota_after = quota_before marks
 * the event refunded (the usage report counts it free), set only when the unit really went
 * back: a period that rolled over meanwhile keeps the charge (each period's ledger balances).
 */
export async function refundApiCall(ctx: OrgContext, charge: Charge, status: number, durationMs: number) {
  const now = ctx.now();
  const event = sqlLiteral(charge.usageEventId);
  const stillCharged = `select 1 from usage_events where id = ${event} and quota_after < quota_before and balance = ${sqlLiteral(charge.balance)}`;
  await ctx.statement(
    `with restored as (
      update usage_quotas set ${charge.balance === "credits" ? "credits_remaining = credits_remaining + 1" : "quota_remaining = quota_remaining + 1"},
        updated_at = ${sqlLiteral(now.toISOString())}::timestamptz
      where org_id = ${sqlLiteral(ctx.orgId)} and period_end = ${sqlLiteral(charge.periodEnd.toISOString())}::timestamptz and exists (${stillCharged})
      returning 1
    )
    update usage_events set status = ${sqlLiteral(status)}, duration_ms = ${sqlLiteral(durationMs)},
      quota_after = case when exists (select 1 from restored) then quota_before else quota_after end
    where id = ${event} and quota_after < quota_before`,
  );
}

interface Outcome {
  orgId: string;
  usageEventId: string;
  status: number;
  durationMs: number;
}

// Every charged call ends here: the outcomes of calls ending together go in one statement, across
// orgs (so as the system, each row still matched by its own org), in one round trip.
const recordOutcome = groupCalls(async (outcomes: Outcome[]) => {
  const rows = outcomes.map(
    (o) =>
      `(${sqlLiteral(o.usageEventId)}::uuid, ${sqlLiteral(o.orgId)}::uuid, ${sqlLiteral(o.status)}, ${sqlLiteral(o.durationMs)})`,
  );
  await systemStatement(
    "metering",
    `update usage_events u set status = v.status, duration_ms = v.duration_ms
       from (values ${rows.join(", ")}) as v(id, org_id, status, duration_ms)
      where u.id = v.id and u.org_id = v.org_id`,
  );
  return outcomes.map(() => undefined);
});

/** Records how a charged call ended and, with an Idempotency-Key, stores its answer for repeats. */
export async function finishMeteredCall(
  ctx: OrgContext,
  usageEventId: string,
  outcome: { status: number; durationMs: number; idempotency?: { id: string; answer: StoredAnswer } },
) {
  if (!outcome.idempotency) {
    await recordOutcome({ orgId: ctx.orgId, usageEventId, status: outcome.status, durationMs: outcome.durationMs });
    return;
  }
  const idempotency = outcome.idempotency;
  const now = ctx.now();
  await ctx.transaction(async (tx) => {
    await tx
      .update(usageEvents)
      .set({ status: outcome.status, durationMs: outcome.durationMs })
      .where(eq(usageEvents.id, usageEventId));
    await completeIdempotentRequest(tx, idempotency.id, idempotency.answer, now);
  });
}

/** Operators and tests: sets what is left in the current period (creating the row if needed). */
export async function setQuotaRemaining(ctx: OrgContext, remaining: number) {
  const { orgId } = ctx;
  const now = ctx.now();
  if (!Number.isSafeInteger(remaining) || remaining < 0)
    throw new AppError("validation_failed", "The remaining quota must be a whole number ≥ 0.", {
      errors: [{ path: "remaining", message: "must be an integer ≥ 0" }],
    });
  return ctx.transaction(async (tx) => {
    await ensureCurrentPeriod(tx, orgId, now);
    const row = await adjustCurrentPeriod(tx, orgId, now, {
      reason: "operator_set",
      apply: () => ({ quotaRemaining: remaining }),
    });
    return { org_id: orgId, quota_remaining: row!.quotaRemaining };
  });
}

export interface UsageReport {
  plan: PlanId;
  /** The month's allowance and what is left of it (renews at period_end). */
  quota_monthly: number;
  quota_remaining: number;
  /** Bought or granted credits left: spent after the allowance, never expire. */
  credits_remaining: number;
  period_start: string;
  period_end: string;
}

/** The org's plan, allowance and credits for the current period. A pure read: a period not yet started shows as fresh (credits kept). */
export async function usageReport(ctx: OrgContext): Promise<UsageReport> {
  const { orgId } = ctx;
  const now = ctx.now();
  return ctx.transaction(async (tx) => {
    const plan = await orgPlan(tx, orgId);
    const [row] = await tx.select().from(usageQuotas).where(eq(usageQuotas.orgId, orgId));
    const credits = row?.creditsRemaining ?? 0;
    if (row && row.periodEnd > now) {
      return {
        plan,
        quota_monthly: row.quotaMonthly,
        quota_remaining: row.quotaRemaining,
        credits_remaining: credits,
        period_start: row.periodStart.toISOString(),
        period_end: row.periodEnd.toISOString(),
      };
    }
    const quota = entitlementsFor({ plan }).monthlyApiQuota;
    const { start, end } = monthContaining(now);
    return {
      plan,
      quota_monthly: quota,
      quota_remaining: quota,
      credits_remaining: credits,
      period_start: start.toISOString(),
      period_end: end.toISOString(),
    };
  });
}
