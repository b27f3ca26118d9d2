import { describe, expect, it } from "vitest";
import { isAppError } from "@/lib/http";
import { FailureLimit } from "./failure-limit";
import type { RateLimitRule, RateLimiter } from "./limiter";
import { MemoryRateLimiter } from "./memory";

const rule: RateLimitRule = { limit: 3, windowMs: 60_000, onOutage: "fail-open" };

/** The in-process limiter with a count of the times the store was asked. */
function countingLimiter() {
  const inner = new MemoryRateLimiter();
  const asked = { count: 0 };
  const limiter: RateLimiter = {
    backend: "memory",
    limit: (identifier, r, now) => {
      asked.count++;
      return inner.limit(identifier, r, now);
    },
    peek: (identifier, r, now) => inner.peek(identifier, r, now),
  };
  return { limiter, asked };
}

function refusal(run: () => void) {
  try {
    run();
  } catch (error) {
    return error;
  }
  return null;
}

describe("FailureLimit", () => {
  it("refuses an identifier from the failure that used up the limit until its window resets, asking the store nothing", async () => {
    let now = 1_000_000;
    const { limiter, asked } = countingLimiter();
    const failures = new FailureLimit(
      rule,
      () => limiter,
      () => now,
    );
    for (let i = 0; i < 3; i++) {
      expect(refusal(() => failures.refuseWhileOver("a"))).toBeNull();
      await failures.countFailure("a");
    }
    const error = refusal(() => failures.refuseWhileOver("a"));
    expect(isAppError(error) && error.code).toBe("rate_limited");
    expect(isAppError(error) && error.extra.headers).toMatchObject({
      "ratelimit-remaining": "0",
      "ratelimit-limit": "3",
    });
    // Another identifier is not refused; refusals are answered from memory.
    expect(refusal(() => failures.refuseWhileOver("b"))).toBeNull();
    expect(asked.count).toBe(3);
    now += 2 * rule.windowMs;
    expect(refusal(() => failures.refuseWhileOver("a"))).toBeNull();
  });

  it("refuses nothing when the store fails open (a degraded decision)", async () => {
    const degraded: RateLimiter = {
      backend: "redis",
      limit: async (_id, r) => ({
        success: true,
        limit: r.limit,
        remaining: r.limit,
        reset: Date.now() + r.windowMs,
        degraded: true,
      }),
      peek: async (_id, r) => ({ success: true, limit: r.limit, remaining: r.limit, reset: Date.now() + r.windowMs }),
    };
    const failures = new FailureLimit(rule, () => degraded);
    for (let i = 0; i < 10; i++) await failures.countFailure("flood");
    expect(refusal(() => failures.refuseWhileOver("flood"))).toBeNull();
  });
});
