import { and, eq, inArray, lte, notInArray, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { db } from "@/db/client";
import { quotaAdjustments, subscriptions, usageEvents, usageQuotas } from "@/db/schema";
import { createApiKey } from "@/lib/auth";
import type { PlanId } from "@/lib/plans";
import { addCredits, revokeCredits, syncOrgPlan } from "@/lib/billing";
import { AppError } from "@/lib/http";
import type { RateLimiter } from "@/lib/ratelimit";
import { appErrorOf } from "@/tests/app-error";
import { describeEachDatabase } from "@/tests/db";
import {
  chargeApiCall,
  findUsageDrift,
  meteredRoute,
  monthlyUsageReport,
  resetDueQuotas,
  setQuotaRemaining,
} from "./index";
import { makeEmptyOrg, contextOf, systemContextOf } from "@/tests/support/factories";
import { systemActor } from "@/lib/context";

function monthOf(date: Date) {
  return date.toISOString().slice(0, 7);
}

/** A real metered route whose handler fails with a 5xx when asked to (so the call is refunded). */
// Rate limits are not under test here: the free tier's 10 a minute would refuse this journey.
const allow = async (_id: string, rule: { limit: number; windowMs: number }, now = Date.now()) => ({
  success: true,
  limit: rule.limit,
  remaining: rule.limit,
  reset: now + rule.windowMs,
});
const limiter: RateLimiter = { backend: "memory", limit: allow, peek: allow };
const probe = meteredRoute<{ fail: boolean }>({
  endpoint: "GET /api/v1/probe",
  parse: ({ request }) => ({ fail: new URL(request.url).searchParams.has("fail") }),
  handle: async ({ fail }) => {
    if (fail) throw new AppError("internal", "upstream down");
    return { body: { ok: true } };
  },
  limiter: () => limiter,
});
function callProbe(key: string, query = "", headers: Record<string, string> = {}) {
  return probe(
    new Request(`http://localhost/api/v1/probe${query}`, { headers: { authorization: `Bearer ${key}`, ...headers } }),
    { params: Promise.resolve({}) },
  );
}

async function changePlan(orgId: string, plan: PlanId, status: string, subId: string) {
  await db().transaction(async (tx) => {
    await tx
      .insert(subscriptions)
      .values({ orgId, stripeSubscriptionId: subId, status, plan })
      .onConflictDoUpdate({ target: subscriptions.stripeSubscriptionId, set: { status, plan } });
    await syncOrgPlan(tx, orgId, new Date());
  });
}

const noCreditDrift = { expected_remaining: 0, stored_remaining: 0, drift: 0 };

describeEachDatabase("usage report and drift", () => {
  it("no drift after charges, idempotent replays, refunded 5xx, credit packs and their refund, plan changes and quota:set", async () => {
    const orgId = await makeEmptyOrg("free");
    const { key } = await createApiKey(contextOf(orgId, systemActor("seed")), { name: "report" });
    const now = new Date();
    for (let i = 0; i < 3; i++) expect((await callProbe(key)).status).toBe(200);
    expect((await callProbe(key, "", { "idempotency-key": "same" })).status).toBe(200);
    const replay = await callProbe(key, "", { "idempotency-key": "same" });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect((await callProbe(key, "?fail")).status).toBe(500);
    expect((await callProbe(key, "?fail")).status).toBe(500);
    // free 100 − 4 charged = 96; a credit pack (+1,000 credits), part of it refunded (−300).
    await db().transaction((tx) => addCredits(tx, orgId, 1_000, new Date(), "cs_test_1"));
    await db().transaction((tx) => revokeCredits(tx, orgId, 300, new Date(), "ch_test_1"));
    await changePlan(orgId, "pro", "active", `sub_${orgId}`);
    for (let i = 0; i < 2; i++) expect((await callProbe(key)).status).toBe(200);
    await setQuotaRemaining(contextOf(orgId, systemActor("seed")), 20);
    expect((await callProbe(key)).status).toBe(200);
    await changePlan(orgId, "pro", "canceled", `sub_${orgId}`); // back to free: 19 + 100 − 50,000 → 0, never negative

    const report = await monthlyUsageReport(contextOf(orgId, systemActor("seed")), monthOf(now));
    expect(report).toMatchObject({
      quota_monthly: 100,
      used_recorded: 7,
      refunded: 2,
      stored_remaining: 0,
      expected_remaining: 0,
      drift: 0,
    });
    // The credits are a balance of their own: untouched by the plan changes and quota:set.
    expect(report.credits).toEqual({
      used_recorded: 0,
      adjustments_total: 700,
      expected_remaining: 700,
      stored_remaining: 700,
      drift: 0,
    });
    // Entries are in time order; two in the same millisecond may swap, so compare as a set.
    expect(report.adjustments.entries.map((e) => [e.reason, e.delta])).toHaveLength(6);
    expect(report.adjustments.entries.map((e) => [e.balance, e.reason, e.delta])).toEqual(
      expect.arrayContaining([
        ["allowance", "period_opened", 100],
        ["credits", "credit_pack", 1_000],
        ["credits", "credit_refund", -300],
        ["allowance", "plan_change", 49_900],
        ["allowance", "operator_set", 20 - (100 - 4 + 49_900 - 2)],
        ["allowance", "plan_change", -19],
      ]),
    );
    expect(report.adjustments.total - report.used_recorded).toBe(0);
    expect((await findUsageDrift(systemContextOf("metering"), monthOf(now))).filter((d) => d.org_id === orgId)).toEqual(
      [],
    );
  });

  it("a counter corrupted by a raw UPDATE is reported with the exact drift, by the report and the drift list", async () => {
    const JAN = new Date("2031-01-10T00:00:00Z");
    const healthy = await makeEmptyOrg("starter");
    const broken = await makeEmptyOrg("starter");
    for (const orgId of [healthy, broken])
      for (let i = 0; i < 5; i++) await chargeApiCall(contextOf(orgId, systemActor("seed"), JAN), "e");
    await db()
      .update(usageQuotas)
      .set({ quotaRemaining: sql`${usageQuotas.quotaRemaining} + 37` })
      .where(eq(usageQuotas.orgId, broken));
    expect(await monthlyUsageReport(contextOf(broken, systemActor("seed")), "2031-01")).toMatchObject({
      quota_monthly: 5_000,
      used_recorded: 5,
      expected_remaining: 4_995,
      stored_remaining: 5_032,
      drift: 37,
    });
    expect((await monthlyUsageReport(contextOf(healthy, systemActor("seed")), "2031-01")).drift).toBe(0);
    // A lost usage event (the counter was spent, the history is missing) is drift the other way.
    const [event] = await db()
      .select({ id: usageEvents.id })
      .from(usageEvents)
      .where(eq(usageEvents.orgId, healthy))
      .limit(1);
    await db().delete(usageEvents).where(eq(usageEvents.id, event!.id));
    expect(await findUsageDrift(systemContextOf("metering"), "2031-01")).toEqual([
      ...[
        {
          org_id: broken,
          org_name: "Acme starter",
          expected_remaining: 4_995,
          stored_remaining: 5_032,
          drift: 37,
          credits: noCreditDrift,
        },
        {
          org_id: healthy,
          org_name: "Acme starter",
          expected_remaining: 4_996,
          stored_remaining: 4_995,
          drift: -1,
          credits: noCreditDrift,
        },
      ].sort((a, b) => a.org_id.localeCompare(b.org_id)),
    ]);
  });

  it("a credit balance corrupted by a raw UPDATE is drift too", async () => {
    const MAR = new Date("2031-03-10T00:00:00Z");
    const orgId = await makeEmptyOrg("starter");
    await db().transaction((tx) => addCredits(tx, orgId, 50, MAR, "cs_drift"));
    await db().update(usageQuotas).set({ creditsRemaining: 45 }).where(eq(usageQuotas.orgId, orgId));
    expect((await monthlyUsageReport(contextOf(orgId, systemActor("seed")), "2031-03")).credits).toMatchObject({
      expected_remaining: 50,
      stored_remaining: 45,
      drift: -5,
    });
    expect((await findUsageDrift(systemContextOf("metering"), "2031-03")).filter((d) => d.org_id === orgId)).toEqual([
      {
        org_id: orgId,
        org_name: "Acme starter",
        expected_remaining: 5_000,
        stored_remaining: 5_000,
        drift: 0,
        credits: { expected_remaining: 50, stored_remaining: 45, drift: -5 },
      },
    ]);
  });

  it("another month than the counter's has no stored value to compare; bad input is refused", async () => {
    const orgId = await makeEmptyOrg("free");
    await chargeApiCall(contextOf(orgId, systemActor("seed"), new Date("2032-03-05T00:00:00Z")), "e");
    await chargeApiCall(contextOf(orgId, systemActor("seed"), new Date("2032-04-05T00:00:00Z")), "e");
    expect(await monthlyUsageReport(contextOf(orgId, systemActor("seed")), "2032-03")).toMatchObject({
      used_recorded: 1,
      expected_remaining: 99,
      stored_remaining: null,
      drift: null,
      quota_monthly: null,
    });
    expect(await monthlyUsageReport(contextOf(orgId, systemActor("seed")), "2032-04")).toMatchObject({
      used_recorded: 1,
      expected_remaining: 99,
      stored_remaining: 99,
      drift: 0,
    });
    expect((await appErrorOf(monthlyUsageReport(contextOf(orgId, systemActor("seed")), "2032-13"))).code).toBe(
      "validation_failed",
    );
    expect((await appErrorOf(findUsageDrift(systemContextOf("metering"), "march"))).code).toBe("validation_failed");
    expect(
      (
        await appErrorOf(
          monthlyUsageReport(contextOf("00000000-0000-4000-8000-000000000000", systemActor("seed")), "2032-04"),
        )
      ).code,
    ).toBe("not_found");
  });

  it("the ledger is append-only", async () => {
    const orgId = await makeEmptyOrg("free");
    await setQuotaRemaining(contextOf(orgId, systemActor("seed")), 5);
    const error = await db()
      .update(quotaAdjustments)
      .set({ delta: 1 })
      .where(eq(quotaAdjustments.orgId, orgId))
      .then(
        () => null,
        (e: unknown) => e as Error & { cause?: Error },
      );
    expect(String(error?.cause?.message ?? error?.message)).toMatch(/append-only/);
  });
});

describeEachDatabase("monthly quota reset", () => {
  it("rolls every due org into the new month in bounded batches, with its entitled quota, once", async () => {
    const MAR = new Date("2033-03-20T00:00:00Z");
    const APR = new Date("2033-04-01T00:05:00Z");
    const orgs = await Promise.all(
      (["free", "starter", "pro", "free", "starter"] as const).map((plan) => makeEmptyOrg(plan)),
    );
    for (const orgId of orgs) await chargeApiCall(contextOf(orgId, systemActor("seed"), MAR), "e");
    await db().transaction((tx) => addCredits(tx, orgs[0]!, 1_000, MAR));
    const first = await resetDueQuotas(systemContextOf("metering", APR), { batchSize: 2 });
    expect(first.rolled).toBeGreaterThanOrEqual(5);
    expect(first.batches).toBeGreaterThanOrEqual(3);
    const rows = await Promise.all(
      orgs.map(async (orgId) => (await db().select().from(usageQuotas).where(eq(usageQuotas.orgId, orgId)))[0]!),
    );
    expect(rows.map((r) => [r.quotaMonthly, r.quotaRemaining, r.periodStart.toISOString()])).toEqual(
      [100, 5_000, 50_000, 100, 5_000].map((q) => [q, q, "2033-04-01T00:00:00.000Z"]),
    );
    // Run again (a retried job): nothing left to do; reports have no drift.
    expect(await resetDueQuotas(systemContextOf("metering", APR), { batchSize: 2 })).toEqual({
      rolled: 0,
      skipped: 0,
      batches: 0,
    });
    for (const orgId of orgs)
      expect(await monthlyUsageReport(contextOf(orgId, systemActor("seed")), "2033-04")).toMatchObject({
        drift: 0,
        adjustments: { total: rows[orgs.indexOf(orgId)]!.quotaMonthly },
      });
  });

  it("concurrent resets and metered calls at the month change roll each org over exactly once and never overspend", async () => {
    const MAY = new Date("2034-05-31T23:00:00Z");
    const JUN = new Date("2034-06-01T00:00:01Z");
    const orgs = await Promise.all(Array.from({ length: 6 }, () => makeEmptyOrg("free")));
    for (const orgId of orgs) await setQuotaRemaining(contextOf(orgId, systemActor("seed"), MAY), 0);
    // Orgs of the file's earlier tests are due too, and only the resets roll those (once each).
    const [{ n: othersDue }] = (await db()
      .select({ n: sql<number>`count(*)::int` })
      .from(usageQuotas)
      .where(and(lte(usageQuotas.periodEnd, JUN), notInArray(usageQuotas.orgId, orgs)))) as [{ n: number }];
    const calls = orgs.flatMap((orgId) =>
      Array.from({ length: 5 }, () => chargeApiCall(contextOf(orgId, systemActor("seed"), JUN), "e")),
    );
    const resets = [
      resetDueQuotas(systemContextOf("metering", JUN), { batchSize: 4 }),
      resetDueQuotas(systemContextOf("metering", JUN), { batchSize: 3 }),
    ];
    const [results, resetResults] = await Promise.all([Promise.allSettled(calls), Promise.all(resets)]);
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
    // Each org rolled once in all: by a metered call or by one of the two resets.
    const opened = await db()
      .select({ n: sql<number>`count(*)::int` })
      .from(quotaAdjustments)
      .where(
        and(
          eq(quotaAdjustments.reason, "period_opened"),
          eq(quotaAdjustments.periodStart, new Date("2034-06-01T00:00:00Z")),
          inArray(quotaAdjustments.orgId, orgs),
        ),
      );
    expect(opened[0]!.n).toBe(6);
    const rolledByResets = resetResults.reduce((n, r) => n + r.rolled, 0);
    expect(rolledByResets).toBeGreaterThanOrEqual(othersDue);
    expect(rolledByResets).toBeLessThanOrEqual(othersDue + 6);
    for (const orgId of orgs)
      expect(await monthlyUsageReport(contextOf(orgId, systemActor("seed")), "2034-06")).toMatchObject({
        used_recorded: 5,
        stored_remaining: 95,
        drift: 0,
      });
  });

  it("refuses a batch size that could not make progress", async () => {
    await expect(resetDueQuotas(systemContextOf("metering"), { batchSize: 0 })).rejects.toThrow(/batchSize/);
  });
});
