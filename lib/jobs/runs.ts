import { randomUUID } from "node:crypto";
import { and, eq, isNotNull, like, or, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { withSystem } from "@/db/tenant";
import { jobEvents, jobHeartbeats, jobRuns } from "@/db/schema";

/**
 * Writes to job_runs / job_events. Only the run-tracking middleware (and the queueing done by
 * re-runs and the CLI) call these: no function records its own runs.
 */
/** `local`: started by the in-process development executor (lib/jobs/local-executor), cron tick or event. */
export type JobTrigger = "event" | "cron" | "cli" | "rerun" | "local";
export type JobStatus = "queued" | "running" | "succeeded" | "failed" | "retrying" | "cancelled";
export type JobEventKind =
  "run.started" | "run.finished" | "run.failed" | "step.started" | "step.finished" | "step.failed";

export const SCHEDULED_EVENT_NAME = "inngest/scheduled.timer";
/** Placeholder run ids of queued runs, replaced by the real run id when the run starts. */
const QUEUED_RUN_PREFIX = "queued:";

const ERROR_MAX_CHARS = 4_000;
const OUTPUT_MAX_CHARS = 8_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface RunEvent {
  name: string;
  id?: string | null;
  data?: Record<string, unknown> | null;
}

/** `org_id` / `orgId` in the event data, when it is a uuid. */
export function orgIdOf(data: Record<string, unknown> | null | undefined): string | null {
  const value = data?.org_id ?? data?.orgId;
  return typeof value === "string" && UUID.test(value) ? value : null;
}

export function describeError(error: unknown): string {
  const text =
    error instanceof Error
      ? `${error.name}: ${error.message}`
      : typeof error === "string"
        ? error
        : JSON.stringify(error);
  return (text ?? "unknown error").slice(0, ERROR_MAX_CHARS);
}

/** Outputs are kept as JSON when small; large ones are cut to a preview. */
export function summariseOutput(output: unknown): unknown {
  if (output === undefined) return null;
  let text: string;
  try {
    text = JSON.stringify(output) ?? "null";
  } catch {
    return { unserialisable: true };
  }
  if (text.length <= OUTPUT_MAX_CHARS) return JSON.parse(text) as unknown;
  return { truncated: true, preview: text.slice(0, 2_000) };
}

/**
 * A run to be started by someone other than Inngest's scheduler: an operator re-run or the CLI.
 * The row waits as `queued` until the middleware sees the run with this event id and claims it.
 */
export async function queueRun(input: {
  functionId: string;
  trigger: JobTrigger;
  event: RunEvent & { id: string };
  rerunOf?: string | null;
}) {
  const [row] = await withSystem("jobs", (tx) =>
    tx
      .insert(jobRuns)
      .values({
        functionId: input.functionId,
        runId: `${QUEUED_RUN_PREFIX}${randomUUID()}`,
        trigger: input.trigger,
        eventName: input.event.name,
        eventId: input.event.id,
        eventPayload: input.event.data ?? {},
        orgId: orgIdOf(input.event.data),
        status: "queued",
        rerunOf: input.rerunOf ?? null,
      })
      .returning({ id: jobRuns.id }),
  );
  return row!.id;
}

export interface AttemptStart {
  functionId: string;
  runId: string;
  attempt: number;
  event: RunEvent;
}

/**
 * Called on every request Inngest makes for a run: creates the row on the first one (or claims
 * the queued row of a re-run / CLI run), and moves a retrying run back to running.
 */
export async function beginAttempt(start: AttemptStart): Promise<string> {
  const now = new Date();
  const eventId = start.event.id;
  if (eventId) {
    const [claimed] = await withSystem("jobs", (tx) =>
      tx
        .update(jobRuns)
        .set({ runId: start.runId, status: "running", attempt: start.attempt, startedAt: now, updatedAt: now })
        .where(
          and(
            eq(jobRuns.functionId, start.functionId),
            eq(jobRuns.eventId, eventId),
            eq(jobRuns.status, "queued"),
            like(jobRuns.runId, `${QUEUED_RUN_PREFIX}%`),
          ),
        )
        .returning({ id: jobRuns.id }),
    );
    if (claimed) {
      await recordJobEvent({ jobRunId: claimed.id, kind: "run.started", attempt: start.attempt });
      return claimed.id;
    }
  }
  const trigger: JobTrigger = start.event.name === SCHEDULED_EVENT_NAME ? "cron" : "event";
  const [row] = await withSystem("jobs", (tx) =>
    tx
      .insert(jobRuns)
      .values({
        functionId: start.functionId,
        runId: start.runId,
        trigger,
        eventName: start.event.name,
        eventId: start.event.id ?? null,
        eventPayload: start.event.data ?? {},
        orgId: orgIdOf(start.event.data),
        status: "running",
        attempt: start.attempt,
        startedAt: now,
      })
      .onConflictDoUpdate({
        target: jobRuns.runId,
        set: {
          attempt: sql`greatest(${jobRuns.attempt}, excluded.attempt)`,
          status: sql`case when ${jobRuns.status} in ('succeeded', 'failed', 'cancelled') then ${jobRuns.status} else 'running' end`,
          updatedAt: now,
        },
      })
      .returning({ id: jobRuns.id, inserted: sql<boolean>`(xmax = 0)` }),
  );
  if (row!.inserted) await recordJobEvent({ jobRunId: row!.id, kind: "run.started", attempt: start.attempt });
  return row!.id;
}

export async function recordJobEvent(
  input: {
    jobRunId: string;
    kind: JobEventKind;
    stepId?: string | null;
    attempt: number;
    durationMs?: number | null;
    error?: string | null;
  },
  dbx?: DbOrTx,
): Promise<void> {
  if (!dbx) return withSystem("jobs", (tx) => recordJobEvent(input, tx));
  await dbx.insert(jobEvents).values({
    jobRunId: input.jobRunId,
    kind: input.kind,
    stepId: input.stepId ?? null,
    attempt: input.attempt,
    durationMs: input.durationMs == null ? null : Math.max(0, Math.round(input.durationMs)),
    error: input.error ?? null,
  });
}

const durationSql = sql<number>`greatest(0, round(extract(epoch from (now() - coalesce(${jobRuns.startedAt}, ${jobRuns.createdAt}))) * 1000))::int`;

/** The run (or its last attempt) ended: succeeded / failed for good, or retrying. */
export async function finishAttempt(input: {
  jobRunId: string;
  attempt: number;
  outcome: "succeeded" | "failed" | "retrying";
  output?: unknown;
  error?: unknown;
}) {
  const error = input.error === undefined ? null : describeError(input.error);
  const terminal = input.outcome !== "retrying";
  await withSystem("jobs", (tx) =>
    tx
      .update(jobRuns)
      .set({
        status: input.outcome,
        attempt: sql`greatest(${jobRuns.attempt}, ${input.attempt})`,
        error: input.outcome === "succeeded" ? null : error,
        ...(input.outcome === "succeeded" ? { output: summariseOutput(input.output) } : {}),
        ...(terminal ? { finishedAt: sql`now()`, durationMs: durationSql } : {}),
        updatedAt: sql`now()`,
      })
      .where(eq(jobRuns.id, input.jobRunId)),
  );
  if (terminal)
    await recordJobEvent({
      jobRunId: input.jobRunId,
      kind: input.outcome === "succeeded" ? "run.finished" : "run.failed",
      attempt: input.attempt,
      error,
    });
}

/** A step failed but will be retried: the run is `retrying` until its next attempt starts. */
export async function markRetrying(input: { jobRunId: string; attempt: number; error: unknown }) {
  await withSystem("jobs", (tx) =>
    tx
      .update(jobRuns)
      .set({
        status: sql`case when ${jobRuns.status} in ('succeeded', 'failed', 'cancelled') then ${jobRuns.status} else 'retrying' end`,
        attempt: sql`greatest(${jobRuns.attempt}, ${input.attempt})`,
        error: describeError(input.error),
        updatedAt: sql`now()`,
      })
      .where(eq(jobRuns.id, input.jobRunId)),
  );
}

/** The queued row waiting for this function's run of this event (an operator re-run's), if any. */
export async function queuedRunFor(functionId: string, eventId: string): Promise<string | null> {
  const [row] = await withSystem("jobs", (tx) =>
    tx
      .select({ id: jobRuns.id })
      .from(jobRuns)
      .where(
        and(
          eq(jobRuns.functionId, functionId),
          eq(jobRuns.eventId, eventId),
          eq(jobRuns.status, "queued"),
          like(jobRuns.runId, `${QUEUED_RUN_PREFIX}%`),
        ),
      )
      .limit(1),
  );
  return row?.id ?? null;
}

/**
 * The paused_at of the function when this run is a scheduler tick (trigger `cron`, or a tick of
 * the in-process development scheduler) of a paused function; null otherwise. CLI runs and
 * operator re-runs are explicit requests and run anyway.
 */
export async function pausedTickSince(jobRunId: string): Promise<Date | null> {
  const [row] = await withSystem("jobs", (tx) =>
    tx
      .select({ pausedAt: jobHeartbeats.pausedAt })
      .from(jobRuns)
      .innerJoin(jobHeartbeats, eq(jobHeartbeats.functionId, jobRuns.functionId))
      .where(
        and(
          eq(jobRuns.id, jobRunId),
          or(
            eq(jobRuns.trigger, "cron"),
            and(eq(jobRuns.trigger, "local"), eq(jobRuns.eventName, SCHEDULED_EVENT_NAME)),
          ),
          isNotNull(jobHeartbeats.pausedAt),
        ),
      ),
  );
  return row?.pausedAt ?? null;
}

/** A tick of a paused function ends at once, as cancelled, with the reason; nothing ran. */
export async function skipPausedTick(input: { jobRunId: string; attempt: number; functionId: string; pausedAt: Date }) {
  const reason = `Skipped: ${input.functionId} is paused (since ${input.pausedAt.toISOString()})`;
  await withSystem("jobs", (tx) =>
    tx
      .update(jobRuns)
      .set({
        status: "cancelled",
        error: reason,
        output: { skipped: "paused", paused_at: input.pausedAt.toISOString() },
        finishedAt: sql`now()`,
        durationMs: durationSql,
        updatedAt: sql`now()`,
      })
      .where(eq(jobRuns.id, input.jobRunId)),
  );
  await recordJobEvent({ jobRunId: input.jobRunId, kind: "run.finished", attempt: input.attempt, error: reason });
}
