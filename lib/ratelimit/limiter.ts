/** What every limiter backend answers for one request of one identifier. */
export interface RateLimitDecision {
  success: boolean;
  limit: number;
  remaining: number;
  /** Unix time in ms when the window frees up again. */
  reset: number;
  /** True when the shared store could not be asked: the decision came from the outage policy. */
  degraded?: boolean;
}

/**
 * What a limit does while its shared store (Redis) is down or slow:
 * - "fail-open": let requests through (throughput limits; something else bounds the cost);
 * - "fail-closed": count in PostgreSQL instead, and refuse if that fails too (limits that
 *   protect a secret: a guess must never become free because Redis is down).
 */
export type OutagePolicy = "fail-open" | "fail-closed";

export interface RateLimitRule {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
  onOutage: OutagePolicy;
}

export interface RateLimiter {
  readonly backend: "memory" | "redis" | "upstash" | "database";
  limit(identifier: string, rule: RateLimitRule, now?: number): Promise<RateLimitDecision>;
  /** The decision the next request would get, without counting anything (for limits that count only failures). */
  peek(identifier: string, rule: RateLimitRule, now?: number): Promise<RateLimitDecision>;
  close?(): Promise<void>;
}
