import { createHash } from "node:crypto";
import { env, type Env } from "@/lib/env";
import { AppError, isAppError } from "@/lib/http";
import type { RateLimitRule, RateLimiter } from "./limiter";
import { RATE_LIMITS, signUpPerIpRule } from "./limits";
import { enforceRateLimit, rateLimiter } from "./enforce";

/** The Stripe webhook's per-IP limit (see RATE_LIMITS). */
export const STRIPE_WEBHOOK_RATE_LIMIT: RateLimitRule = RATE_LIMITS.stripeWebhookPerIp;

export type AuthAttempt = "sign-in" | "sign-up" | "magic-link" | "password-reset";

/** Addresses are not stored in the limiter's keys in the clear. */
function emailKey(email: string) {
  return createHash("sha256").update(email.trim().toLowerCase()).digest("hex").slice(0, 32);
}

function checksFor(
  attempt: AuthAttempt,
  ip: string,
  email: string | undefined,
  config: Env,
): [string, RateLimitRule][] {
  const byEmail = email === undefined ? undefined : emailKey(email);
  switch (attempt) {
    case "sign-in":
      return [
        ...(byEmail
          ? [[`sign-in:ip-email:${ip}:${byEmail}`, RATE_LIMITS.signInPerIpAndEmail] as [string, RateLimitRule]]
          : []),
        [`sign-in:ip:${ip}`, RATE_LIMITS.signInPerIp],
      ];
    case "sign-up":
      return [
        [`sign-up:ip:${ip}`, signUpPerIpRule(config)],
        ...(byEmail ? [[`sign-up:email:${byEmail}`, RATE_LIMITS.signUpPerEmail] as [string, RateLimitRule]] : []),
      ];
    case "magic-link":
      return [
        [`magic-link:ip:${ip}`, RATE_LIMITS.magicLinkPerIp],
        ...(byEmail ? [[`magic-link:email:${byEmail}`, RATE_LIMITS.magicLinkPerEmail] as [string, RateLimitRule]] : []),
      ];
    case "password-reset":
      return [
        [`password-reset:ip:${ip}`, RATE_LIMITS.passwordResetPerIp],
        ...(byEmail
          ? [[`password-reset:email:${byEmail}`, RATE_LIMITS.passwordResetPerEmail] as [string, RateLimitRule]]
          : []),
      ];
  }
}

/** The message forms show inline; the same text is the `detail` of a 429 over HTTP. */
export function tooManyAttemptsMessage(retryAfterSeconds: number) {
  return `Too many attempts. Try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? "" : "s"}.`;
}

/**
 * Counts one attempt against every limit that applies; throws AppError `rate_limited` (429,
 * Retry-After and RateLimit-* headers) with the form-friendly message when one is exhausted.
 * Call it before any work: a refused attempt sends nothing and writes nothing.
 */
export async function enforceAuthRateLimit(
  attempt: AuthAttempt,
  who: { ip: string; email?: string },
  options: { limiter?: RateLimiter; config?: Env } = {},
) {
  const limiter = options.limiter ?? rateLimiter();
  const config = options.config ?? env();
  for (const [identifier, rule] of checksFor(attempt, who.ip, who.email, config)) {
    try {
      await enforceRateLimit(`auth:${identifier}`, rule, limiter);
    } catch (error) {
      if (!isAppError(error) || error.code !== "rate_limited") throw error;
      const retryAfter = Number(error.extra.headers?.["retry-after"] ?? 1);
      throw new AppError("rate_limited", tooManyAttemptsMessage(retryAfter), error.extra);
    }
  }
}
