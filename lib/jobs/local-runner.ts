import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { InngestFunction } from "inngest";
import { StepMode, StepOpCode, type OutgoingOp } from "inngest/types";
import { withSystem } from "@/db/tenant";
import { jobRuns } from "@/db/schema";
import { queueRun, queuedRunFor, type JobTrigger, type RunEvent } from "./runs";

/**
 * Runs an Inngest function to completion in this process, without an Inngest server: the CLI
 * (`jobs:run`), operator re-runs of scheduled functions and the development executor
 * (local-executor.ts) use it. It drives the SDK's own
 * execution engine the way Inngest does — one "request" per step, memoised step results fed back,
 * failed attempts retried up to the function's `retries` (default 3) and non-retriable errors
 * ending the run — so the run-tracking middleware records it like any other run. Sleeps are not
 * waited out (a run "now" is what was asked for); waiting for events or invoking other functions
 * is not supported here.
 */
export interface LocalRunOptions {
  event: RunEvent;
  trigger: Extract<JobTrigger, "cli" | "rerun" | "local">;
  rerunOf?: string | null;
  /** Pause before retry n (1-based). Default: exponential from 1 s, capped at 30 s. */
  retryDelayMs?: (retry: number) => number;
}

export interface LocalRunResult {
  jobRunId: string;
  runId: string;
  status: string;
  output: unknown;
  error: string | null;
}

const DEFAULT_RETRIES = 3;
const MAX_REQUESTS = 1_000;

type StepStateEntry = { id: string; data?: unknown; error?: unknown };
type ExecutionResult = {
  type: string;
  data?: unknown;
  error?: unknown;
  retriable?: boolean | string;
  step?: OutgoingOp;
  steps?: OutgoingOp[];
};
type Executable = {
  createExecution(opts: { partialOptions: Record<string, unknown> }): { start(): Promise<ExecutionResult> };
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runFunctionLocally(fn: InngestFunction.Any, options: LocalRunOptions): Promise<LocalRunResult> {
  const event = {
    name: options.event.name,
    data: options.event.data ?? {},
    id: options.event.id ?? `local-${randomUUID()}`,
    ts: Date.now(),
  };
  const functionId = fn.opts.id;
  // An operator re-run sent as an event has queued its row already: the run claims that one.
  const jobRunId =
    (await queuedRunFor(functionId, event.id)) ??
    (await queueRun({ functionId, trigger: options.trigger, event, rerunOf: options.rerunOf }));
  const runId = `local-${randomUUID()}`;
  const maxAttempts = ((fn.opts as { retries?: number }).retries ?? DEFAULT_RETRIES) + 1;
  const retryDelayMs = options.retryDelayMs ?? ((n: number) => Math.min(1_000 * 2 ** (n - 1), 30_000));
  const stepState: Record<string, StepStateEntry> = {};
  const completionOrder: string[] = [];
  let attempt = 0;
  let requestedRunStep: string | undefined;

  const retry = async () => {
    attempt += 1;
    await sleep(retryDelayMs(attempt));
  };

  for (let request = 0; request < MAX_REQUESTS; request++) {
    const execution = (fn as unknown as Executable).createExecution({
      partialOptions: {
        runId,
        client: (fn as unknown as { client: unknown }).client,
        data: { runId, attempt, maxAttempts, event, events: [event] },
        reqArgs: [],
        headers: {},
        stepCompletionOrder: [...completionOrder],
        stepState: Object.fromEntries(Object.entries(stepState).map(([k, v]) => [k, { ...v }])),
        stepMode: StepMode.Async,
        requestedRunStep,
      },
    });
    const result = await execution.start();
    requestedRunStep = undefined;

    if (result.type === "function-resolved") break;
    if (result.type === "function-rejected") {
      if (result.retriable !== false && attempt + 1 < maxAttempts) {
        await retry();
        continue;
      }
      break;
    }
    if (result.type === "step-ran" && result.step) {
      const step = result.step;
      if (step.op === StepOpCode.StepError) {
        await retry();
        continue;
      }
      stepState[step.id] =
        step.op === StepOpCode.StepFailed
          ? { id: step.id, error: step.error }
          : { id: step.id, data: step.data ?? null };
      completionOrder.push(step.id);
      attempt = 0; // Inngest counts attempts per step.
      continue;
    }
    if (result.type === "steps-found" && result.steps) {
      let progressed = false;
      for (const step of result.steps) {
        if (step.op === StepOpCode.RunComplete) return settle(jobRunId, runId);
        if (step.op === StepOpCode.Sleep) {
          stepState[step.id] = { id: step.id, data: null };
          completionOrder.push(step.id);
          progressed = true;
        } else if (step.op === StepOpCode.StepPlanned && !requestedRunStep) {
          requestedRunStep = step.id;
          progressed = true;
        } else if (
          step.op !== StepOpCode.StepPlanned &&
          step.op !== StepOpCode.DeferAdd &&
          step.op !== StepOpCode.DeferAbort
        ) {
          throw new Error(
            `${functionId}: step "${step.displayName ?? step.id}" (${step.op}) needs an Inngest server; it cannot run locally.`,
          );
        }
      }
      if (!progressed) throw new Error(`${functionId}: the run made no progress locally.`);
      continue;
    }
    throw new Error(`${functionId}: unexpected execution result "${result.type}" running locally.`);
  }
  return settle(jobRunId, runId);
}

async function settle(jobRunId: string, runId: string): Promise<LocalRunResult> {
  const [row] = await withSystem("jobs", (tx) => tx.select().from(jobRuns).where(eq(jobRuns.id, jobRunId)));
  return { jobRunId, runId, status: row?.status ?? "queued", output: row?.output ?? null, error: row?.error ?? null };
}
