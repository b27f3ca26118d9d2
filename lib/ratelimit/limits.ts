import { env, type Env } from "@/lib/env";
import type { RateLimitRule } from "./limiter";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Every rate limit Beacon applies, with its numbers and what it does while Redis is down
 * (`onOutage`, see OutagePolicy). The README's limits table mirrors this list.
 *
 * Limits on unauthenticated entry points count every attempt (not only failures), so the
 * numbers leave room for people who mistype:
 * - sign-in per (IP, e-mail) stops password guessing on one account; per IP stops spraying
 *   many accounts; an account is never locked for everyone (other IPs are unaffected).
 * - the e-mail-sending requests are also limited per target address, from any IP, so nobody
 *   can flood a mailbox; a sign-up with a taken address mails its owner, so it is one of them.
 * - MFA counts only wrong codes, per operator: a 6-digit code must not be guessable.
 * - the Stripe webhook counts only deliveries Stripe did not sign, per IP: its own are never counted.
 * Throughput limits (API per key, sign-ups and unsigned webhook deliveries per IP) fail open: the
 * quota in PostgreSQL bounds what a key can spend, and sign-up/webhook floods guess no secret.
 */
export const RATE_LIMITS = {
  signInPerIpAndEmail: { limit: 10, windowMs: 15 * MINUTE, onOutage: "fail-closed" },
  signInPerIp: { limit: 50, windowMs: 15 * MINUTE, onOutage: "fail-closed" },
  signUpPerEmail: { limit: 5, windowMs: HOUR, onOutage: "fail-closed" },
  magicLinkPerIp: { limit: 20, windowMs: HOUR, onOutage: "fail-closed" },
  magicLinkPerEmail: { limit: 5, windowMs: HOUR, onOutage: "fail-closed" },
  passwordResetPerIp: { limit: 20, windowMs: HOUR, onOutage: "fail-closed" },
  passwordResetPerEmail: { limit: 5, windowMs: HOUR, onOutage: "fail-closed" },
  /** Wrong TOTP codes per operator before a pause. */
  mfaWrongCodesPerOperator: { limit: 5, windowMs: 5 * MINUTE, onOutage: "fail-closed" },
  /**
   * Deliveries to the Stripe webhook that Stripe did not sign, per address (`FailureLimit`): Stripe
   * sends bursts from a handful of addresses, and its own deliveries are never counted.
   */
  stripeWebhookPerIp: { limit: 300, windowMs: MINUTE, onOutage: "fail-open" },
} as const satisfies Record<string, RateLimitRule>;

/** Sign-ups per IP: RATE_LIMIT_SIGN_UPS_PER_IP_PER_HOUR (default 10); an office behind one NAT signs up one account and invites the rest. */
export function signUpPerIpRule(config: Env = env()): RateLimitRule {
  return { limit: config.RATE_LIMIT_SIGN_UPS_PER_IP_PER_HOUR, windowMs: HOUR, onOutage: "fail-open" };
}

/** Metered API calls per key per minute, by plan tier (lib/billing entitlements). */
export function apiKeyRule(requestsPerMinute: number): RateLimitRule {
  return { limit: requestsPerMinute, windowMs: MINUTE, onOutage: "fail-open" };
}
