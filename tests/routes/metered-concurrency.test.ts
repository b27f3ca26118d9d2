// The metered search route under concurrency, through the real handler, API key, limiter and
// database: the quota can never be overspent, and Idempotency-Key replays cost nothing.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeEach, expect, it } from "vitest";
import * as searchRoute from "@/app/api/v1/opportunities/route";
import { db } from "@/db/client";
import { organizations, usageEvents } from "@/db/schema";
import { createApiKey } from "@/lib/auth";
import { setQuotaRemaining, usageReport } from "@/lib/metering";
import { MemoryRateLimiter, setRateLimiter } from "@/lib/ratelimit";
import { describeOnOneDatabase } from "@/tests/db";
import { contextOf } from "@/tests/support/factories";
import { systemActor } from "@/lib/context";

const CALLS = 200;
const QUOTA = 100;
const PATH = "/api/v1/opportunities?q=roof&limit=5";

function search(key: string, idempotencyKey: string) {
  const request = new Request(`http://localhost:3000${PATH}`, {
    headers: { authorization: `Bearer ${key}`, "idempotency-key": idempotencyKey },
  });
  return searchRoute.GET(request, { params: Promise.resolve({}) });
}

async function usageEventStatuses(orgId: string) {
  return db()
    .select({ status: usageEvents.status, n: sql<number>`count(*)::int` })
    .from(usageEvents)
    .where(eq(usageEvents.orgId, orgId))
    .groupBy(usageEvents.status);
}

beforeEach(() => {
  setRateLimiter(new MemoryRateLimiter());
});
afterAll(() => {
  setRateLimiter(undefined);
});

describeOnOneDatabase("metered API v1 under concurrency", () => {
  it(`${CALLS} concurrent searches against a quota of ${QUOTA}: exactly ${QUOTA} served, the rest 402; replays cost nothing`, async () => {
    // Enterprise: 1,200 requests a minute per key, so all 400 calls below pass the rate limit
    // and the quota alone decides.
    const [org] = await db()
      .insert(organizations)
      .values({ name: "Concurrent Co", plan: "enterprise" })
      .returning({ id: organizations.id });
    const orgId = org!.id;
    const { key } = await createApiKey(contextOf(orgId, systemActor("seed")), { name: "burst" });
    await setQuotaRemaining(contextOf(orgId, systemActor("seed")), QUOTA);

    const first = await Promise.all(Array.from({ length: CALLS }, (_, i) => search(key, `burst-${i}`)));
    const bodies = await Promise.all(first.map((res) => res.text()));
    const served = first.flatMap((res, i) => (res.status === 200 ? [i] : []));
    const refused = first.flatMap((res, i) => (res.status === 402 ? [i] : []));
    expect(served).toHaveLength(QUOTA);
    expect(refused).toHaveLength(CALLS - QUOTA);
    for (const i of refused) {
      expect(first[i]!.headers.get("content-type")).toBe("application/problem+json");
      expect(JSON.parse(bodies[i]!)).toMatchObject({ code: "quota_exhausted", status: 402 });
      expect(first[i]!.headers.get("x-quota-remaining")).toBe("0");
    }
    // Every unit was spent exactly once: the served calls saw 99, 98, … 0 remaining, no repeats.
    const remainingAfter = served.map((i) => Number(first[i]!.headers.get("x-quota-remaining"))).sort((a, b) => a - b);
    expect(remainingAfter).toEqual(Array.from({ length: QUOTA }, (_, i) => i));
    expect(await usageEventStatuses(orgId)).toEqual([{ status: 200, n: QUOTA }]);
    expect((await usageReport(contextOf(orgId, systemActor("seed")))).quota_remaining).toBe(0);

    // The same calls again, with the same Idempotency-Keys, all at once: a served call gets its
    // first answer back byte for byte (with that answer's X-Quota-Remaining), a refused one (its
    // key was freed) is refused again; nothing is charged.
    const replays = await Promise.all(Array.from({ length: CALLS }, (_, i) => search(key, `burst-${i}`)));
    for (const i of served) {
      expect(replays[i]!.status).toBe(200);
      expect(replays[i]!.headers.get("idempotent-replayed")).toBe("true");
      expect(replays[i]!.headers.get("x-quota-remaining")).toBe(first[i]!.headers.get("x-quota-remaining"));
      expect(await replays[i]!.text()).toBe(bodies[i]);
    }
    for (const i of refused) {
      expect(replays[i]!.status).toBe(402);
      expect(replays[i]!.headers.get("x-quota-remaining")).toBe("0");
      expect((await replays[i]!.json()).code).toBe("quota_exhausted");
    }
    expect(await usageEventStatuses(orgId)).toEqual([{ status: 200, n: QUOTA }]);
    expect((await usageReport(contextOf(orgId, systemActor("seed")))).quota_remaining).toBe(0);
    // 400 full API calls: on PGlite (one connection) they run one at a time, and this machine is shared.
  }, 180_000);
});
