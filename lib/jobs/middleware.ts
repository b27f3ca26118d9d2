import { Middleware } from "inngest";
import { logger } from "@/lib/observability";
import { cronIntervalMs } from "./cron";
import { recordHeartbeat } from "./heartbeats";
import {
  beginAttempt,
  describeError,
  finishAttempt,
  markRetrying,
  pausedTickSince,
  recordJobEvent,
  skipPausedTick,
  type RunEvent,
} from "./runs";

type Fn = Middleware.OnRunStartArgs["fn"];
type Ctx = Middleware.OnRunStartArgs["ctx"];

/** The function's own id ("heartbeat"), not the app-prefixed one Inngest shows ("beacon-heartbeat"). */
export function functionIdOf(fn: Fn): string {
  return fn.opts.id;
}

/** The cron schedule of a scheduled function, if it has one. */
export function cronOf(fn: Fn): string | null {
  const triggers = (fn.opts.triggers ?? []) as readonly unknown[];
  for (const trigger of triggers) {
    if (trigger && typeof trigger === "object" && "cron" in trigger && typeof trigger.cron === "string")
      return trigger.cron;
  }
  return null;
}

function eventOf(ctx: Ctx): RunEvent {
  const event = ctx.event as { name: string; id?: string; data?: Record<string, unknown> };
  return { name: event.name, id: event.id ?? null, data: event.data ?? {} };
}

/**
 * The one place job runs are recorded (SPEC §6): every request Inngest makes for a run goes
 * through a fresh instance of this class, which upserts the `job_runs` row keyed by the run id,
 * logs each step attempt to `job_events`, and settles the run's status. A scheduled function's
 * success also moves its heartbeat. Recording never fails a function: a recording error is logged.
 */
export class JobRunTracking extends Middleware.BaseMiddleware {
  readonly id = "beacon-job-run-tracking";
  private jobRunId: Promise<string | null> | null = null;
  private readonly stepStartedAt = new Map<string, number>();
  /** No step has finished yet in this run: the request is the tick itself, not a later step. */
  private freshRun = false;
  /** Set when this request is a tick of a paused function: the handler is not called. */
  private pausedAt: Date | null = null;

  private async record(what: string, ctx: Ctx, fn: Fn, write: () => Promise<void>) {
    try {
      await write();
    } catch (err) {
      logger.error({ err, functionId: functionIdOf(fn), runId: ctx.runId, what }, "job run tracking failed");
    }
  }

  private runRow(ctx: Ctx, fn: Fn): Promise<string | null> {
    this.jobRunId ??= beginAttempt({
      functionId: functionIdOf(fn),
      runId: ctx.runId,
      attempt: ctx.attempt,
      event: eventOf(ctx),
    }).catch((err: unknown) => {
      logger.error({ err, functionId: functionIdOf(fn), runId: ctx.runId }, "job run tracking failed to start the run");
      return null;
    });
    return this.jobRunId;
  }

  override async transformFunctionInput(arg: Middleware.TransformFunctionInputArgs) {
    await this.runRow(arg.ctx, arg.fn as Fn);
    this.freshRun = Object.keys(arg.steps).length === 0;
    return arg;
  }

  /**
   * Pause (cockpit): a scheduler tick of a paused function does no work. Checked only before the
   * first step, so a run already under way when the pause lands finishes what it started.
   */
  override async wrapFunctionHandler({ ctx, fn, next }: Middleware.WrapFunctionHandlerArgs) {
    if (this.freshRun && cronOf(fn as Fn)) {
      const jobRunId = await this.runRow(ctx as Ctx, fn as Fn);
      if (jobRunId) {
        try {
          this.pausedAt = await pausedTickSince(jobRunId);
        } catch (err) {
          logger.error(
            { err, functionId: functionIdOf(fn as Fn), runId: ctx.runId },
            "job run tracking could not read the pause state",
          );
        }
      }
      if (this.pausedAt) return { skipped: "paused", paused_at: this.pausedAt.toISOString() };
    }
    return next();
  }

  override async onStepStart({ ctx, fn, stepInfo }: Middleware.OnStepStartArgs) {
    this.stepStartedAt.set(stepInfo.hashedId, performance.now());
    const jobRunId = await this.runRow(ctx, fn);
    if (!jobRunId) return;
    await this.record("step.started", ctx, fn, () =>
      recordJobEvent({ jobRunId, kind: "step.started", stepId: stepInfo.options.id, attempt: ctx.attempt }),
    );
  }

  private stepDuration(hashedId: string) {
    const started = this.stepStartedAt.get(hashedId);
    return started === undefined ? null : performance.now() - started;
  }

  override async onStepComplete({ ctx, fn, stepInfo }: Middleware.OnStepCompleteArgs) {
    const jobRunId = await this.runRow(ctx, fn);
    if (!jobRunId) return;
    const durationMs = this.stepDuration(stepInfo.hashedId);
    await this.record("step.finished", ctx, fn, () =>
      recordJobEvent({
        jobRunId,
        kind: "step.finished",
        stepId: stepInfo.options.id,
        attempt: ctx.attempt,
        durationMs,
      }),
    );
  }

  override async onStepError({ ctx, fn, stepInfo, error, isFinalAttempt }: Middleware.OnStepErrorArgs) {
    const jobRunId = await this.runRow(ctx, fn);
    if (!jobRunId) return;
    const durationMs = this.stepDuration(stepInfo.hashedId);
    await this.record("step.failed", ctx, fn, async () => {
      await recordJobEvent({
        jobRunId,
        kind: "step.failed",
        stepId: stepInfo.options.id,
        attempt: ctx.attempt,
        durationMs,
        error: describeError(error),
      });
      // A final step failure is settled by the run itself: the function may still catch it.
      if (!isFinalAttempt) await markRetrying({ jobRunId, attempt: ctx.attempt, error });
    });
  }

  override async onRunComplete({ ctx, fn, output }: Middleware.OnRunCompleteArgs) {
    const jobRunId = await this.runRow(ctx, fn);
    if (!jobRunId) return;
    const pausedAt = this.pausedAt;
    if (pausedAt) {
      await this.record("run.skipped", ctx, fn, () =>
        skipPausedTick({ jobRunId, attempt: ctx.attempt, functionId: functionIdOf(fn), pausedAt }),
      );
      return;
    }
    await this.record("run.finished", ctx, fn, async () => {
      await finishAttempt({ jobRunId, attempt: ctx.attempt, outcome: "succeeded", output });
      const cron = cronOf(fn);
      if (cron)
        await recordHeartbeat({
          functionId: functionIdOf(fn),
          runId: ctx.runId,
          expectedEveryMs: cronIntervalMs(cron),
        });
    });
  }

  override async onRunError({ ctx, fn, error, isFinalAttempt }: Middleware.OnRunErrorArgs) {
    const jobRunId = await this.runRow(ctx, fn);
    if (!jobRunId) return;
    await this.record("run.failed", ctx, fn, () =>
      finishAttempt({ jobRunId, attempt: ctx.attempt, outcome: isFinalAttempt ? "failed" : "retrying", error }),
    );
  }
}
