import { eq, sql } from "drizzle-orm";
import type { InngestFunction } from "inngest";
import type { Tx } from "@/db/client";
import { withSystem } from "@/db/tenant";
import { jobHeartbeats } from "@/db/schema";
import { operatorAuditActor, recordAudit } from "@/lib/audit";
import { systemActor, systemContext, type OperatorActor, type ServiceContext } from "@/lib/context";
import { AppError } from "@/lib/http";
import { cronIntervalMs } from "./cron";
import { cronOf } from "./middleware";

/**
 * Pause / resume of a scheduled function (cockpit). The state is `job_heartbeats.paused_at`:
 * while it is set, scheduler ticks of the function are recorded as cancelled runs and do no work
 * (the run-tracking middleware skips the handler), the heartbeat cannot go stale, and the
 * "nothing started recently" warning leaves it out. CLI runs and operator re-runs still run.
 *
 * Resuming restarts the heartbeat clock: `last_success_at` becomes the later of the last success
 * and the resume, so a function paused for longer than its interval is not reported stale the
 * moment it is resumed; it gets two intervals to tick again, like a fresh deploy.
 */
function scheduledFunction(functionId: string, functions: readonly InngestFunction.Any[]) {
  const fn = functions.find((f) => f.opts.id === functionId);
  if (!fn) throw new AppError("not_found", `No function "${functionId}".`);
  const cron = cronOf(fn as never);
  if (!cron)
    throw new AppError(
      "conflict",
      `"${functionId}" is not a scheduled function; only scheduled functions can be paused.`,
    );
  return { fn, cron };
}

export interface PauseDeps {
  functions: readonly InngestFunction.Any[];
}

/** The function's heartbeat row under lock (undefined when it never succeeded), so pause and resume serialise. */
async function lockHeartbeat(tx: Tx, functionId: string) {
  const [row] = await tx
    .select({ pausedAt: jobHeartbeats.pausedAt })
    .from(jobHeartbeats)
    .where(eq(jobHeartbeats.functionId, functionId))
    .for("update");
  return row;
}

export async function pauseFunction(
  ctx: ServiceContext<OperatorActor>,
  functionId: string,
  reason: string | null,
  deps: PauseDeps,
) {
  const { cron } = scheduledFunction(functionId, deps.functions);
  return withSystem("jobs", async (tx) => {
    const before = await lockHeartbeat(tx, functionId);
    if (before?.pausedAt)
      throw new AppError("conflict", `"${functionId}" is already paused (since ${before.pausedAt.toISOString()}).`);
    const now = ctx.now();
    // A function that never succeeded has no row yet: one is created, its clock starting now.
    await tx
      .insert(jobHeartbeats)
      .values({
        functionId,
        lastSuccessAt: now,
        lastRunId: null,
        expectedEveryMs: cronIntervalMs(cron),
        pausedAt: now,
        updatedAt: now,
      })
      .onConflictDoUpdate({ target: jobHeartbeats.functionId, set: { pausedAt: now, updatedAt: now } });
    await recordAudit(tx, {
      actor: operatorAuditActor(ctx.actor),
      action: "job_function.pause",
      target: { type: "job_function", id: functionId },
      before: { paused_at: null },
      after: { paused_at: now.toISOString() },
      reason,
      requestId: ctx.requestId,
    });
    return { functionId, pausedAt: now };
  });
}

export async function resumeFunction(
  ctx: ServiceContext<OperatorActor>,
  functionId: string,
  reason: string | null,
  deps: PauseDeps,
) {
  scheduledFunction(functionId, deps.functions);
  return withSystem("jobs", async (tx) => {
    const before = await lockHeartbeat(tx, functionId);
    if (!before?.pausedAt) throw new AppError("conflict", `"${functionId}" is not paused.`);
    await tx
      .update(jobHeartbeats)
      .set({
        pausedAt: null,
        lastSuccessAt: sql`greatest(${jobHeartbeats.lastSuccessAt}, now())`,
        updatedAt: sql`now()`,
      })
      .where(eq(jobHeartbeats.functionId, functionId));
    await recordAudit(tx, {
      actor: operatorAuditActor(ctx.actor),
      action: "job_function.resume",
      target: { type: "job_function", id: functionId },
      before: { paused_at: before.pausedAt.toISOString() },
      after: { paused_at: null },
      reason,
      requestId: ctx.requestId,
    });
    return { functionId, pausedAt: null };
  });
}

/** Paused scheduled functions and since when. */
export async function pausedFunctions(ctx: ServiceContext<OperatorActor>): Promise<Map<string, Date>> {
  const jobs = systemContext(systemActor("jobs"), { requestId: ctx.requestId, now: () => ctx.now() });
  const rows = await jobs.transaction((tx) =>
    tx
      .select({ functionId: jobHeartbeats.functionId, pausedAt: jobHeartbeats.pausedAt })
      .from(jobHeartbeats)
      .where(sql`${jobHeartbeats.pausedAt} is not null`),
  );
  return new Map(rows.map((r) => [r.functionId, r.pausedAt!]));
}
