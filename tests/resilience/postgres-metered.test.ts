// The metered API while PostgreSQL connections are killed under it, and while the database is
// unreachable: no overspend, every charge explained, readiness tells the truth, and once the
// database is back the API answers normally at once (no 5xx storm).
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "@/db/client";
import { organizations, usageEvents } from "@/db/schema";
import { createApiKey } from "@/lib/auth";
import { env } from "@/lib/env";
import { monthlyUsageReport, setQuotaRemaining } from "@/lib/metering";
import { createRateLimiter, setRateLimiter } from "@/lib/ratelimit";
import { apiSearch, type ApiAnswer } from "./api-client";
import { startAppServer } from "./app-server";
import {
  eventually,
  pool,
  setDatabaseReachable,
  startConnectionKiller,
  survived,
  tally,
  withScratchDatabase,
} from "./harness";
import { contextOf } from "@/tests/support/factories";
import { systemActor } from "@/lib/context";

const scratch = withScratchDatabase();

const QUOTA = 100;
const CALLS = 300;
const CONCURRENCY = 16;
const KILL_EVERY_MS = 40;
// Storms of kills (failovers, a flapping network) with calm spells in between: a call that
// fails in a storm can still clean up after itself (refund, free its Idempotency-Key) in a calm.
const FLAPPING = { stormMs: 300, calmMs: 300 };

let app: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  setRateLimiter(
    createRateLimiter({ ...env(), REDIS_URL: process.env.REDIS_URL }, { prefix: `resilience-metered-${Date.now()}` }),
  );
  app = await startAppServer();
});
afterAll(async () => {
  await app?.close();
  setRateLimiter(undefined);
});

/** An enterprise org (1,200 calls a minute per key: the quota, not the limiter, decides) with keys. */
async function customer(name: string, keys: number) {
  const [org] = await db()
    .insert(organizations)
    .values({ name, plan: "enterprise" })
    .returning({ id: organizations.id });
  const orgId = org!.id;
  const created = await Promise.all(
    Array.from({ length: keys }, (_, i) => createApiKey(contextOf(orgId, systemActor("seed")), { name: `key ${i}` })),
  );
  await setQuotaRemaining(contextOf(orgId, systemActor("seed")), QUOTA);
  return { orgId, keys: created.map((k) => k.key) };
}

async function usageOf(orgId: string) {
  const rows = await db()
    .select({
      status: usageEvents.status,
      charged: sql<boolean>`${usageEvents.quotaAfter} < ${usageEvents.quotaBefore}`,
      n: sql<number>`count(*)::int`,
    })
    .from(usageEvents)
    .where(eq(usageEvents.orgId, orgId))
    .groupBy(usageEvents.status, sql`2`);
  const count = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f).reduce((sum, r) => sum + r.n, 0);
  return {
    charged: count((r) => r.charged),
    chargedOk: count((r) => r.charged && r.status === 200),
    chargedNotOk: count((r) => r.charged && r.status !== 200),
  };
}

const month = () => new Date().toISOString().slice(0, 7);
const is5xx = (a: ApiAnswer) => a.status === 0 || a.status >= 500;

