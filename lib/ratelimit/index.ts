export type { OutagePolicy, RateLimitDecision, RateLimitRule, RateLimiter } from "./limiter";
export { MemoryRateLimiter } from "./memory";
export { NodeRedisAdapter } from "./redis-adapter";
export { UpstashRateLimiter } from "./upstash";
export { OutagePolicyLimiter } from "./outage-policy";
export { DatabaseRateLimiter } from "./database";
export { RATE_LIMITS, apiKeyRule, signUpPerIpRule } from "./limits";

export {
  createRateLimiter,
  rateLimiter,
  setRateLimiter,
  rateLimitHeaders,
  enforceRateLimit,
  rateLimitedError,
} from "./enforce";
export { FailureLimit } from "./failure-limit";
export {
  STRIPE_WEBHOOK_RATE_LIMIT,
  enforceAuthRateLimit,
  tooManyAttemptsMessage,
  type AuthAttempt,
} from "./auth-limits";
export { clientIpOf } from "./client";
