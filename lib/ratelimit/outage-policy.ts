import { logger } from "@/lib/observability";
import type { RateLimitDecision, RateLimitRule, RateLimiter } from "./limiter";

const WARN_EVERY_MS = 30_000;
/** How long a refused request is told to wait when neither Redis nor PostgreSQL can count. */
const REFUSED_RETRY_MS = 30_000;

/**
 * The shared store (Redis) being down or slow (past `timeoutMs`) must neither take the paid
 * API down with it nor make guessing free. Each rule says which (`onOutage`):
 * - "fail-open": the request passes, marked `degraded` (the quota in PostgreSQL still bounds
 *   what a key can spend);
 * - "fail-closed": the `fallback` (PostgreSQL) counts instead; if that fails as well the
 *   request is refused. Never unlimited.
 * Outages are logged at most every 30 s so they do not flood the logs.
 */
export class OutagePolicyLimiter implements RateLimiter {
  private lastWarning = 0;

  constructor(
    private readonly inner: RateLimiter,
    private readonly fallback: RateLimiter,
    private readonly timeoutMs = 500,
  ) {}

  get backend() {
    return this.inner.backend;
  }

  limit(identifier: string, rule: RateLimitRule, now = Date.now()): Promise<RateLimitDecision> {
    return this.guarded((limiter) => limiter.limit(identifier, rule, now), rule, now);
  }

  peek(identifier: string, rule: RateLimitRule, now = Date.now()): Promise<RateLimitDecision> {
    return this.guarded((limiter) => limiter.peek(identifier, rule, now), rule, now);
  }

  private async guarded(
    ask: (limiter: RateLimiter) => Promise<RateLimitDecision>,
    rule: RateLimitRule,
    now: number,
  ): Promise<RateLimitDecision> {
    try {
      return await withTimeout(ask(this.inner), this.timeoutMs, "rate-limit store");
    } catch (error) {
      if (rule.onOutage === "fail-open") {
        this.warn(
          now,
          error,
          "rate limiter unavailable: failing open for throughput limits (requests are not rate limited)",
        );
        return { success: true, limit: rule.limit, remaining: rule.limit, reset: now + rule.windowMs, degraded: true };
      }
      this.warn(now, error, "rate limiter unavailable: security limits count in PostgreSQL");
      try {
        return await withTimeout(ask(this.fallback), this.timeoutMs * 4, "rate-limit fallback");
      } catch (fallbackError) {
        logger.error(
          { err: fallbackError, backend: this.fallback.backend },
          "rate limiter and its fallback unavailable: refusing a security-limited request",
        );
        return {
          success: false,
          limit: rule.limit,
          remaining: 0,
          reset: now + Math.min(rule.windowMs, REFUSED_RETRY_MS),
          degraded: true,
        };
      }
    }
  }

  private warn(now: number, error: unknown, message: string) {
    if (now - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = now;
    logger.warn({ err: error, backend: this.inner.backend }, message);
  }

  async close() {
    await this.inner.close?.();
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    });
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
