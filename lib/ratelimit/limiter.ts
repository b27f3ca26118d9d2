/** What every limiter backend answers for one request of one identifier. */
export interface RateLimitDecision {
  success: boolean;
  limit: number;
  remaining: number;
  /** Unix time in ms when the window frees up again. */
  reset: number;
  /** True when the store could not be asked and the request was let through (fail-open). */
  degraded?: boolean;
}

export interface RateLimitRule {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

export interface RateLimiter {
  readonly backend: "memory" | "redis" | "upstash";
  limit(identifier: string, rule: RateLimitRule, now?: number): Promise<RateLimitDecision>;
  /** The decision the next request would get, without counting anything (for limits that count only failures). */
  peek(identifier: string, rule: RateLimitRule, now?: number): Promise<RateLimitDecision>;
  close?(): Promise<void>;
}
