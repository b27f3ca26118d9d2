// The metered API through the real route handlers, API keys, database and limiter.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeEach, expect, it } from "vitest";
import * as detailRoute from "@/app/api/v1/opportunities/[noticeId]/route";
import * as searchRoute from "@/app/api/v1/opportunities/route";
import * as usageRoute from "@/app/api/v1/usage/route";
import { db } from "@/db/client";
import { businessProfiles, notRelevantNotices, opportunities, organizations, usageEvents } from "@/db/schema";
import { createApiKey } from "@/lib/auth";
import type { PlanId } from "@/lib/plans";
import { MemoryRateLimiter, setRateLimiter } from "@/lib/ratelimit";
import { describeOnOneDatabase } from "@/tests/db";
import { setQuotaRemaining } from "@/lib/metering";
import { contextOf } from "@/tests/support/factories";
import { systemActor } from "@/lib/context";

type Handler = (request: Request, context?: { params: Promise<Record<string, string>> }) => Promise<Response>;

function call(
  handler: Handler,
  path: string,
  key: string,
  headers: Record<string, string> = {},
  params: Record<string, string> = {},
) {
  const request = new Request(`http://localhost:3000${path}`, {
    headers: { authorization: `Bearer ${key}`, ...headers },
  });
  return handler(request, { params: Promise.resolve(params) });
}

async function makeKey(plan: PlanId = "starter") {
  const [org] = await db()
    .insert(organizations)
    .values({ name: `API ${plan}`, plan })
    .returning({ id: organizations.id });
  const key = await createApiKey(contextOf(org!.id, systemActor("seed")), { name: "test" });
  return { orgId: org!.id, key: key.key };
}

async function charged(orgId: string) {
  const [row] = await db()
    .select({ n: sql<number>`count(*)::int` })
    .from(usageEvents)
    .where(eq(usageEvents.orgId, orgId));
  return row!.n;
}

beforeEach(() => {
  setRateLimiter(new MemoryRateLimiter());
});
afterAll(() => {
  setRateLimiter(undefined);
});

