import { createHash } from "node:crypto";
import { env, type Env } from "@/lib/env";
import { AppError, isAppError } from "@/lib/http";
import type { RateLimitRule, RateLimiter } from "./limiter";
import { enforceRateLimit, rateLimiter } from "./index";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Per-IP limits on the unauthenticated entry points, all in one place. Every attempt counts
 * (not only failures), so the numbers leave room for people who mistype.
 * - sign-in per (IP, e-mail) stops password guessing on one account; per IP stops spraying
 *   many accounts; an account is never locked for everyone (other IPs are unaffected).
 * - the e-mail-sending requests are also limited per target address, from any IP, so nobody
 *   can flood a mailbox.
 * - sign-up per IP comes from RATE_LIMIT_SIGN_UPS_PER_IP_PER_HOUR (default 10): an office
 *   behind one NAT signs up one account and invites the rest; the e2e server raises it.
 */
export const AUTH_RATE_LIMITS = {
  signInPerIpAndEmail: { limit: 10, windowMs: 15 * MINUTE },
  signInPerIp: { limit: 50, windowMs: 15 * MINUTE },
  // A sign-up with a taken address mails its owner, so it is an e-mail-sending request too.
  signUpPerEmail: { limit: 5, windowMs: HOUR },
  magicLinkPerIp: { limit: 20, windowMs: HOUR },
  magicLinkPerEmail: { limit: 5, windowMs: HOUR },
  passwordResetPerIp: { limit: 20, windowMs: HOUR },
  passwordResetPerEmail: { limit: 5, windowMs: HOUR },
} as const satisfies Record<string, RateLimitRule>;

export function signUpPerIpRule(config: Env = env()): RateLimitRule {
  return { limit: config.RATE_LIMIT_SIGN_UPS_PER_IP_PER_HOUR, windowMs: HOUR };
}

/** Stripe sends bursts from a handful of addresses; this only stops a flood from elsewhere. */
export const STRIPE_WEBHOOK_RATE_LIMIT: RateLimitRule = { limit: 300, windowMs: MINUTE };

export type AuthAttempt = "sign-in" | "sign-up" | "magic-link" | "password-reset";

/** Addresses are not stored in the limiter's keys in the clear. */
function emailKey(email: string) {
  return createHash("sha256").update(email.trim().toLowerCase()).digest("hex").slice(0, 32);
}

function checksFor(attempt: AuthAttempt, ip: string, email: string | undefined, config: Env): [string, RateLimitRule][] {
  const byEmail = email === undefined ? undefined : emailKey(email);
  switch (attempt) {
    case "sign-in":
      return [
        ...(byEmail ? [[`sign-in:ip-email:${ip}:${byEmail}`, AUTH_RATE_LIMITS.signInPerIpAndEmail] as [string, RateLimitRule]] : []),
        [`sign-in:ip:${ip}`, AUTH_RATE_LIMITS.signInPerIp],
      ];
    case "sign-up":
      return [
        [`sign-up:ip:${ip}`, signUpPerIpRule(config)],
        ...(byEmail ? [[`sign-up:email:${byEmail}`, AUTH_RATE_LIMITS.signUpPerEmail] as [string, RateLimitRule]] : []),
      ];
    case "magic-link":
      return [
        [`magic-link:ip:${ip}`, AUTH_RATE_LIMITS.magicLinkPerIp],
        ...(byEmail ? [[`magic-link:email:${byEmail}`, AUTH_RATE_LIMITS.magicLinkPerEmail] as [string, RateLimitRule]] : []),
      ];
    case "password-reset":
      return [
        [`password-reset:ip:${ip}`, AUTH_RATE_LIMITS.passwordResetPerIp],
        ...(byEmail ? [[`password-reset:email:${byEmail}`, AUTH_RATE_LIMITS.passwordResetPerEmail] as [string, RateLimitRule]] : []),
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
