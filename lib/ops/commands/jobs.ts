import { z } from "zod";
import {
  bulkRerunBody,
  bulkRerunJobs,
  cancelJobRun,
  JOB_RUN_FILTER_KEYS,
  pauseFunction,
  rerunJob,
  resumeFunction,
  toJobRunFilter,
} from "@/lib/jobs";
import { defineOperatorCommand } from "./define";

const runId = z.object({ id: z.string().uuid() });
const functionId = z.object({ id: z.string().trim().min(1).max(100) });
const optionalReason = z.object({ reason: z.string().trim().min(1).max(500).optional() }).strict();

/** Re-run one run: its event is re-sent (202, queued in Inngest), or a scheduled run runs here (200). */
export const rerunJobRun = defineOperatorCommand({
  name: "job-runs.rerun",
  permission: "jobs:rerun",
  writes: true,
  audit: "job_run.rerun",
  params: runId,
  notFound: "job run",
  run: (ctx, { id }) => rerunJob(ctx, id, ctx.deps),
  answer: (result, { id }) => ({
    status: result.mode === "event" ? 202 : 200,
    body: { job_run_id: result.jobRunId, status: result.status, rerun_of: id },
  }),
});

/** Bulk re-run by filter: named, confirmed with the count that matches, capped, audited once; 502 when a send failed part-way. */
export const bulkRerunJobRuns = defineOperatorCommand({
  name: "job-runs.bulk-rerun",
  permission: "jobs:rerun",
  writes: true,
  audit: "job_run.bulk_rerun",
  params: z.object({}),
  notFound: "job runs",
  body: bulkRerunBody,
  // The cockpit's form carries the filter as flat fields beside the name and the typed count.
  fromForm: (fields) => ({
    filter: Object.fromEntries(JOB_RUN_FILTER_KEYS.filter((k) => fields[k]?.trim()).map((k) => [k, fields[k]])),
    label: fields.label ?? "",
    confirm: fields.confirm ?? "",
  }),
  run: (ctx, body) =>
    bulkRerunJobs(ctx, { filter: toJobRunFilter(body.filter), label: body.label, confirm: body.confirm }, ctx.deps),
  answer: (result) => ({
    status: result.failed ? 502 : 200,
    body: {
      matched: result.matched,
      rerun_count: result.reruns.length,
      reruns: result.reruns.map((r) => ({
        rerun_of: r.rerunOf,
        job_run_id: r.jobRunId,
        status: r.status,
        mode: r.mode,
      })),
      failed: result.failed ? { rerun_of: result.failed.rerunOf, error: result.failed.error } : null,
      audit_id: result.auditId,
    },
  }),
});

/** Cancel a running run: Inngest is told (cancelOn), the run is marked cancelled; 409 when it cannot be. */
export const cancelRun = defineOperatorCommand({
  name: "job-runs.cancel",
  permission: "jobs:cancel",
  writes: true,
  audit: "job_run.cancel",
  params: runId,
  notFound: "job run",
  body: optionalReason,
  run: (ctx, { id, reason }) => cancelJobRun(ctx, id, reason ?? null, ctx.deps),
  answer: (result) => ({
    body: { job_run_id: result.jobRunId, status: result.status, cancel_event_id: result.cancelEventId },
  }),
});

/** Pause a scheduled function (see lib/jobs/pause.ts for what a pause does). */
export const pauseJobFunction = defineOperatorCommand({
  name: "job-functions.pause",
  permission: "jobs:pause",
  writes: true,
  audit: "job_function.pause",
  params: functionId,
  notFound: "job function",
  body: optionalReason,
  run: (ctx, { id, reason }) => pauseFunction(ctx, id, reason ?? null, { functions: ctx.deps.functions }),
  answer: (result) => ({ body: { function_id: result.functionId, paused_at: result.pausedAt.toISOString() } }),
});

export const resumeJobFunction = defineOperatorCommand({
  name: "job-functions.resume",
  permission: "jobs:pause",
  writes: true,
  audit: "job_function.resume",
  params: functionId,
  notFound: "job function",
  body: optionalReason,
  run: (ctx, { id, reason }) => resumeFunction(ctx, id, reason ?? null, { functions: ctx.deps.functions }),
  answer: (result) => ({ body: { function_id: result.functionId, paused_at: null } }),
});
