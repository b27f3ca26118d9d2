import { eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { groupCalls, groupCallsBy } from "@/db/group-calls";
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
  ord: number;
  usage_event_id: string;
  balance: QuotaBalance;
  quota_after: number;
  available: number;
  period_end: string;
}

type Call = { keyId: string | null; endpoint: string; requestId: string; now: Date };

/**
 * The one statement that spends quota: the conditional decrement of one org's quota for a batch
 * of calls and each call's usage event, together. The units come from the month's allowance while
 * any is left, then from credits, in the calls' order; calls past what is left get nothing (no
 * row) and each learns so on its own. `target` locks the row and decides from its current values
 * (under READ COMMITTED a waiting lock re-reads the row a concurrent charge just changed), so
 * concurrent charges never overspend either balance. Every call of an org updates the same quota
 * row, and the row stays locked until the commit: that lock is what an org's calls queue on under
 * load, so the calls arriving together share one statement, sent with its commit in one round
 * trip (`ctx.statement`), and the lock is never held while the database waits for the client.
 */
function chargeStatement(orgId: string, calls: readonly Call[]) {
  const latest = calls.reduce((at, call) => (call.now > at ? call.now : at), calls[0]!.now);
  const at = `${sqlLiteral(latest.toISOString())}::timestamptz`;
  const org = sqlLiteral(orgId);
  const values = calls.map(
    (call, i) =>
      `(${i + 1}, ${sqlLiteral(call.keyId)}::uuid, ${sqlLiteral(call.endpoint)}::text, ${sqlLiteral(call.requestId)}::text, ${sqlLiteral(call.now.toISOString())}::timestamptz)`,
  );
  const n = calls.length;
  return `with calls(ord, api_key_id, endpoint, request_id, created_at) as (values ${values.join(", ")}),
    target as (
      select org_id, quota_remaining as allowance_before, credits_remaining as credits_before,
        least(quota_remaining, ${n}) as from_allowance,
        least(credits_remaining, ${n} - least(quota_remaining, ${n})) as from_credits
      from usage_quotas
      where org_id = ${org} and (quota_remaining > 0 or credits_remaining > 0) and period_end > ${at}
      for update
    ), charged as (
      update usage_quotas q set
        quota_remaining = q.quota_remaining - t.from_allowance,
        credits_remaining = q.credits_remaining - t.from_credits,
        updated_at = ${at}
      from target t where q.org_id = t.org_id
      returning t.allowance_before, t.credits_before, t.from_allowance, t.from_credits, q.period_end
    ), granted as (
      select c.*, ch.period_end,
        case when c.ord <= ch.from_allowance then 'allowance' else 'credits' end as balance,
        case when c.ord <= ch.from_allowance then ch.allowance_before - c.ord + 1
          else ch.credits_before - (c.ord - ch.from_allowance) + 1 end as quota_before,
        ch.allowance_before + ch.credits_before - c.ord as available
      from calls c cross join charged ch
      where c.ord <= ch.from_allowance + ch.from_credits
    ), recorded as (
      insert into usage_events (org_id, api_key_id, endpoint, request_id, balance, quota_before, quota_after, created_at)
      select ${org}::uuid, api_key_id, endpoint, request_id, balance, quota_before, quota_before - 1, created_at from granted
      returning id, balance, quota_before
    )
    select g.ord, r.id as usage_event_id, g.balance, g.quota_before - 1 as quota_after, g.available,
      to_json(g.period_end) #>> '{}' as period_end
    from granted g join recorded r on r.balance = g.balance and r.quota_before = g.quota_before`;
}

/** Each call's charge, in the calls' order; undefined for a call the quota did not cover. */
function chargesOf(rows: ChargedRow[], count: number): (Charge | undefined)[] {
  const byOrd = new Map(rows.map((row) => [Number(row.ord), row]));
  return Array.from({ length: count }, (_, i) => {
    const row = byOrd.get(i + 1);
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
  });
}

// The usual case: the period's row exists and has quota left. The charges of one org's calls
// arriving together go in one statement: one round trip and one turn of the row's lock for all.
const chargeTogether = groupCallsBy(
  ({ ctx }: { ctx: OrgContext; call: Call }) => ctx.orgId,
  async (_orgId, charges) => {
    const calls = charges.map((charge) => charge.call);
    return chargesOf(
      await charges[0]!.ctx.statement<ChargedRow>(chargeStatement(charges[0]!.ctx.orgId, calls)),
      calls.length,
    );
  },
);

/**
 * Charges one metered call: decrements the org's quota and records the usage event in one
 * transaction. Throws 402 `quota_exhausted` when nothing is left in the current period. The
 * event names the API key when one acts, and the request the context serves (a charge made
 * outside a request, by seeding or a test, gets an id of its own: every event names one).
 */
export async function chargeApiCall(ctx: OrgContext, endpoint: string): Promise<Charge> {
  const { orgId } = ctx;
  const now = ctx.now();
  const call: Call = {
    keyId: ctx.actor.kind === "apiKey" ? ctx.actor.keyId : null,
    endpoint,
    requestId: ctx.requestId ?? newRequestId(),
    now,
  };
  const charged = await chargeTogether({ ctx, call });
  if (charged) {
    countQuotaDecrement();
    return charged;
  }
  const retried = await ctx.transaction(async (tx) => {
    // No row yet, the period ended, or the calls charged with this one took what was left.
    // Retry even when another transaction did the create/rollover first (then ours changed
    // nothing, but the fresh quota is there).
    await ensureCurrentPeriod(tx, orgId, now);
    const [charge] = chargesOf((await tx.execute<ChargedRow>(sql.raw(chargeStatement(orgId, [call])))).rows, 1);
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
      quotaRemaining: remaining,
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
