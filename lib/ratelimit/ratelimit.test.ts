import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { readEnv } from "@/lib/env";
import { appErrorOf } from "@/tests/app-error";
import {
  createRateLimiter,
  enforceRateLimit,
  MemoryRateLimiter,
  OutagePolicyLimiter,
  NodeRedisAdapter,
  UpstashRateLimiter,
  type RateLimiter,
} from "./index";

const rule = { limit: 5, windowMs: 60_000, onOutage: "fail-open" } as const;
const uniquePrefix = () => `beacon-test:${Date.now()}:${randomBytes(4).toString("hex")}`;

describe("in-process sliding window", () => {
  it("allows 5, refuses the 6th, frees a slot once the oldest hit leaves the window", async () => {
    const limiter = new MemoryRateLimiter();
    const t0 = 1_000_000;
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await limiter.limit("key-a", rule, t0 + i));
    expect(results.map((r) => r.success)).toEqual([true, true, true, true, true, false]);
    expect(results[4]!.remaining).toBe(0);
    expect(results[5]!.reset).toBe(t0 + 60_000);
    expect((await limiter.limit("key-b", rule, t0 + 10)).success).toBe(true);
    expect((await limiter.limit("key-a", rule, t0 + 60_001)).success).toBe(true);
  });

  it("enforceRateLimit answers 429 rate_limited with Retry-After and RateLimit-* headers", async () => {
    const limiter = new MemoryRateLimiter();
    const now = 5_000_000;
    for (let i = 0; i < 5; i++) await enforceRateLimit("k", rule, limiter, now);
    const error = await appErrorOf(enforceRateLimit("k", rule, limiter, now + 1_500));
    expect(error.code).toBe("rate_limited");
    expect(error.extra.headers).toEqual({
      "ratelimit-limit": "5",
      "ratelimit-remaining": "0",
      "ratelimit-reset": "59",
      "retry-after": "59",
    });
  });

  it("peek tells what the next request would get without counting it", async () => {
    const limiter = new MemoryRateLimiter();
    const t0 = 2_000_000;
    for (let i = 0; i < 10; i++) expect((await limiter.peek("quiet", rule, t0 + i)).success).toBe(true);
    for (let i = 0; i < 5; i++) await limiter.limit("quiet", rule, t0 + 20 + i);
    expect(await limiter.peek("quiet", rule, t0 + 30)).toMatchObject({
      success: false,
      remaining: 0,
      reset: t0 + 20 + 60_000,
    });
    expect((await limiter.peek("quiet", rule, t0 + 20 + 60_001)).success).toBe(true);
  });

  it("is the backend when neither REDIS_URL nor UPSTASH_REDIS_REST_URL is set", () => {
    expect(createRateLimiter(readEnv({ NODE_ENV: "test" })).backend).toBe("memory");
  });
});

describe("a fail-open limit when the Redis store is unreachable (closed port 127.0.0.1:1)", () => {
  const limiter = createRateLimiter(readEnv({ NODE_ENV: "test", REDIS_URL: "redis://127.0.0.1:1" }), {
    prefix: uniquePrefix(),
  });
  afterAll(() => limiter.close?.());

  it("lets every request through, marked degraded, within the time-out", async () => {
    expect(limiter.backend).toBe("redis");
    const started = Date.now();
    const results = [];
    for (let i = 0; i < 7; i++) results.push(await limiter.limit("key", rule));
    expect(results.every((r) => r.success && r.degraded)).toBe(true);
    expect(results[0]).toMatchObject({ limit: 5, remaining: 5 });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("also fails open when the store hangs past the time-out", async () => {
    const hanging: RateLimiter = {
      backend: "redis",
      limit: () => new Promise(() => {}),
      peek: () => new Promise(() => {}),
    };
    const decision = await new OutagePolicyLimiter(hanging, new MemoryRateLimiter(), 50).limit("key", rule);
    expect(decision).toMatchObject({ success: true, degraded: true });
  });
});

// Runs only when REDIS_URL is set (CI sets it), like the PostgreSQL suites with DATABASE_URL;
// without it the suite is reported as skipped, never as passed.
describe.runIf(Boolean(process.env.REDIS_URL))(
  "@upstash/ratelimit on the real Redis at REDIS_URL (runs only when REDIS_URL is set)",
  () => {
    const limiters: RateLimiter[] = [];
    const make = () => {
      const limiter = createRateLimiter(readEnv({ NODE_ENV: "test", REDIS_URL: process.env.REDIS_URL }), {
        prefix: uniquePrefix(),
        timeoutMs: 2_000,
      });
      limiters.push(limiter);
      return limiter;
    };
    afterAll(async () => {
      for (const l of limiters) await l.close?.();
    });

    it("sliding window: 5 allowed, the 6th refused, per identifier", async () => {
      const limiter = make();
      const results = [];
      for (let i = 0; i < 6; i++) results.push(await limiter.limit("api-key-1", rule));
      expect(results.map((r) => r.success)).toEqual([true, true, true, true, true, false]);
      expect(results.some((r) => r.degraded)).toBe(false);
      expect(results[5]).toMatchObject({ limit: 5, remaining: 0 });
      expect(results[5]!.reset).toBeGreaterThan(Date.now());
      expect((await limiter.limit("api-key-2", rule)).success).toBe(true);
    });

    it("peek on Redis does not count, and sees the count other requests made", async () => {
      const limiter = make();
      for (let i = 0; i < 8; i++) expect((await limiter.peek("peeked", rule)).success).toBe(true);
      for (let i = 0; i < 5; i++) expect((await limiter.limit("peeked", rule)).success).toBe(true);
      expect(await limiter.peek("peeked", rule)).toMatchObject({ success: false, remaining: 0 });
    });

    it("two limiters (two app instances) share one count", async () => {
      const prefix = uniquePrefix();
      const a = NodeRedisAdapter.fromUrl(process.env.REDIS_URL!);
      const b = NodeRedisAdapter.fromUrl(process.env.REDIS_URL!);
      const first = new UpstashRateLimiter("redis", a, prefix, () => a.close());
      const second = new UpstashRateLimiter("redis", b, prefix, () => b.close());
      limiters.push(first, second);
      const results = [];
      for (let i = 0; i < 6; i++) results.push(await (i % 2 ? first : second).limit("shared", rule));
      expect(results.map((r) => r.success)).toEqual([true, true, true, true, true, false]);
    });

    it("re-sends a script Redis forgot (SCRIPT FLUSH) instead of failing", async () => {
      const adapter = NodeRedisAdapter.fromUrl(process.env.REDIS_URL!);
      const limiter = new UpstashRateLimiter("redis", adapter, uniquePrefix(), () => adapter.close());
      limiters.push(limiter);
      expect((await limiter.limit("k", rule)).success).toBe(true);
      await adapter.client.scriptFlush();
      // EVALSHA answers NOSCRIPT; the library re-sends the script through eval() in the same call.
      expect(await limiter.limit("k", rule)).toMatchObject({ success: true, remaining: 3 });
    });
  },
);
