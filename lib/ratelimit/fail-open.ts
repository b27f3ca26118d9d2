import { logger } from "@/lib/observability";
import type { RateLimitDecision, RateLimitRule, RateLimiter } from "./limiter";

const WARN_EVERY_MS = 30_000;

/**
 * A shared store being down must not take the paid API down with it: quota (in PostgreSQL)
 * still bounds what a key can spend, so the limiter lets the request through, marks the
 * decision `degraded`, and warns (at most every 30 s, so an outage does not flood the logs).
 */
export class FailOpenLimiter implements RateLimiter {
  private lastWarning = 0;

  constructor(
    private readonly inner: RateLimiter,
    private readonly timeoutMs = 500,
  ) {}

  get backend() {
    return this.inner.backend;
  }

  limit(identifier: string, rule: RateLimitRule, now = Date.now()): Promise<RateLimitDecision> {
    return this.guarded(() => this.inner.limit(identifier, rule, now), rule, now);
  }

  peek(identifier: string, rule: RateLimitRule, now = Date.now()): Promise<RateLimitDecision> {
    return this.guarded(() => this.inner.peek(identifier, rule, now), rule, now);
  }

  private async guarded(ask: () => Promise<RateLimitDecision>, rule: RateLimitRule, now: number): Promise<RateLimitDecision> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`rate-limit store did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      });
      return await Promise.race([ask(), timeout]);
    } catch (error) {
      if (now - this.lastWarning >= WARN_EVERY_MS) {
        this.lastWarning = now;
        logger.warn({ err: error, backend: this.inner.backend }, "rate limiter unavailable: failing open (requests are not rate limited)");
      }
      return { success: true, limit: rule.limit, remaining: rule.limit, reset: now + rule.windowMs, degraded: true };
    } finally {
      clearTimeout(timer);
    }
  }

  async close() {
    await this.inner.close?.();
  }
}
