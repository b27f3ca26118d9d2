import type { RateLimitDecision, RateLimitRule, RateLimiter } from "./limiter";
import { rateLimitedError, rateLimiter } from "./enforce";

/** Refusals remembered at most: beyond it, those whose window has reset are forgotten first. */
const MOST_REMEMBERED = 10_000;

/**
 * A limit that counts only failures, for callers whose successes must never be limited (Stripe's
 * own, signed deliveries to the webhook). An identifier that used up the limit is refused before
 * any work, from this process's memory of the store's answer, until its window resets: no round
 * trip for anyone else. Another process learns it on its next failure. A store that fails open
 * (a `degraded` decision) refuses nothing.
 */
export class FailureLimit {
  private readonly refused = new Map<string, RateLimitDecision>();

  constructor(
    private readonly rule: RateLimitRule,
    private readonly limiter: () => RateLimiter = rateLimiter,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Throws 429 `rate_limited` while this process knows `identifier` used up the limit. */
  refuseWhileOver(identifier: string) {
    const decision = this.refused.get(identifier);
    if (!decision) return;
    const now = this.clock();
    if (decision.reset > now) throw rateLimitedError(decision, this.rule, now);
    this.refused.delete(identifier);
  }

  /** Counts one failure of `identifier`; the one that uses up the limit starts its refusal. */
  async countFailure(identifier: string) {
    const now = this.clock();
    const decision = await this.limiter().limit(identifier, this.rule, now);
    if (decision.success && decision.remaining > 0) return;
    if (this.refused.size >= MOST_REMEMBERED) this.forgetReset(now);
    this.refused.set(identifier, { ...decision, success: false, remaining: 0 });
  }

  private forgetReset(now: number) {
    for (const [identifier, decision] of this.refused) if (decision.reset <= now) this.refused.delete(identifier);
    // Still full (a flood from that many addresses at once): the oldest refusal goes.
    if (this.refused.size >= MOST_REMEMBERED) this.refused.delete(this.refused.keys().next().value!);
  }
}
