import { describe, expect, it } from "vitest";
import { readEnv } from "@/lib/env";
import { appErrorOf } from "@/tests/app-error";
import {
  RATE_LIMITS,
  clientIpOf,
  enforceAuthRateLimit,
  MemoryRateLimiter,
  signUpPerIpRule,
  tooManyAttemptsMessage,
} from "./index";

const config = readEnv({ NODE_ENV: "test" });

describe("auth rate-limit configuration", () => {
  it("sign-ups per IP default to 10 an hour and follow RATE_LIMIT_SIGN_UPS_PER_IP_PER_HOUR", () => {
    expect(signUpPerIpRule(config)).toEqual({ limit: 10, windowMs: 3_600_000, onOutage: "fail-open" });
    expect(signUpPerIpRule(readEnv({ RATE_LIMIT_SIGN_UPS_PER_IP_PER_HOUR: "200" })).limit).toBe(200);
    expect(() => readEnv({ RATE_LIMIT_SIGN_UPS_PER_IP_PER_HOUR: "0" })).toThrow(/RATE_LIMIT_SIGN_UPS_PER_IP_PER_HOUR/);
  });

  it("TRUSTED_PROXY_HOPS defaults to 0 (the TCP peer) and picks the client entry behind proxies", () => {
    const headers = new Headers({ "x-forwarded-for": "6.6.6.6, 198.51.100.7, 10.0.0.2" });
    expect(clientIpOf(headers, config)).toBe("10.0.0.2");
    expect(clientIpOf(headers, readEnv({ TRUSTED_PROXY_HOPS: "1" }))).toBe("198.51.100.7");
    expect(() => readEnv({ TRUSTED_PROXY_HOPS: "-1" })).toThrow(/TRUSTED_PROXY_HOPS/);
  });

  it("the inline message names the wait in seconds", () => {
    expect(tooManyAttemptsMessage(1)).toBe("Too many attempts. Try again in 1 second.");
    expect(tooManyAttemptsMessage(42)).toBe("Too many attempts. Try again in 42 seconds.");
  });
});

describe("enforceAuthRateLimit (in-process limiter)", () => {
  it("a refused attempt is a 429 rate_limited with the inline message and the RateLimit-* headers", async () => {
    const limiter = new MemoryRateLimiter();
    const who = { ip: "203.0.113.5", email: "pat@example.com" };
    for (let i = 0; i < RATE_LIMITS.signInPerIpAndEmail.limit; i++)
      await enforceAuthRateLimit("sign-in", who, { limiter, config });
    const error = await appErrorOf(enforceAuthRateLimit("sign-in", who, { limiter, config }));
    expect(error.code).toBe("rate_limited");
    expect(error.status).toBe(429);
    expect(error.message).toMatch(/^Too many attempts\. Try again in \d+ seconds?\.$/);
    expect(error.extra.headers).toMatchObject({ "ratelimit-limit": "10", "ratelimit-remaining": "0" });
    expect(Number(error.extra.headers?.["retry-after"])).toBeGreaterThan(0);
  });

  it("counts an address however it is written, and the limits of one kind of attempt do not spill into another", async () => {
    const limiter = new MemoryRateLimiter();
    const ip = "203.0.113.6";
    for (let i = 0; i < RATE_LIMITS.passwordResetPerEmail.limit; i++) {
      await enforceAuthRateLimit(
        "password-reset",
        { ip: `198.51.100.${i}`, email: i % 2 ? "Kim@Example.com " : "kim@example.com" },
        { limiter, config },
      );
    }
    await expect(
      enforceAuthRateLimit("password-reset", { ip, email: "KIM@example.com" }, { limiter, config }),
    ).rejects.toThrow(/Too many attempts/);
    await expect(
      enforceAuthRateLimit("magic-link", { ip, email: "kim@example.com" }, { limiter, config }),
    ).resolves.toBeUndefined();
  });
});
