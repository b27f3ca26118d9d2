import { z } from "zod";
import { maskEmail } from "@/lib/format";
import type { JobEvent, JobRun, JobRunQuery } from "./queries";
import { jobRunFilterSchema, toJobRunFilter } from "./run-filter";

/** Query parameters of GET /api/admin/job-runs: the run filter, then the page. */
export const jobRunListQuery = jobRunFilterSchema
  .extend({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return undefined;
        const id = Buffer.from(v, "base64url").toString("utf8");
        if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) {
          ctx.addIssue({ code: "custom", message: "Use the next_cursor of a previous page." });
          return z.NEVER;
        }
        return id;
      }),
  })
  .strict();

export function toJobRunQuery(q: z.infer<typeof jobRunListQuery>): JobRunQuery {
  return { ...toJobRunFilter(q), after: q.cursor, limit: q.limit };
}

export const encodeJobRunCursor = (id: string | null) => (id ? Buffer.from(id, "utf8").toString("base64url") : null);

const EMAIL = /[^\s@"]+@[^\s@"]+\.[^\s@"]+/g;

/** Operators without PII access see e-mail addresses in payloads masked. */
function maskPayload(value: unknown): unknown {
  if (typeof value === "string") return value.replace(EMAIL, (m) => maskEmail(m));
  if (Array.isArray(value)) return value.map(maskPayload);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskPayload(v)]));
  return value;
}

export function presentJobRun(run: JobRun, options: { pii: boolean }) {
  const mask = (v: unknown) => (options.pii ? v : maskPayload(v));
  return {
    id: run.id,
    function_id: run.functionId,
    run_id: run.runId,
    trigger: run.trigger,
    event_name: run.eventName,
    event_id: run.eventId,
    event_payload: mask(run.eventPayload),
    org_id: run.orgId,
    status: run.status,
    attempt: run.attempt,
    started_at: run.startedAt?.toISOString() ?? null,
    finished_at: run.finishedAt?.toISOString() ?? null,
    duration_ms: run.durationMs,
    error: run.error === null ? null : (mask(run.error) as string),
    output: mask(run.output ?? null),
    rerun_of: run.rerunOf,
    created_at: run.createdAt.toISOString(),
  };
}

export function presentJobEvent(event: JobEvent) {
  return {
    kind: event.kind,
    step_id: event.stepId,
    attempt: event.attempt,
    at: event.at.toISOString(),
    duration_ms: event.durationMs,
    error: event.error,
  };
}
