import { and, eq, inArray, sql } from "drizzle-orm";
import type { InngestFunction } from "inngest";
import { withSystem } from "@/db/tenant";
import { jobRuns } from "@/db/schema";
import { operatorAuditActor, recordAudit } from "@/lib/audit";
import type { OperatorActor, ServiceContext } from "@/lib/context";
import { AppError } from "@/lib/http";
import { recordJobEvent } from "./runs";

/**
 * Operator cancellation goes through Inngest's own mechanism: every function carries a
 * `cancelOn` rule for this event (FUNCTION_DEFAULTS), matching the run by the id of the event that
 * triggered it. Inngest then stops the run between steps (a step already executing finishes).
 * Matching by event id is exact only while no two functions share a trigger event; the registry
 * test checks that.
 */
export const CANCEL_EVENT_NAME = "ops/job.cancel.requested";
export const OPERATOR_CANCEL_ON = { event: CANCEL_EVENT_NAME, if: "async.data.event_id == event.id" } as const;

/** Statuses a run can be cancelled in: Inngest holds it (started, or waiting to retry). */
const CANCELLABLE_STATUSES = ["running", "retrying"];

/** Whether the function listens for the operator cancel event (so a cancel can actually stop it). */
export function functionIsCancellable(fn: InngestFunction.Any): boolean {
  const rules = ((fn.opts as { cancelOn?: readonly { event: unknown; if?: string }[] }).cancelOn ?? []) as readonly {
    event: unknown;
    if?: string;
  }[];
  return rules.some((r) => {
    const name = typeof r.event === "string" ? r.event : (r.event as { name?: string } | null)?.name;
    return name === CANCEL_EVENT_NAME && r.if === OPERATOR_CANCEL_ON.if;
  });
}

type RunLike = Pick<typeof jobRuns.$inferSelect, "status" | "runId" | "eventId" | "functionId">;

/**
 * Why a run cannot be cancelled, or null when it can. Runs executed in this process (CLI, re-runs
 * of scheduled runs: run ids `local-…`) are not Inngest's to cancel, and queued rows are not runs yet.
 */
export function cancelRefusal(run: RunLike, fn: InngestFunction.Any | undefined): string | null {
  if (!CANCELLABLE_STATUSES.includes(run.status))
    return `The run is ${run.status}; only running or retrying runs can be cancelled.`;
  if (run.runId.startsWith("local-"))
    return "The run executes in a local process (CLI or re-run of a scheduled run); Inngest cannot cancel it.";
  if (!run.eventId) return "The run has no trigger event id to match a cancellation.";
  if (!fn) return `Function "${run.functionId}" is no longer registered.`;
  if (!functionIsCancellable(fn)) return `Function "${run.functionId}" does not listen for ${CANCEL_EVENT_NAME}.`;
  return null;
}

export interface CancelDeps {
  functions: readonly InngestFunction.Any[];
  send: (event: { name: string; data: Record<string, unknown>; id: string }) => Promise<unknown>;
}

/**
 * An operator cancels a running run: the cancel event goes to Inngest first (nothing changes here
 * if that fails), then the row is marked cancelled and the request audited in one transaction.
 * Inngest sends no further requests for a cancelled run, so the middleware would never settle it.
 */
export async function cancelJobRun(
  ctx: ServiceContext<OperatorActor>,
  jobRunId: string,
  reason: string | null,
  deps: CancelDeps,
) {
  const actor = operatorAuditActor(ctx.actor);
  const [run] = await withSystem("jobs", (tx) => tx.select().from(jobRuns).where(eq(jobRuns.id, jobRunId)));
  if (!run) throw new AppError("not_found", "No such job run.");
  const refusal = cancelRefusal(
    run,
    deps.functions.find((f) => f.opts.id === run.functionId),
  );
  if (refusal) throw new AppError("conflict", refusal);
  const eventId = `cancel-${run.id}`;
  try {
    await deps.send({
      name: CANCEL_EVENT_NAME,
      id: eventId,
      data: { event_id: run.eventId, run_id: run.runId, function_id: run.functionId, job_run_id: run.id },
    });
  } catch (error) {
    throw new AppError(
      "not_ready",
      `Could not send the cancellation to Inngest: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const message = `Cancelled by ${actor.email ?? "an operator"}${reason ? `: ${reason}` : ""}`;
  return withSystem("jobs", async (tx) => {
    const [updated] = await tx
      .update(jobRuns)
      .set({
        status: "cancelled",
        error: message,
        finishedAt: sql`now()`,
        durationMs: sql`greatest(0, round(extract(epoch from (now() - coalesce(${jobRuns.startedAt}, ${jobRuns.createdAt}))) * 1000))::int`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(jobRuns.id, run.id), inArray(jobRuns.status, CANCELLABLE_STATUSES)))
      .returning({ id: jobRuns.id });
    if (!updated) throw new AppError("conflict", "The run finished while the cancellation was being sent.");
    await recordJobEvent({ jobRunId: run.id, kind: "run.failed", attempt: run.attempt, error: message }, tx);
    await recordAudit(tx, {
      actor,
      action: "job_run.cancel",
      orgId: run.orgId,
      target: { type: "job_run", id: run.id },
      before: { status: run.status, function_id: run.functionId, run_id: run.runId },
      after: { status: "cancelled", cancel_event_id: eventId },
      reason,
      requestId: ctx.requestId,
    });
    return { jobRunId: run.id, status: "cancelled" as const, cancelEventId: eventId };
  });
}
