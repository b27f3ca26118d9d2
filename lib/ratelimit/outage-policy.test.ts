import { randomBytes } from "node:crypto";
import { like } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db, openDatabase } from "@/db/client";
import { rateLimitCounters } from "@/db/schema";
import { readEnv } from "@/lib/env";
import { appErrorOf } from "@/tests/app-error";
import { describeEachDatabase } from "@/tests/db";
import { startTcpProxy } from "@/tests/resilience/tcp-proxy";
import {
  apiKeyRule,
  createRateLimiter,
  DatabaseRateLimiter,
  enforceAuthRateLimit,
  RATE_LIMITS,
  type RateLimitRule,
  type RateLimiter,
} from "./index";
import { OutagePolicyLimiter } from "./outage-policy";

const secret: RateLimitRule = { limit: 3, windowMs: 60_000, onOutage: "fail-closed" };
const throughput: RateLimitRule = { limit: 3, windowMs: 60_000, onOutage: "fail-open" };
const uniquePrefix = () => `beacon-test:${Date.now()}:${randomBytes(4).toString("hex")}`;
const config = readEnv({ NODE_ENV: "test" });

/**
 * The counts below run over fixed windows (a minute, an hour): a test that crossed a window's
 * end would see part of its count slide out. The clock stands still half-way through both.
 */
