import { sql } from "drizzle-orm";
import { withSystem } from "@/db/tenant";
import { jobHeartbeats } from "@/db/schema";

// Whether a heartbeat is healthy is decided in one place: ./heartbeat-health.

/** A scheduled function succeeded: remember when, and how often it is expected to. */
export async function recordHeartbeat(input: {
  functionId: string;
  runId: string;
  expectedEveryMs: number;
  at?: Date;
}) {
  const at = input.at ?? new Date();
  await withSystem("jobs", (tx) =>
    tx
      .insert(jobHeartbeats)
      .values({
        functionId: input.functionId,
        lastSuccessAt: at,
        lastRunId: input.runId,
        expectedEveryMs: input.expectedEveryMs,
        updatedAt: at,
      })
      .onConflictDoUpdate({
        target: jobHeartbeats.functionId,
        // A late, out-of-order success never moves the heartbeat backwards. Pauses are kept.
        set: {
          lastSuccessAt: sql`greatest(${jobHeartbeats.lastSuccessAt}, excluded.last_success_at)`,
          lastRunId: sql`case when excluded.last_success_at >= ${jobHeartbeats.lastSuccessAt} then excluded.last_run_id else ${jobHeartbeats.lastRunId} end`,
          expectedEveryMs: sql`excluded.expected_every_ms`,
          updatedAt: sql`now()`,
        },
      }),
  );
}
