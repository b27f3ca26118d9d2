import { sql } from "drizzle-orm";
import { withSystem } from "@/db/tenant";
import { jobHeartbeats, jobSchedules } from "@/db/schema";

// No imports from lib/observability: readiness (there) reads heartbeat health from here.

/**
 * - `ok`: succeeded within twice its interval.
 * - `waiting`: never succeeded, but registered less than two intervals ago (a fresh deploy).
 * - `stale`: last success, or registration when it never succeeded, older than two intervals.
 * - `paused`: paused by an operator; never stale.
 */
export type HeartbeatStatus = "ok" | "waiting" | "stale" | "paused";

export interface HeartbeatHealth {
  functionId: string;
  status: HeartbeatStatus;
  /** No run of it has succeeded here (waiting, or stale because it never ran). */
  neverSucceeded: boolean;
  lastSuccessAt: Date | null;
  lastRunId: string | null;
  expectedEveryMs: number;
  /** Where the stale clock starts: the last success, a resume, or the first registration. */
  since: Date;
  pausedAt: Date | null;
}

/** How many intervals without a success make a scheduled function stale. */
export const STALE_AFTER_INTERVALS = 2;

/**
 * THE rule, shared by the cockpit overview, readiness, ops alerts and metrics. The clock starts
 * at the last success (or a resume); for a function that never succeeded, at its first
 * registration, so a fresh start is not instantly red but turns red within two intervals if
 * nothing runs.
 */
export function heartbeatStatus(
  beat: { since: Date; neverSucceeded: boolean; expectedEveryMs: number; pausedAt: Date | null },
  now: Date,
): HeartbeatStatus {
  if (beat.pausedAt) return "paused";
  if (now.getTime() - beat.since.getTime() > STALE_AFTER_INTERVALS * beat.expectedEveryMs) return "stale";
  return beat.neverSucceeded ? "waiting" : "ok";
}

/**
 * Remember the scheduled functions this process serves (at boot). The first registration of a
 * function is kept, so restarting does not postpone "never ran"; the interval follows the code.
 */
export async function registerSchedules(
  schedules: readonly { functionId: string; expectedEveryMs: number }[],
  now = new Date(),
) {
  if (schedules.length === 0) return;
  await withSystem("jobs", (tx) =>
    tx
      .insert(jobSchedules)
      .values(
        schedules.map((s) => ({
          functionId: s.functionId,
          expectedEveryMs: s.expectedEveryMs,
          registeredAt: now,
          updatedAt: now,
        })),
      )
      .onConflictDoUpdate({
        target: jobSchedules.functionId,
        set: { expectedEveryMs: sql`excluded.expected_every_ms`, updatedAt: sql`excluded.updated_at` },
      }),
  );
}

/**
 * The heartbeat health of every scheduled function: every registered one, and any with a
 * heartbeat (a function that succeeded here before registration existed). Both tables hold one
 * small row per scheduled function, so they are read whole and joined here.
 */
export async function heartbeatHealth(now = new Date()): Promise<HeartbeatHealth[]> {
  const [schedules, beats] = await Promise.all([
    withSystem("jobs", (tx) => tx.select().from(jobSchedules)),
    withSystem("jobs", (tx) => tx.select().from(jobHeartbeats)),
  ]);
  const byId = new Map<string, Omit<HeartbeatHealth, "status">>();
  for (const s of schedules) {
    byId.set(s.functionId, {
      functionId: s.functionId,
      neverSucceeded: true,
      lastSuccessAt: null,
      lastRunId: null,
      expectedEveryMs: s.expectedEveryMs,
      since: s.registeredAt,
      pausedAt: null,
    });
  }
  for (const b of beats) {
    // Pausing a function that never succeeded writes a heartbeat row without a run id: its
    // time restarts the clock (as a resume does) but it is not a success.
    const neverSucceeded = b.lastRunId === null;
    byId.set(b.functionId, {
      functionId: b.functionId,
      neverSucceeded,
      lastSuccessAt: neverSucceeded ? null : b.lastSuccessAt,
      lastRunId: b.lastRunId,
      expectedEveryMs: byId.get(b.functionId)?.expectedEveryMs ?? b.expectedEveryMs,
      since: b.lastSuccessAt,
      pausedAt: b.pausedAt,
    });
  }
  return [...byId.values()]
    .map((beat) => ({ ...beat, status: heartbeatStatus(beat, now) }))
    .sort((a, b) => (a.functionId < b.functionId ? -1 : a.functionId > b.functionId ? 1 : 0));
}

/** Function ids whose heartbeat is stale (late, or never ran past the grace), sorted. */
export async function staleHeartbeats(now = new Date()): Promise<string[]> {
  return (await heartbeatHealth(now)).filter((h) => h.status === "stale").map((h) => h.functionId);
}
