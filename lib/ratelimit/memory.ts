import type { RateLimitDecision, RateLimitRule, RateLimiter } from "./limiter";

/**
 * Sliding window log kept in this process: exact, but only correct for a single instance
 * (each instance would grant the full limit). Used when no Redis is configured.
 */
export class MemoryRateLimiter implements RateLimiter {
  readonly backend = "memory" as const;
  private readonly hits = new Map<string, number[]>();
  private lastSweep = 0;

  async limit(identifier: string, rule: RateLimitRule, now = Date.now()): Promise<RateLimitDecision> {
    this.sweep(now, rule.windowMs);
    const windowStart = now - rule.windowMs;
    const log = (this.hits.get(identifier) ?? []).filter((t) => t > windowStart);
    const success = log.length < rule.limit;
    if (success) log.push(now);
    this.hits.set(identifier, log);
    const oldest = log[0] ?? now;
    return {
      success,
      limit: rule.limit,
      remaining: Math.max(0, rule.limit - log.length),
      reset: oldest + rule.windowMs,
    };
  }

  async peek(identifier: string, rule: RateLimitRule, now = Date.now()): Promise<RateLimitDecision> {
    const log = (this.hits.get(identifier) ?? []).filter((t) => t > now - rule.windowMs);
    return {
      success: log.length < rule.limit,
      limit: rule.limit,
      remaining: Math.max(0, rule.limit - log.length),
      reset: (log[0] ?? now) + rule.windowMs,
    };
  }

  // Forget identifiers idle for a whole window, at most once per window, so memory stays bounded.
  private sweep(now: number, windowMs: number) {
    if (now - this.lastSweep < windowMs) return;
    this.lastSweep = now;
    for (const [id, log] of this.hits) if ((log[log.length - 1] ?? 0) <= now - windowMs) this.hits.delete(id);
  }
}
