import { Redis as UpstashRedis } from "@upstash/redis";
import { env, isProduction, type Env } from "@/lib/env";
import { AppError } from "@/lib/http";
import { logger } from "@/lib/observability";
import { DatabaseRateLimiter } from "./database";
import { OutagePolicyLimiter } from "./outage-policy";
import type { RateLimitDecision, RateLimitRule, RateLimiter } from "./limiter";
import { MemoryRateLimiter } from "./memory";
import { NodeRedisAdapter } from "./redis-adapter";
import { UpstashRateLimiter } from "./upstash";

/**
 * The backend comes from configuration: `REDIS_URL` → `@upstash/ratelimit` on that Redis;
 * `UPSTASH_REDIS_REST_URL` + token → Upstash REST; neither → in-process (single instance).
 * Shared stores are wrapped in each rule's outage policy (see OutagePolicyLimiter): throughput
 * limits fail open, security limits count in PostgreSQL instead.
 */
export function createRateLimiter(
  config: Env = env(),
  options: { prefix?: string; timeoutMs?: number } = {},
): RateLimiter {
  const prefix = options.prefix ?? config.RATE_LIMIT_KEY_PREFIX;
  if (config.REDIS_URL) {
    const adapter = NodeRedisAdapter.fromUrl(config.REDIS_URL, { onError: () => {} });
    return new OutagePolicyLimiter(
      new UpstashRateLimiter("redis", adapter, prefix, () => adapter.close()),
      new DatabaseRateLimiter(undefined, prefix),
      options.timeoutMs,
    );
  }
  if (config.UPSTASH_REDIS_REST_URL && config.UPSTASH_REDIS_REST_TOKEN) {
    const redis = new UpstashRedis({
      url: config.UPSTASH_REDIS_REST_URL,
      token: config.UPSTASH_REDIS_REST_TOKEN,
      enableTelemetry: false,
    });
    return new OutagePolicyLimiter(
      new UpstashRateLimiter("upstash", redis, prefix),
      new DatabaseRateLimiter(undefined, prefix),
      options.timeoutMs,
    );
  }
  if (isProduction(config)) {
    logger.warn(
      "rate limiting is in-process: each server instance counts on its own; set REDIS_URL or UPSTASH_REDIS_REST_URL when running more than one",
    );
  }
  return new MemoryRateLimiter();
}

const globalForLimiter = globalThis as unknown as { __beaconRateLimiter?: RateLimiter };

/** The process's limiter, created on first use. */
export function rateLimiter(): RateLimiter {
  globalForLimiter.__beaconRateLimiter ??= createRateLimiter();
  return globalForLimiter.__beaconRateLimiter;
}

/** Replaces the process's limiter (tests). Returns the previous one, not closed. */
export function setRateLimiter(limiter: RateLimiter | undefined) {
  const previous = globalForLimiter.__beaconRateLimiter;
  globalForLimiter.__beaconRateLimiter = limiter;
  return previous;
}

/** `RateLimit-*` headers (IETF draft): reset is in seconds from now. */
export function rateLimitHeaders(decision: RateLimitDecision, now = Date.now()): Record<string, string> {
  return {
    "ratelimit-limit": String(decision.limit),
    "ratelimit-remaining": String(decision.remaining),
    "ratelimit-reset": String(Math.max(0, Math.ceil((decision.reset - now) / 1000))),
  };
}

/** Counts one request of `identifier`; throws 429 `rate_limited` with Retry-After when over. */
export async function enforceRateLimit(
  identifier: string,
  rule: RateLimitRule,
  limiter: RateLimiter = rateLimiter(),
  now = Date.now(),
) {
  const decision = await limiter.limit(identifier, rule, now);
  if (!decision.success) throw rateLimitedError(decision, rule, now);
  return { decision, headers: rateLimitHeaders(decision, now) };
}

/**
 * The 429 `rate_limited` of a refusing decision, with Retry-After and RateLimit-* headers; `what`
 * says what was refused, for a limit whose wording the caller knows better (wrong MFA codes).
 */
export function rateLimitedError(
  decision: RateLimitDecision,
  rule: RateLimitRule,
  now = Date.now(),
  what = `Rate limit of ${rule.limit} requests per ${Math.round(rule.windowMs / 1000)} s exceeded.`,
): AppError {
  const retryAfter = Math.max(1, Math.ceil((decision.reset - now) / 1000));
  return new AppError("rate_limited", `${what} Retry in ${retryAfter} s.`, {
    headers: { ...rateLimitHeaders(decision, now), "retry-after": String(retryAfter) },
  });
}
