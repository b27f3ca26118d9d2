import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { db } from "@/db/client";
import { idempotencyKeys, usageEvents, usageQuotas } from "@/db/schema";
import { withTenant } from "@/db/tenant";
import { createApiKey } from "@/lib/auth";
import { appErrorOf } from "@/tests/app-error";
import { describeEachDatabase } from "@/tests/db";
import {
  addCredits,
  beginIdempotentRequest,
  chargeApiCall,
  finishMeteredCall,
  IDEMPOTENCY_TTL_MS,
  monthlyUsageReport,
  refundApiCall,
  releaseIdempotentRequest,
  resetDueQuotas,
  setQuotaRemaining,
  usageReport,
} from "./index";
import { makeEmptyOrg, contextOf, systemContextOf } from "@/tests/support/factories";
import { orgContext, systemActor } from "@/lib/context";

async function eventCount(orgId: string) {
  const [row] = await db()
    .select({ n: sql<number>`count(*)::int` })
    .from(usageEvents)
    .where(eq(usageEvents.orgId, orgId));
  return row!.n;
}

/** Beacon's own context in `orgId` (a charge with no key, quota:set), its clock at `now` when given. */
const seeding = (orgId: string, now?: Date) => contextOf(orgId, systemActor("seed"), now);

const JAN = new Date("2026-01-15T12:00:00Z");
const FEB = new Date("2026-02-01T00:00:00Z");

