import { Ratelimit } from "@upstash/ratelimit";
import type { RateLimitDecision, RateLimitRule, RateLimiter } from "./limiter";

/** What `@upstash/ratelimit` needs of a Redis client (`@upstash/redis` or our node-redis adapter). */
type RatelimitRedis = ConstructorParameters<typeof Ratelimit>[0]["redis"];

/**
 * Sliding window on Redis with `@upstash/ratelimit`: every instance shares the count.
 * Errors propagate; `OutagePolicyLimiter` decides what a Redis outage means, per rule.
 */
export class UpstashRateLimiter implements RateLimiter {
  private readonly limiters = new Map<string, Ratelimit>();

  constructor(
    readonly backend: "redis" | "upstash",
    private readonly redis: unknown,
    private readonly prefix = "beacon:rl",
    private readonly onClose?: () => Promise<void>,
  ) {}

  async limit(identifier: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    const result = await this.limiterFor(rule).limit(identifier);
    return { success: result.success, limit: result.limit, remaining: result.remaining, reset: result.reset };
  }

  async peek(identifier: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    const result = await this.limiterFor(rule).getRemaining(identifier);
    return { success: result.remaining > 0, limit: rule.limit, remaining: result.remaining, reset: result.reset };
  }

  private limiterFor(rule: RateLimitRule) {
    // One counter namespace per rule: a plan change starts a fresh window instead of mixing limits.
    const id = `${rule.limit}/${rule.windowMs}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = new Ratelimit({
        redis: this.redis as RatelimitRedis,
        limiter: Ratelimit.slidingWindow(rule.limit, `${rule.windowMs} ms`),
        prefix: `${this.prefix}:${id}`,
        analytics: false,
        enableProtection: false,
        enableTelemetry: false,
        // The outage-policy wrapper owns time-outs and errors, so outages are logged in one place.
        timeout: 0,
      });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  async close() {
    await this.onClose?.();
  }
}