function holdClockMidWindow() {
  beforeEach(() => {
    const hour = 60 * 60_000;
    vi.useFakeTimers({ now: Math.floor(Date.now() / hour) * hour + 30 * 60_000 + 30_000, toFake: ["Date"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}

async function attempts(limiter: RateLimiter, identifier: string, rule: RateLimitRule, n: number) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await limiter.limit(identifier, rule));
  return out;
}

describeEachDatabase("rate limits while Redis is cut: security limits fail closed, throughput limits fail open", () => {
  describe("Redis refusing connections (closed port 127.0.0.1:1)", () => {
    holdClockMidWindow();
    let limiter: RateLimiter;
    beforeAll(() => {
      limiter = createRateLimiter(readEnv({ NODE_ENV: "test", REDIS_URL: "redis://127.0.0.1:1" }), {
        prefix: uniquePrefix(),
        timeoutMs: 100,
      });
    });
    afterAll(() => limiter.close?.());

    it("a fail-closed limit counts in PostgreSQL and refuses past its limit; a fail-open limit lets everything through", async () => {
      expect(limiter.backend).toBe("redis");
      const guarded = await attempts(limiter, "guess:1", secret, 6);
      expect(guarded.map((d) => d.success)).toEqual([true, true, true, false, false, false]);
      expect(guarded.every((d) => d.degraded)).toBe(true);
      expect(guarded[2]).toMatchObject({ limit: 3, remaining: 0 });
      expect(await db().select().from(rateLimitCounters).where(like(rateLimitCounters.key, "%:guess:1"))).toHaveLength(
        1,
      );
      // Another identifier has its own count.
      expect((await limiter.limit("guess:2", secret)).success).toBe(true);

      const open = await attempts(limiter, "api:1", throughput, 6);
      expect(open.every((d) => d.success && d.degraded)).toBe(true);
      expect(await db().select().from(rateLimitCounters).where(like(rateLimitCounters.key, "%:api:1"))).toEqual([]);
    });

    it("sign-in, magic-link and password-reset requests are limited through the database; sign-ups per IP are not", async () => {
      const ip = "203.0.113.77";
      for (let i = 0; i < RATE_LIMITS.signInPerIpAndEmail.limit; i++)
        await enforceAuthRateLimit("sign-in", { ip, email: "victim@example.com" }, { limiter, config });
      expect(
        (await appErrorOf(enforceAuthRateLimit("sign-in", { ip, email: "victim@example.com" }, { limiter, config })))
          .code,
      ).toBe("rate_limited");
      for (let i = 0; i < RATE_LIMITS.magicLinkPerEmail.limit; i++)
        await enforceAuthRateLimit(
          "magic-link",
          { ip: `198.51.100.${i}`, email: "box@example.com" },
          { limiter, config },
        );
      expect(
        (await appErrorOf(enforceAuthRateLimit("magic-link", { ip, email: "box@example.com" }, { limiter, config })))
          .code,
      ).toBe("rate_limited");
      for (let i = 0; i < RATE_LIMITS.passwordResetPerEmail.limit; i++)
        await enforceAuthRateLimit(
          "password-reset",
          { ip: `198.51.100.${i}`, email: "box@example.com" },
          { limiter, config },
        );
      expect(
        (
          await appErrorOf(
            enforceAuthRateLimit("password-reset", { ip, email: "box@example.com" }, { limiter, config }),
          )
        ).code,
      ).toBe("rate_limited");

      const tightSignUps = readEnv({ NODE_ENV: "test", RATE_LIMIT_SIGN_UPS_PER_IP_PER_HOUR: "2" });
      for (let i = 0; i < 4; i++)
        await enforceAuthRateLimit("sign-up", { ip: "203.0.113.78" }, { limiter, config: tightSignUps });
      for (let i = 0; i < 4; i++) expect((await limiter.limit("key:x", apiKeyRule(2))).success).toBe(true);
    });
  });

  describe("Redis accepting connections and never answering (a hanging TCP proxy)", () => {
    holdClockMidWindow();
    let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
    let limiter: RateLimiter;
    beforeAll(async () => {
      proxy = await startTcpProxy("redis://127.0.0.1:1");
      await proxy.set("hanging");
      limiter = createRateLimiter(readEnv({ NODE_ENV: "test", REDIS_URL: proxy.url }), {
        prefix: uniquePrefix(),
        timeoutMs: 150,
      });
    });
    afterAll(async () => {
      await limiter?.close?.();
      await proxy?.close();
    });

    it("a fail-closed limit waits out the time-out, then counts in PostgreSQL; a throughput limit fails open", async () => {
      expect((await attempts(limiter, "hang:guess", secret, 4)).map((d) => d.success)).toEqual([
        true,
        true,
        true,
        false,
      ]);
      const open = await attempts(limiter, "webhook:ip", RATE_LIMITS.stripeWebhookPerIp, 3);
      expect(open.every((d) => d.success && d.degraded)).toBe(true);
    });
  });

  describe("the PostgreSQL count itself", () => {
    const limiter = new DatabaseRateLimiter(undefined, uniquePrefix());
    const t0 = 1_800_000_000_000 - (1_800_000_000_000 % 60_000);

    it("slides: the previous window's count weighs in as it leaves the window", async () => {
      expect((await attempts2(limiter, "slide", t0, 4)).map((d) => d.success)).toEqual([true, true, true, false]);
      // 1 s into the next window the 4 earlier requests still nearly all count.
      expect((await limiter.limit("slide", secret, t0 + 61_000)).success).toBe(false);
      // Most of the way through it, the older ones have slid out.
      expect((await limiter.limit("slide", secret, t0 + 115_000)).success).toBe(true);
      // Two windows later nothing of them remains.
      expect(await limiter.peek("slide", secret, t0 + 240_000)).toMatchObject({ success: true, remaining: 3 });
    });

    it("a burst that straddles two windows counts whole: the limit holds right after a window starts", async () => {
      const rule: RateLimitRule = { limit: 5, windowMs: 60_000, onOutage: "fail-closed" };
      for (const at of [t0 + 59_000, t0 + 59_500, t0 + 60_001, t0 + 60_002, t0 + 60_003])
        expect((await limiter.limit("straddle", rule, at)).success).toBe(true);
      expect(await limiter.peek("straddle", rule, t0 + 60_004)).toMatchObject({ success: false, remaining: 0 });
      expect((await limiter.limit("straddle", rule, t0 + 60_005)).success).toBe(false);
    });

    it("peek tells what the next request would get without counting", async () => {
      for (let i = 0; i < 5; i++) expect((await limiter.peek("quiet", secret, t0)).success).toBe(true);
      await attempts2(limiter, "quiet", t0, 3);
      expect(await limiter.peek("quiet", secret, t0 + 10)).toMatchObject({
        success: false,
        remaining: 0,
        reset: t0 + 60_000,
      });
    });

    it("concurrent requests never all find room: exactly the limit gets through", async () => {
      const rule: RateLimitRule = { limit: 5, windowMs: 60_000, onOutage: "fail-closed" };
      const results = await Promise.all(Array.from({ length: 20 }, () => limiter.limit("burst", rule, t0 + 5)));
      expect(results.filter((d) => d.success)).toHaveLength(5);
    });
  });
});

async function attempts2(limiter: RateLimiter, identifier: string, now: number, n: number) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await limiter.limit(identifier, secret, now + i));
  return out;
}

describe("when PostgreSQL cannot count either", () => {
  const unreachable = openDatabase({ url: "postgres://postgres@127.0.0.1:1/none" });
  afterAll(() => unreachable.close());
  const redisDown = () =>
    createRateLimiter(readEnv({ NODE_ENV: "test", REDIS_URL: "redis://127.0.0.1:1" }), { prefix: uniquePrefix() });

  it("a fail-closed limit refuses (never unlimited); a fail-open one still lets requests through", async () => {
    const store = redisDown();
    const limiter = new OutagePolicyLimiter(store, new DatabaseRateLimiter(() => unreachable.db), 200);
    const refused = await limiter.limit("guess", secret);
    expect(refused).toMatchObject({ success: false, remaining: 0, degraded: true });
    expect(refused.reset).toBeGreaterThan(Date.now());
    expect(await limiter.peek("guess", secret)).toMatchObject({ success: false });
    expect(await limiter.limit("api", throughput)).toMatchObject({ success: true, degraded: true });
    await store.close?.();
  });
});