describeEachDatabase("metering", () => {
  it("creates the quota lazily from the plan on the first metered call and records a usage event", async () => {
    const orgId = await makeEmptyOrg("free");
    expect(await usageReport(seeding(orgId, JAN))).toEqual({
      plan: "free",
      quota_monthly: 100,
      quota_remaining: 100,
      credits_remaining: 0,
      period_start: "2026-01-01T00:00:00.000Z",
      period_end: "2026-02-01T00:00:00.000Z",
    });
    expect(await db().select().from(usageQuotas).where(eq(usageQuotas.orgId, orgId))).toEqual([]);
    const charge = await chargeApiCall(
      orgContext(orgId, systemActor("seed"), { requestId: "req_first", now: () => JAN }),
      "GET /api/v1/opportunities",
    );
    expect(charge).toMatchObject({ quotaBefore: 100, quotaAfter: 99 });
    const [event] = await db().select().from(usageEvents).where(eq(usageEvents.orgId, orgId));
    expect(event).toMatchObject({
      endpoint: "GET /api/v1/opportunities",
      requestId: "req_first",
      quotaBefore: 100,
      quotaAfter: 99,
      status: null,
    });
    await finishMeteredCall(seeding(orgId), charge.usageEventId, { status: 200, durationMs: 7 });
    const [done] = await db().select().from(usageEvents).where(eq(usageEvents.id, charge.usageEventId));
    expect(done).toMatchObject({ status: 200, durationMs: 7 });
    expect((await usageReport(seeding(orgId, JAN))).quota_remaining).toBe(99);
  });

  it("records the outcomes of calls ending together each on its own usage event, and never on another org's", async () => {
    const orgs = [await makeEmptyOrg("pro"), await makeEmptyOrg("pro")];
    const charges = await Promise.all(
      Array.from({ length: 12 }, (_, i) => chargeApiCall(seeding(orgs[i % 2]!, JAN), "GET /api/v1/opportunities")),
    );
    await Promise.all(
      charges.map((charge, i) =>
        finishMeteredCall(seeding(orgs[i % 2]!), charge.usageEventId, { status: 200 + i, durationMs: i }),
      ),
    );
    const rows = await db()
      .select()
      .from(usageEvents)
      .where(sql`${usageEvents.orgId} in (${orgs[0]!}, ${orgs[1]!})`);
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(charges.map((c) => byId.get(c.usageEventId)).map((r) => [r!.orgId, r!.status, r!.durationMs])).toEqual(
      charges.map((_, i) => [orgs[i % 2], 200 + i, i]),
    );
    // Named with the wrong org (a forged pairing), an outcome changes nothing.
    await finishMeteredCall(seeding(orgs[1]!), charges[0]!.usageEventId, { status: 599, durationMs: 1 });
    const [kept] = await db().select().from(usageEvents).where(eq(usageEvents.id, charges[0]!.usageEventId));
    expect([kept!.status, kept!.durationMs]).toEqual([200, 0]);
  });

  it("a starter org starts from the starter quota", async () => {
    const orgId = await makeEmptyOrg("starter");
    expect((await chargeApiCall(seeding(orgId, JAN), "e")).quotaBefore).toBe(5_000);
  });

  it("64 concurrent charges against a quota of 50: exactly 50 succeed, 14 get 402, 50 usage events", async () => {
    const orgId = await makeEmptyOrg("pro");
    expect(await setQuotaRemaining(seeding(orgId, JAN), 50)).toEqual({ org_id: orgId, quota_remaining: 50 });
    const results = await Promise.allSettled(
      Array.from({ length: 64 }, () => chargeApiCall(seeding(orgId, JAN), "GET /api/v1/opportunities")),
    );
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r) => r.status === "rejected");
    expect(ok).toHaveLength(50);
    expect(refused).toHaveLength(14);
    for (const r of refused)
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "quota_exhausted", status: 402 });
    expect(await eventCount(orgId)).toBe(50);
    expect((await usageReport(seeding(orgId, JAN))).quota_remaining).toBe(0);
    // Every unit was spent exactly once: the after-values are 49…0 without repeats.
    const afters = ok
      .map((r) => (r as PromiseFulfilledResult<{ quotaAfter: number }>).value.quotaAfter)
      .sort((a, b) => a - b);
    expect(afters).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it("rolls the period over once period_end has passed, from the plan's quota, safely under concurrency", async () => {
    const orgId = await makeEmptyOrg("free");
    await setQuotaRemaining(seeding(orgId, JAN), 0);
    expect((await appErrorOf(chargeApiCall(seeding(orgId, JAN), "e"))).code).toBe("quota_exhausted");
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => chargeApiCall(seeding(orgId, FEB), "e")));
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
    expect(await usageReport(seeding(orgId, FEB))).toEqual({
      plan: "free",
      quota_monthly: 100,
      quota_remaining: 90,
      credits_remaining: 0,
      period_start: "2026-02-01T00:00:00.000Z",
      period_end: "2026-03-01T00:00:00.000Z",
    });
  });

  it("bought credits are spent after the month's allowance, survive the rollover, and a refund goes back where it came from", async () => {
    const orgId = await makeEmptyOrg("free");
    const lastDay = new Date("2026-01-31T23:00:00Z");
    await setQuotaRemaining(seeding(orgId, lastDay), 1);
    await db().transaction((tx) => addCredits(tx, orgId, 5, lastDay, { reason: "credit_pack", ref: "cs_last_day" }));
    expect(await usageReport(seeding(orgId, lastDay))).toMatchObject({ quota_remaining: 1, credits_remaining: 5 });
    expect(await chargeApiCall(seeding(orgId, lastDay), "e")).toMatchObject({
      balance: "allowance",
      quotaBefore: 1,
      quotaAfter: 0,
      available: 5,
    });
    const fromCredits = await chargeApiCall(seeding(orgId, lastDay), "e");
    expect(fromCredits).toMatchObject({ balance: "credits", quotaBefore: 5, quotaAfter: 4, available: 4 });
    await refundApiCall(seeding(orgId, lastDay), fromCredits, 500, 1);
    expect(await usageReport(seeding(orgId, lastDay))).toMatchObject({ quota_remaining: 0, credits_remaining: 5 });
    expect(await monthlyUsageReport(seeding(orgId), "2026-01")).toMatchObject({
      drift: 0,
      credits: { expected_remaining: 5, stored_remaining: 5, drift: 0 },
    });

    // The monthly rollover renews the allowance and keeps the credits.
    expect((await resetDueQuotas(systemContextOf("metering", FEB))).rolled).toBeGreaterThanOrEqual(1);
    expect(await usageReport(seeding(orgId, FEB))).toMatchObject({
      quota_monthly: 100,
      quota_remaining: 100,
      credits_remaining: 5,
    });
    expect(await monthlyUsageReport(seeding(orgId), "2026-02")).toMatchObject({
      drift: 0,
      credits: { stored_remaining: 5, drift: 0 },
    });
  });

  it("concurrent charges over allowance and credits: each unit spent once, the allowance first", async () => {
    const orgId = await makeEmptyOrg("pro");
    await setQuotaRemaining(seeding(orgId, JAN), 3);
    await db().transaction((tx) => addCredits(tx, orgId, 4, JAN, { reason: "credit_grant", ref: "goodwill" }));
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => chargeApiCall(seeding(orgId, JAN), "e")));
    const ok = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    expect(ok).toHaveLength(7);
    expect(
      ok
        .filter((c) => c.balance === "allowance")
        .map((c) => c.quotaAfter)
        .sort(),
    ).toEqual([0, 1, 2]);
    expect(
      ok
        .filter((c) => c.balance === "credits")
        .map((c) => c.quotaAfter)
        .sort(),
    ).toEqual([0, 1, 2, 3]);
    // Charged together or alone, each call is told what is left after it, and its usage event says the same.
    expect(ok.map((c) => c.available).sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const events = await db().select().from(usageEvents).where(eq(usageEvents.orgId, orgId));
    const byId = new Map(events.map((e) => [e.id, e]));
    expect(ok.map((c) => byId.get(c.usageEventId)).map((e) => e && [e.balance, e.quotaBefore, e.quotaAfter])).toEqual(
      ok.map((c) => [c.balance, c.quotaBefore, c.quotaAfter]),
    );
    expect(await usageReport(seeding(orgId, JAN))).toMatchObject({ quota_remaining: 0, credits_remaining: 0 });
    expect(await eventCount(orgId)).toBe(7);
  });

  it("usage report of a period that has ended shows the next one fresh, without writing", async () => {
    const orgId = await makeEmptyOrg("free");
    await setQuotaRemaining(seeding(orgId, JAN), 3);
    expect(await usageReport(seeding(orgId, FEB))).toMatchObject({
      quota_remaining: 100,
      period_start: "2026-02-01T00:00:00.000Z",
    });
    const [row] = await db().select().from(usageQuotas).where(eq(usageQuotas.orgId, orgId));
    expect(row!.quotaRemaining).toBe(3);
  });

  it("setQuotaRemaining refuses negative or fractional values and unknown orgs", async () => {
    const orgId = await makeEmptyOrg();
    expect((await appErrorOf(setQuotaRemaining(seeding(orgId), -1))).code).toBe("validation_failed");
    expect((await appErrorOf(setQuotaRemaining(seeding(orgId), 1.5))).code).toBe("validation_failed");
    expect(() => contextOf("not-a-uuid", systemActor("seed"))).toThrow(expect.objectContaining({ code: "not_found" }));
    expect((await appErrorOf(setQuotaRemaining(seeding("00000000-0000-4000-8000-000000000000"), 1))).code).toBe(
      "not_found",
    );
  });

  it("idempotency keys: first claims, repeat replays, in flight → 409, other request → 422, after 24 h → new", async () => {
    const orgId = await makeEmptyOrg();
    const key = await createApiKey(seeding(orgId), { name: "idem" });
    const fp = "GET /api/v1/opportunities?q=x";
    const asKey = (now = JAN) => contextOf(orgId, { apiKeyId: key.id }, now);
    const first = await beginIdempotentRequest(asKey(), "k-1", fp);
    expect(first.kind).toBe("claimed");
    expect((await appErrorOf(beginIdempotentRequest(asKey(), "k-1", fp))).code).toBe("conflict");
    const charge = await chargeApiCall(asKey(), "e");
    // Stored as text: key order and spacing come back exactly as they were sent.
    const answer = {
      status: 200,
      body: '{"z":1, "a":[1]}',
      headers: { "content-type": "application/json", "x-quota-remaining": "99" },
    };
    await finishMeteredCall(asKey(), charge.usageEventId, {
      status: 200,
      durationMs: 1,
      idempotency: { id: (first as { id: string }).id, answer },
    });
    expect(await beginIdempotentRequest(asKey(new Date(JAN.getTime() + 1000)), "k-1", fp)).toEqual({
      kind: "replay",
      ...answer,
    });
    expect((await appErrorOf(beginIdempotentRequest(asKey(), "k-1", "GET /api/v1/opportunities?q=y"))).code).toBe(
      "validation_failed",
    );
    expect((await beginIdempotentRequest(asKey(new Date(JAN.getTime() + IDEMPOTENCY_TTL_MS)), "k-1", fp)).kind).toBe(
      "claimed",
    );
    // A released claim (402, 5xx) can be taken again.
    const second = await beginIdempotentRequest(asKey(), "k-2", fp);
    await releaseIdempotentRequest(asKey(), (second as { id: string }).id);
    expect((await beginIdempotentRequest(asKey(), "k-2", fp)).kind).toBe("claimed");
  });

  it("concurrent requests with one Idempotency-Key: exactly one claims it", async () => {
    const orgId = await makeEmptyOrg();
    const key = await createApiKey(seeding(orgId), { name: "idem" });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () =>
        beginIdempotentRequest(contextOf(orgId, { apiKeyId: key.id }, JAN), "same", "GET /x"),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled" && r.value.kind === "claimed")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected"))
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "conflict" });
  });

  it("row-level security: a tenant transaction sees only its own org's quota, usage events and idempotency keys", async () => {
    const a = await makeEmptyOrg();
    const b = await makeEmptyOrg();
    const keyB = await createApiKey(seeding(b), { name: "b" });
    await chargeApiCall(seeding(a, JAN), "e");
    const asKeyB = contextOf(b, { apiKeyId: keyB.id }, JAN);
    await chargeApiCall(asKeyB, "e");
    await beginIdempotentRequest(asKeyB, "rls", "GET /x");
    const seen = await withTenant(a, async (tx) => ({
      quotas: (await tx.select().from(usageQuotas)).map((r) => r.orgId),
      events: (await tx.select().from(usageEvents)).map((r) => r.orgId),
      keys: (await tx.select().from(idempotencyKeys)).map((r) => r.orgId),
    }));
    expect(seen).toEqual({ quotas: [a], events: [a], keys: [] });
  });
});