describeOnOneDatabase("metered API v1", () => {
  it("GET /api/v1/opportunities charges one unit and answers X-Quota-Remaining and RateLimit-* headers", async () => {
    const { orgId, key } = await makeKey("starter");
    const res = await call(searchRoute.GET, "/api/v1/opportunities?q=cyber", key);
    expect(res.status).toBe(200);
    // Without SAM_API_KEY the answer says it is the bundled snapshot, judged at its day.
    expect(await res.json()).toEqual({
      data: [],
      feed: { live: false, reference_date: "2026-04-25T03:59:59.999Z" },
      next_cursor: null,
    });
    expect(res.headers.get("x-quota-remaining")).toBe("4999");
    expect(res.headers.get("ratelimit-limit")).toBe("60");
    expect(res.headers.get("ratelimit-remaining")).toBe("59");
    expect(Number(res.headers.get("ratelimit-reset"))).toBeGreaterThan(0);
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    const [event] = await db().select().from(usageEvents).where(eq(usageEvents.orgId, orgId));
    expect(event).toMatchObject({
      endpoint: "GET /api/v1/opportunities",
      status: 200,
      quotaBefore: 5000,
      quotaAfter: 4999,
      requestId: res.headers.get("x-request-id"),
    });
    expect(event!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("an invalid query answers 422 and is not charged", async () => {
    const { orgId, key } = await makeKey();
    const res = await call(searchRoute.GET, "/api/v1/opportunities?limit=500", key);
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("ratelimit-limit")).toBe("60");
    expect(await charged(orgId)).toBe(0);
  });

  it("an unknown notice id is a served lookup: 404 Problem+JSON, charged", async () => {
    const { orgId, key } = await makeKey();
    const res = await call(detailRoute.GET, "/api/v1/opportunities/nope", key, {}, { noticeId: "nope" });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect((await res.json()).code).toBe("not_found");
    expect(res.headers.get("x-quota-remaining")).toBe("4999");
    expect(await charged(orgId)).toBe(1);
  });

  it("a repeated Idempotency-Key gets the first response and costs nothing", async () => {
    const { orgId, key } = await makeKey();
    const first = await call(searchRoute.GET, "/api/v1/opportunities?q=roof", key, { "idempotency-key": "retry-1" });
    expect(first.status).toBe(200);
    const firstBody = await first.text();
    const again = await call(searchRoute.GET, "/api/v1/opportunities?q=roof", key, { "idempotency-key": "retry-1" });
    expect(again.status).toBe(200);
    expect(await again.text()).toBe(firstBody);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("x-quota-remaining")).toBe("4999");
    expect(await charged(orgId)).toBe(1);
    // The same key on another request is refused; a key over 255 characters is a 400.
    const other = await call(searchRoute.GET, "/api/v1/opportunities?q=paint", key, { "idempotency-key": "retry-1" });
    expect(other.status).toBe(422);
    const long = await call(searchRoute.GET, "/api/v1/opportunities", key, { "idempotency-key": "x".repeat(256) });
    expect(long.status).toBe(400);
    expect(await charged(orgId)).toBe(1);
  });

  it("an Idempotency-Key replay is the first answer byte for byte: status, body, Content-Type and X-Quota-Remaining", async () => {
    const { orgId, key } = await makeKey();
    const noticeId = `IDEM-${crypto.randomUUID()}`;
    // Keys whose JSON order differs from jsonb's (shorter keys first): notice_id before url.
    await db().insert(opportunities).values({
      noticeId,
      title: "Roof replacement",
      postedAt: new Date(),
      source: "test",
      raw: {},
      updatedAt: new Date(),
    });
    const first = await call(searchRoute.GET, "/api/v1/opportunities?q=roof", key, { "idempotency-key": "bytes-1" });
    expect(first.status).toBe(200);
    const firstBody = await first.text();
    expect(firstBody.startsWith('{"data":[{"notice_id":')).toBe(true);
    // Another call in between moves the live quota: the replay still reports the first answer's.
    await call(searchRoute.GET, "/api/v1/opportunities?q=other", key);
    const again = await call(searchRoute.GET, "/api/v1/opportunities?q=roof", key, { "idempotency-key": "bytes-1" });
    expect(again.status).toBe(200);
    expect(await again.text()).toBe(firstBody);
    expect(again.headers.get("content-type")).toBe(first.headers.get("content-type"));
    expect(again.headers.get("x-quota-remaining")).toBe(first.headers.get("x-quota-remaining"));
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    // Rate-limit headers describe the replay's own standing (it counted against the limit).
    expect(again.headers.get("ratelimit-remaining")).toBe("57");
    expect(await charged(orgId)).toBe(2);
  });

  it("a replayed 404 keeps its status, Problem+JSON type and body", async () => {
    const { key } = await makeKey();
    const first = await call(
      detailRoute.GET,
      "/api/v1/opportunities/nope",
      key,
      { "idempotency-key": "miss-1" },
      { noticeId: "nope" },
    );
    expect(first.status).toBe(404);
    const firstBody = await first.text();
    const again = await call(
      detailRoute.GET,
      "/api/v1/opportunities/nope",
      key,
      { "idempotency-key": "miss-1" },
      { noticeId: "nope" },
    );
    expect(again.status).toBe(404);
    expect(again.headers.get("content-type")).toBe("application/problem+json");
    expect(await again.text()).toBe(firstBody);
  });

  it("no quota left: 402 quota_exhausted Problem+JSON; the Idempotency-Key is freed for a retry after a top-up", async () => {
    const { orgId, key } = await makeKey();
    await setQuotaRemaining(contextOf(orgId, systemActor("seed")), 0);
    const res = await call(searchRoute.GET, "/api/v1/opportunities", key, { "idempotency-key": "after-topup" });
    expect(res.status).toBe(402);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.json()).toMatchObject({
      code: "quota_exhausted",
      status: 402,
      type: "https://beacon.dev/problems/quota_exhausted",
    });
    expect(res.headers.get("x-quota-remaining")).toBe("0");
    expect(res.headers.get("ratelimit-limit")).toBe("60");
    await setQuotaRemaining(contextOf(orgId, systemActor("seed")), 2);
    const retry = await call(searchRoute.GET, "/api/v1/opportunities", key, { "idempotency-key": "after-topup" });
    expect(retry.status).toBe(200);
    expect(retry.headers.get("x-quota-remaining")).toBe("1");
  });

  it("over the plan's rate (free: 10/min per key): 429 rate_limited with Retry-After, not charged", async () => {
    const { orgId, key } = await makeKey("free");
    for (let i = 0; i < 10; i++) expect((await call(searchRoute.GET, "/api/v1/opportunities", key)).status).toBe(200);
    const res = await call(searchRoute.GET, "/api/v1/opportunities", key);
    expect(res.status).toBe(429);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect((await res.json()).code).toBe("rate_limited");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(res.headers.get("ratelimit-remaining")).toBe("0");
    expect(await charged(orgId)).toBe(10);
    // Limits are per API key: another key of the same org is not affected.
    const second = await createApiKey(contextOf(orgId, systemActor("seed")), { name: "second" });
    expect((await call(searchRoute.GET, "/api/v1/opportunities", second.key)).status).toBe(200);
  });

  it("GET /api/v1/usage reports the plan and quota without spending any", async () => {
    const { orgId, key } = await makeKey("pro");
    await call(searchRoute.GET, "/api/v1/opportunities", key);
    const res = await call(usageRoute.GET, "/api/v1/usage", key);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ plan: "pro", quota_monthly: 50_000, quota_remaining: 49_999 });
    expect(new Date(body.period_end).getTime()).toBeGreaterThan(Date.now());
    expect(await charged(orgId)).toBe(1);
  });

  it("sort=fit ranks by the key's org's fit and leaves out its not-relevant notices; without a profile it is refused, free", async () => {
    const { orgId, key } = await makeKey();
    const probe = (noticeId: string, fields: Partial<typeof opportunities.$inferInsert>) => ({
      noticeId: `${noticeId}-${orgId}`,
      title: "Fitprobe radar work",
      agencyPath: "NAVY.NAVSEA",
      postedAt: new Date("2026-04-20T12:00:00Z"),
      source: "test",
      raw: {},
      ...fields,
    });
    await db()
      .insert(opportunities)
      .values([
        probe("weak", { type: "Sources Sought", naicsCode: "236220", postedAt: new Date("2026-04-22T12:00:00Z") }),
        probe("strong", { type: "Solicitation", naicsCode: "541512" }),
        probe("marked", { type: "Solicitation", naicsCode: "541330", agencyPath: "ARMY" }),
      ]);
    const search = (query: string) => call(searchRoute.GET, `/api/v1/opportunities?q=fitprobe&status=all${query}`, key);
    // Without a profile "best fit" means nothing: 422 on `sort`, not charged.
    const refused = await search("&sort=fit");
    expect(refused.status).toBe(422);
    expect((await refused.json()).errors).toEqual([{ path: "sort", message: expect.stringContaining("business") }]);
    expect((await search("&sort=best")).status).toBe(422);
    expect(await charged(orgId)).toBe(0);

    await db()
      .insert(businessProfiles)
      .values({ orgId, companyName: "Fit Co", naicsCodes: ["541512"], keywords: ["radar"], setAsides: [], states: [] });
    await db()
      .insert(notRelevantNotices)
      .values({ orgId, noticeId: `marked-${orgId}`, agency: "ARMY", naicsCode: "541330" });
    const byFit = await search("&sort=fit");
    expect(byFit.status).toBe(200);
    const body = await byFit.json();
    expect(body.data.map((o: { notice_id: string }) => o.notice_id)).toEqual([`strong-${orgId}`, `weak-${orgId}`]);
    expect(body.data[0].fit).toEqual({
      score: 70,
      reasons: ["Exact NAICS 541512", "‘radar’ in title", "Solicitation"],
    });
    // The default order is unchanged: newest first without fit, marks not applied.
    const plain = await (await search("")).json();
    expect(plain.data.map((o: { notice_id: string }) => o.notice_id)).toHaveLength(3);
    expect(plain.data[0]).not.toHaveProperty("fit");
    expect(await charged(orgId)).toBe(2);
  });

  it("without a valid API key: 401 and nothing charged", async () => {
    const res = await call(searchRoute.GET, "/api/v1/opportunities", "bk_test_notarealkeynotarealkeynotarealke");
    expect(res.status).toBe(401);
  });
});
