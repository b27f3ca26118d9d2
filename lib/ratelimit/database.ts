import { lt, sql } from "drizzle-orm";
import { db, type Db } from "@/db/client";
import { rateLimitCounters } from "@/db/schema";
import type { RateLimitDecision, RateLimitRule, RateLimiter } from "./limiter";

const PURGE_EVERY_MS = 60_000;

/**
 * The count in PostgreSQL that fail-closed limits fall back to while Redis is unavailable.
 * Sliding window approximated from two fixed windows (as Redis's sliding window does): the
 * current window's count plus the previous one's, weighted by how much of it still overlaps.
 * Each request is one upsert that advances the window and counts in the same statement, so
 * concurrent requests on several instances can never all see room. Refused requests count
 * too: an attacker who keeps guessing keeps the window full.
 */
export class DatabaseRateLimiter implements RateLimiter {
  readonly backend = "database" as const;
  private lastPurge = 0;

  constructor(
    private readonly database: () => Db = db,
    private readonly prefix = "beacon:rl",
  ) {}

  async limit(identifier: string, rule: RateLimitRule, now = Date.now()): Promise<RateLimitDecision> {
    await this.purgeExpired(now);
    const window = Math.floor(now / rule.windowMs);
    const t = rateLimitCounters;
    const [row] = await this.database()
      .insert(t)
      .values({
        key: this.keyOf(identifier, rule),
        windowIndex: window,
        count: 1,
        previousCount: 0,
        expiresAt: new Date((window + 2) * rule.windowMs),
      })
      .onConflictDoUpdate({
        target: t.key,
        set: {
          // A late request from an instance whose clock is behind counts in the newer window.
          previousCount: sql`case when ${t.windowIndex} >= excluded.window_index then ${t.previousCount}
            when ${t.windowIndex} = excluded.window_index - 1 then ${t.count} else 0 end`,
          count: sql`case when ${t.windowIndex} >= excluded.window_index then ${t.count} + 1 else 1 end`,
          windowIndex: sql`greatest(${t.windowIndex}, excluded.window_index)`,
          expiresAt: sql`greatest(${t.expiresAt}, excluded.expires_at)`,
        },
      })
      .returning({ windowIndex: t.windowIndex, count: t.count, previousCount: t.previousCount });
    const used = weighted(row!, rule, now);
    return {
      success: used <= rule.limit,
      limit: rule.limit,
      remaining: Math.max(0, rule.limit - used),
      reset: (row!.windowIndex + 1) * rule.windowMs,
      degraded: true,
    };
  }

  async peek(identifier: string, rule: RateLimitRule, now = Date.now()): Promise<RateLimitDecision> {
    const window = Math.floor(now / rule.windowMs);
    const [row] = await this.database()
      .select({
        windowIndex: rateLimitCounters.windowIndex,
        count: rateLimitCounters.count,
        previousCount: rateLimitCounters.previousCount,
      })
      .from(rateLimitCounters)
      .where(sql`${rateLimitCounters.key} = ${this.keyOf(identifier, rule)}`);
    // A row from an earlier window is what the next request's upsert would roll forward.
    const current =
      !row || row.windowIndex >= window
        ? row
        : { windowIndex: window, count: 0, previousCount: row.windowIndex === window - 1 ? row.count : 0 };
    const used = current ? weighted(current, rule, now) : 0;
    return {
      success: used < rule.limit,
      limit: rule.limit,
      remaining: Math.max(0, rule.limit - used),
      reset: (window + 1) * rule.windowMs,
      degraded: true,
    };
  }

  private keyOf(identifier: string, rule: RateLimitRule) {
    // One counter per rule, like the Redis store: a changed limit starts a fresh count.
    return `${this.prefix}:${rule.limit}/${rule.windowMs}:${identifier}`;
  }

  // Rows are written only during outages; at most once a minute per instance, drop dead ones.
  private async purgeExpired(now: number) {
    if (now - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now;
    await this.database()
      .delete(rateLimitCounters)
      .where(lt(rateLimitCounters.expiresAt, new Date(now)));
  }
}

function weighted(
  row: { windowIndex: number; count: number; previousCount: number },
  rule: RateLimitRule,
  now: number,
) {
  const elapsed = (now - row.windowIndex * rule.windowMs) / rule.windowMs;
  const overlap = Math.min(1, Math.max(0, 1 - elapsed));
  // Rounded up: these limits guard secrets, so a burst that straddles two windows must still
  // count whole (rounding down let a 6th code through right after a window's start).
  return row.count + Math.ceil(row.previousCount * overlap);
}
