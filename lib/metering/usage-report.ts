import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import { organizations, quotaAdjustments, usageEvents, usageQuotas, type QuotaBalance } from "@/db/schema";
import type { OrgContext, SystemContext } from "@/lib/context";
import { AppError } from "@/lib/http";
import { monthContaining } from "./periods";

/**
 * Drift detection (SPEC §5). For a period, each balance's counter must equal what the ledger
 * explains:
 *   expected_remaining = sum(quota_adjustments.delta of that balance) − charged calls of it
 * A charged call is a usage event of the period that was not refunded (a refund sets
 * quota_after back to quota_before). drift = stored_remaining − expected_remaining: positive
 * means the counter holds more than was paid for, negative that the customer lost units.
 * The top-level fields are the month's allowance; `credits` the same for bought credits (whose
 * balance enters each period as `credits_carried`). Only the period the counter is in can be
 * compared: for other months stored_remaining and drift are null.
 */
export interface BalanceCheck {
  used_recorded: number;
  adjustments_total: number;
  expected_remaining: number;
  stored_remaining: number | null;
  drift: number | null;
}

export interface MonthlyUsageReport {
  org_id: string;
  period: { start: string; end: string };
  quota_monthly: number | null;
  used_recorded: number;
  refunded: number;
  adjustments: {
    total: number;
    entries: { balance: QuotaBalance; reason: string; delta: number; ref: string | null; at: string }[];
  };
  expected_remaining: number;
  stored_remaining: number | null;
  drift: number | null;
  credits: BalanceCheck;
}

export interface UsageDrift {
  org_id: string;
  org_name: string;
  expected_remaining: number;
  stored_remaining: number;
  drift: number;
  credits: { expected_remaining: number; stored_remaining: number; drift: number };
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** "2026-01" → that calendar month in UTC; anything else is a 422. */
export function parseMonth(month: string): { start: Date; end: Date } {
  const match = MONTH.exec(month);
  if (!match)
    throw new AppError("validation_failed", "The month must look like 2026-01.", {
      errors: [{ path: "month", message: "expected YYYY-MM" }],
    });
  return monthContaining(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1)));
}

const charged = sql`${usageEvents.quotaAfter} < ${usageEvents.quotaBefore}`;

export async function monthlyUsageReport(ctx: OrgContext, month: string): Promise<MonthlyUsageReport> {
  const { orgId } = ctx;
  const { start, end } = parseMonth(month);
  return ctx.transaction(async (tx) => {
    const [org] = await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, orgId));
    if (!org) throw new AppError("not_found", "No such organisation.");
    const [counts] = await tx
      .select({
        used: sql<number>`(count(*) filter (where ${charged} and ${usageEvents.balance} = 'allowance'))::int`,
        usedCredits: sql<number>`(count(*) filter (where ${charged} and ${usageEvents.balance} = 'credits'))::int`,
        refunded: sql<number>`(count(*) filter (where not (${charged})))::int`,
      })
      .from(usageEvents)
      .where(and(eq(usageEvents.orgId, orgId), gte(usageEvents.createdAt, start), lt(usageEvents.createdAt, end)));
    const entries = await tx
      .select({
        balance: quotaAdjustments.balance,
        reason: quotaAdjustments.reason,
        delta: quotaAdjustments.delta,
        ref: quotaAdjustments.ref,
        at: quotaAdjustments.createdAt,
      })
      .from(quotaAdjustments)
      .where(and(eq(quotaAdjustments.orgId, orgId), eq(quotaAdjustments.periodStart, start)))
      .orderBy(asc(quotaAdjustments.createdAt), asc(quotaAdjustments.id));
    const [stored] = await tx
      .select({
        quotaMonthly: usageQuotas.quotaMonthly,
        quotaRemaining: usageQuotas.quotaRemaining,
        creditsRemaining: usageQuotas.creditsRemaining,
      })
      .from(usageQuotas)
      .where(and(eq(usageQuotas.orgId, orgId), eq(usageQuotas.periodStart, start)));
    const total = entries.filter((e) => e.balance === "allowance").reduce((sum, e) => sum + e.delta, 0);
    const creditsTotal = entries.filter((e) => e.balance === "credits").reduce((sum, e) => sum + e.delta, 0);
    const used = counts?.used ?? 0;
    const usedCredits = counts?.usedCredits ?? 0;
    const expected = total - used;
    return {
      org_id: orgId,
      period: { start: start.toISOString(), end: end.toISOString() },
      quota_monthly: stored?.quotaMonthly ?? null,
      used_recorded: used,
      refunded: counts?.refunded ?? 0,
      adjustments: {
        total,
        entries: entries.map((e) => ({
          balance: e.balance,
          reason: e.reason,
          delta: e.delta,
          ref: e.ref,
          at: e.at.toISOString(),
        })),
      },
      expected_remaining: expected,
      stored_remaining: stored?.quotaRemaining ?? null,
      drift: stored ? stored.quotaRemaining - expected : null,
      credits: {
        used_recorded: usedCredits,
        adjustments_total: creditsTotal,
        expected_remaining: creditsTotal - usedCredits,
        stored_remaining: stored?.creditsRemaining ?? null,
        drift: stored ? stored.creditsRemaining - (creditsTotal - usedCredits) : null,
      },
    };
  });
}

/**
 * Operators: every org whose counter for `month` disagrees with its ledger and usage events.
 * One set-based query over the orgs whose counter is in that month (an operator read across
 * tenants, so as the system role).
 */
export async function findUsageDrift(ctx: SystemContext, month: string, limit = 500): Promise<UsageDrift[]> {
  const { start, end } = parseMonth(month);
  const expectedOf = (balance: QuotaBalance) => {
    const adjusted = sql`coalesce((select sum(a.delta) from ${quotaAdjustments} a where a.org_id = ${usageQuotas.orgId} and a.period_start = ${usageQuotas.periodStart} and a.balance = ${balance}), 0)`;
    const used = sql`(select count(*) from ${usageEvents} e where e.org_id = ${usageQuotas.orgId} and e.created_at >= ${start} and e.created_at < ${end} and e.quota_after < e.quota_before and e.balance = ${balance})`;
    return sql<number>`(${adjusted} - ${used})::int`;
  };
  const expected = expectedOf("allowance");
  const expectedCredits = expectedOf("credits");
  const rows = await ctx.transaction((tx) =>
    tx
      .select({
        orgId: usageQuotas.orgId,
        orgName: organizations.name,
        stored: usageQuotas.quotaRemaining,
        expected,
        storedCredits: usageQuotas.creditsRemaining,
        expectedCredits,
      })
      .from(usageQuotas)
      .innerJoin(organizations, eq(organizations.id, usageQuotas.orgId))
      .where(
        and(
          eq(usageQuotas.periodStart, start),
          sql`(${usageQuotas.quotaRemaining} <> ${expected} or ${usageQuotas.creditsRemaining} <> ${expectedCredits})`,
        ),
      )
      .orderBy(asc(usageQuotas.orgId))
      .limit(limit),
  );
  return rows.map((r) => ({
    org_id: r.orgId,
    org_name: r.orgName,
    expected_remaining: r.expected,
    stored_remaining: r.stored,
    drift: r.stored - r.expected,
    credits: {
      expected_remaining: r.expectedCredits,
      stored_remaining: r.storedCredits,
      drift: r.storedCredits - r.expectedCredits,
    },
  }));
}