it(`${CALLS} metered calls against a quota of ${QUOTA} while connections are killed: no overspend, every charge explained, normal after`, async (context) => {
  const { orgId, keys } = await customer("Under fire", 4);
  // Every other call carries an Idempotency-Key, as a client that retries would send.
  const idempotency = (i: number): Record<string, string> => (i % 2 === 0 ? { "idempotency-key": `call-${i}` } : {});
  const killer = await startConnectionKiller(scratch().name, KILL_EVERY_MS, FLAPPING);
  const underFire = await pool(CALLS, CONCURRENCY, (i) => apiSearch(app.url, keys[i % keys.length]!, idempotency(i)));
  const kills = await killer.stop();
  expect(kills.killed).toBeGreaterThan(0);

  const served = underFire.filter((a) => a.status === 200).length;
  expect(underFire.every((a) => [200, 402].includes(a.status) || is5xx(a))).toBe(true);
  expect(served).toBeLessThanOrEqual(QUOTA);
  // Each 200 is one charged usage event; a call that failed was not charged (or was refunded).
  expect(await usageOf(orgId)).toEqual({ charged: served, chargedOk: served, chargedNotOk: 0 });
  const report = await monthlyUsageReport(contextOf(orgId, systemActor("seed")), month());
  expect(report.drift).toBe(0);
  expect(report.stored_remaining).toBe(QUOTA - served);

  // The database is fine again. The clients retry their failed keyed calls with the same key:
  // none is stuck "in progress" (409) or fails again; then the rest of the quota is spendable.
  const failedKeyed = underFire.flatMap((a, i) => (is5xx(a) && i % 2 === 0 ? [i] : []));
  const retried = await pool(failedKeyed.length, CONCURRENCY, (j) =>
    apiSearch(app.url, keys[failedKeyed[j]! % keys.length]!, idempotency(failedKeyed[j]!)),
  );
  expect(retried.every((a) => a.status === 200 || a.status === 402)).toBe(true);
  const servedOnRetry = retried.filter((a) => a.status === 200).length;
  const rest = QUOTA - served - servedOnRetry;
  const after = await pool(QUOTA, CONCURRENCY, (i) => apiSearch(app.url, keys[i % keys.length]!));
  expect(tally(after.map((a) => a.status))).toEqual({
    ...(rest > 0 ? { 200: rest } : {}),
    ...(rest < QUOTA ? { 402: QUOTA - rest } : {}),
  });
  expect(await usageOf(orgId)).toEqual({ charged: QUOTA, chargedOk: QUOTA, chargedNotOk: 0 });
  expect((await monthlyUsageReport(contextOf(orgId, systemActor("seed")), month())).drift).toBe(0);

  survived(
    context,
    `${CALLS} calls, ${CONCURRENCY} at a time, ${kills.killed} connections killed over ${kills.rounds} sweeps: answers ${JSON.stringify(tally(underFire.map((a) => a.status)))}; ` +
      `${served} charged 200s ≤ quota ${QUOTA}, usage events = charged 200s, every failed call refunded, drift 0; afterwards ${failedKeyed.length} keyed retries ` +
      `answered (none stuck), and the quota was spent to exactly ${QUOTA} with no 5xx`,
  );
});

it("database unreachable: readiness says not ready and nothing is charged; reachable again: ready, and no 5xx storm", async (context) => {
  const { orgId, keys } = await customer("Outage", 2);
  const ready = async () => (await fetch(`${app.url}/api/readyz`)).status;
  expect(await ready()).toBe(200);
  expect((await apiSearch(app.url, keys[0]!)).status).toBe(200);

  await setDatabaseReachable(scratch().name, false);
  let duringOutage: ApiAnswer[] = [];
  let outageReadiness: unknown;
  try {
    const res = await fetch(`${app.url}/api/readyz`);
    outageReadiness = await res.json();
    expect(res.status).toBe(503);
    duringOutage = await pool(20, 4, (i) => apiSearch(app.url, keys[i % keys.length]!));
  } finally {
    await setDatabaseReachable(scratch().name, true);
  }
  expect(outageReadiness).toMatchObject({ code: "not_ready", checks: { database: "failing" } });
  expect(duringOutage.every(is5xx)).toBe(true);

  await eventually("readiness reports ready", async () => (await ready()) === 200);
  // From the first call after recovery on, nothing fails.
  const after = await pool(40, 8, (i) => apiSearch(app.url, keys[i % keys.length]!));
  expect(tally(after.map((a) => a.status))).toEqual({ 200: 40 });
  expect(await usageOf(orgId)).toEqual({ charged: 41, chargedOk: 41, chargedNotOk: 0 });
  expect((await monthlyUsageReport(contextOf(orgId, systemActor("seed")), month())).stored_remaining).toBe(QUOTA - 41);

  survived(
    context,
    `outage: /api/readyz 503 (database failing), ${duringOutage.length} API calls all 5xx and none charged; after: ready, 40 of 40 calls 200, quota ${QUOTA} − 41 charged`,
  );
});
