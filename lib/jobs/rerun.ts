import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { InngestFunction } from "inngest";
import { withSystem } from "@/db/tenant";
import { jobRuns } from "@/db/schema";
import { operatorAuditActor, recordAuditAlone } from "@/lib/audit";
import type { OperatorActor, ServiceContext } from "@/lib/context";
import { AppError } from "@/lib/http";
import { RERUN_MARKER, rerunRefusal } from "./idempotency";
import { runFunctionLocally } from "./local-runner";
import { queueRun, SCHEDULED_EVENT_NAME } from "./runs";

export interface RerunDeps {
  /** The registered functions (inngest/functions): lib never imports them itself. */
  functions: readonly InngestFunction.Any[];
  /** Sends an event to Inngest (the client's `send`). */
  send: (event: { name: string; data: Record<string, unknown>; id: string }) => Promise<unknown>;
  retryDelayMs?: (retry: number) => number;
}

export interface RerunResult {
  jobRunId: string;
  status: string;
  /** "event": the original event was re-sent and Inngest will run it; "local": a scheduled run was executed here. */
  mode: "event" | "local";
}

/**
 * An operator re-runs a run. Event runs: the original event is re-sent with a new id (so
 * Inngest's de-duplication lets it through) and its id as the re-run marker in the data (so a
 * function's idempotency key lets it through: see ./idempotency; a function keyed without the
 * marker is refused, 409 with the reason, since Inngest would drop the event), and a queued run
 * row linked by `rerun_of` waits for it. Scheduled runs (no event to re-send): the function body runs here through the same local
 * runner as `jobs:run`. Either way the new run is recorded by the middleware and audited.
 */
export async function rerunJob(
  ctx: ServiceContext<OperatorActor>,
  jobRunId: string,
  deps: RerunDeps,
): Promise<RerunResult> {
  const [original] = await withSystem("jobs", (tx) => tx.select().from(jobRuns).where(eq(jobRuns.id, jobRunId)));
  if (!original) throw new AppError("not_found", "No such job run.");
  const { result, eventId } = await startRerun(original, deps);
  await recordAuditAlone(
    {
      actor: operatorAuditActor(ctx.actor),
      action: "job_run.rerun",
      orgId: original.orgId,
      target: { type: "job_run", id: original.id },
      before: { status: original.status, function_id: original.functionId },
      after: { job_run_id: result.jobRunId, status: result.status, mode: result.mode, event_id: eventId },
      requestId: ctx.requestId,
    },
    "jobs",
  );
  return result;
}

/** Starts one re-run of `original` (no audit: single and bulk re-runs audit differently). */
export async function startRerun(
  original: typeof jobRuns.$inferSelect,
  deps: RerunDeps,
): Promise<{ result: RerunResult; eventId: string }> {
  const fn = deps.functions.find((f) => f.opts.id === original.functionId);
  if (!fn) throw new AppError("conflict", `Function "${original.functionId}" is no longer registered.`);
  const scheduled = original.eventName === SCHEDULED_EVENT_NAME || !original.eventName;
  const eventName = original.eventName ?? SCHEDULED_EVENT_NAME;
  const eventId = `rerun-${randomUUID()}`;
  const data = scheduled ? (original.eventPayload ?? {}) : { ...original.eventPayload, [RERUN_MARKER]: eventId };

  if (scheduled) {
    const run = await runFunctionLocally(fn, {
      event: { name: eventName, data, id: eventId },
      trigger: "rerun",
      rerunOf: original.id,
      retryDelayMs: deps.retryDelayMs,
    });
    return { result: { jobRunId: run.jobRunId, status: run.status, mode: "local" }, eventId };
  }
  const refusal = rerunRefusal(fn);
  if (refusal) throw new AppError("conflict", refusal);
  const queuedId = await queueRun({
    functionId: original.functionId,
    trigger: "rerun",
    event: { name: eventName, data, id: eventId },
    rerunOf: original.id,
  });
  try {
    await deps.send({ name: eventName, data, id: eventId });
  } catch (error) {
    await withSystem("jobs", (tx) => tx.delete(jobRuns).where(eq(jobRuns.id, queuedId)));
    throw new AppError(
      "not_ready",
      `Could not send the event to Inngest: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return { result: { jobRunId: queuedId, status: "queued", mode: "event" }, eventId };
}
