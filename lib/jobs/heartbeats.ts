import { and, isNull, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { jobHeartbeats } from "@/db/schema";

// No imports from lib/observability: readiness (there) reads heartbeats from here.

/** A scheduled function succeeded: remember when, and how often it is expected to. */
export async function recordHeartbeat(input: { functionId: string; runId: string; expectedEveryMs: number; at?: Date }) {
  const at = input.at ?? new Date();
  await db()
    .insert(jobHeartbeats)
    .values({ functionId: input.functionId, lastSuccessAt: at, lastRunId: input.runId, expectedEveryMs: input.expectedEveryMs, updatedAt: at })
    .onConflictDoUpdate({
      target: jobHeartbeats.functionId,
      // A late, out-of-order success never moves the heartbeat backwards. Pauses are kept.
      set: {
        lastSuccessAt: sql`greatest(${jobHeartbeats.lastSuccessAt}, excluded.last_success_at)`,
        lastRunId: sql`case when excluded.last_success_at >= ${jobHeartbeats.lastSuccessAt} then excluded.last_run_id else ${jobHeartbeats.lastRunId} end`,
        expectedEveryMs: sql`excluded.expected_every_ms`,
        updatedAt: sql`now()`,
      },
    });
}

export interface HeartbeatState {
  functionId: string;
  lastSuccessAt: Date;
  lastRunId: string | null;
  expectedEveryMs: number;
  pausedAt: Date | null;
  /** Older than twice the expected interval (never true while paused). */
  stale: boolean;
}

export function isStale(row: { lastSuccessAt: Date; expectedEveryMs: number; pausedAt: Date | null }, now: Date) {
  return row.pausedAt === null && now.getTime() - row.lastSuccessAt.getTime() > 2 * row.expectedEveryMs;
}

export async function listHeartbeats(now = new Date()): Promise<HeartbeatState[]> {
  const rows = await db().select().from(jobHeartbeats).orderBy(jobHeartbeats.functionId);
  return rows.map((r) => ({
    functionId: r.functionId,
    lastSuccessAt: r.lastSuccessAt,
    lastRunId: r.lastRunId,
    expectedEveryMs: r.expectedEveryMs,
    pausedAt: r.pausedAt,
    stale: isStale(r, now),
  }));
}

/** Function ids whose last success is older than 2× their expected interval (paused ones excluded). */
export async function staleHeartbeats(now = new Date()): Promise<string[]> {
  const rows = await db()
    .select({ functionId: jobHeartbeats.functionId })
    .from(jobHeartbeats)
    .where(and(isNull(jobHeartbeats.pausedAt), sql`${jobHeartbeats.lastSuccessAt} < ${now.toISOString()}::timestamptz - (2 * ${jobHeartbeats.expectedEveryMs}) * interval '1 millisecond'`))
    .orderBy(jobHeartbeats.functionId);
  return rows.map((r) => r.functionId);
}
