import { and, asc } from "drizzle-orm";
import { z } from "zod";
import { withSystem } from "@/db/tenant";
import { jobRuns } from "@/db/schema";
import { operatorAuditActor, recordAuditAlone } from "@/lib/audit";
import type { OperatorActor, ServiceContext } from "@/lib/context";
import { AppError } from "@/lib/http";
import { countJobRuns, jobRunFilters } from "./queries";
import { jobRunFilterSchema, type JobRunFilter } from "./run-filter";
import { startRerun, type RerunDeps } from "./rerun";

/** At most this many runs are re-run by one bulk operation; a wider filter is refused, not cut. */
export const BULK_RERUN_CAP = 500;

/** Body of POST /api/admin/job-runs/rerun: the filter, a name for the operation, and the count the operator confirmed. */
export const bulkRerunBody = z
  .object({
    filter: jobRunFilterSchema,
    label: z.string().trim().min(3, "Name the operation (at least 3 characters).").max(200),
    confirm: z.coerce
      .number({ message: "Type the number of runs to confirm." })
      .int()
      .min(1, "Type the number of runs to confirm."),
  })
  .strict();

export interface BulkRerunResult {
  matched: number;
  reruns: { rerunOf: string; jobRunId: string; status: string; mode: "event" | "local" }[];
  /** The run whose re-run failed (Inngest unreachable…): the operation stops there. */
  failed: { rerunOf: string; error: string } | null;
  auditId: string;
}

/**
 * Re-runs every run matching `filter`, each like a single re-run (new run linked by `rerun_of`),
 * after checking the operator confirmed exactly the number that matches now (a filter that grew
 * or shrank since the page was rendered is refused). One audit entry records the name, filter,
 * count and every id. Event runs are re-sent to Inngest; scheduled runs execute here one after
 * another, so the request lasts as long as they do. A send failure stops the operation; what
 * was re-run so far stays re-run and is in the audit entry.
 */
export async function bulkRerunJobs(
  ctx: ServiceContext<OperatorActor>,
  input: { filter: JobRunFilter; label: string; confirm: number },
  deps: RerunDeps,
): Promise<BulkRerunResult> {
  const matched = await countJobRuns(ctx, input.filter);
  if (matched === 0) throw new AppError("conflict", "No runs match this filter.");
  if (matched > BULK_RERUN_CAP)
    throw new AppError(
      "conflict",
      `${matched} runs match; a bulk re-run takes at most ${BULK_RERUN_CAP}. Narrow the filter.`,
    );
  if (input.confirm !== matched)
    throw new AppError(
      "conflict",
      `${matched} runs match this filter now, not ${input.confirm}: check the list and confirm again.`,
    );
  const filters = jobRunFilters(input.filter);
  const originals = await withSystem("jobs", (tx) =>
    tx
      .select()
      .from(jobRuns)
      .where(filters.length ? and(...filters) : undefined)
      .orderBy(asc(jobRuns.createdAt), asc(jobRuns.id))
      .limit(BULK_RERUN_CAP),
  );

  const reruns: BulkRerunResult["reruns"] = [];
  let failed: BulkRerunResult["failed"] = null;
  for (const original of originals) {
    try {
      const { result } = await startRerun(original, deps);
      reruns.push({ rerunOf: original.id, ...result });
    } catch (error) {
      failed = { rerunOf: original.id, error: error instanceof Error ? error.message : String(error) };
      break;
    }
  }
  const auditId = await recordAuditAlone(
    {
      actor: operatorAuditActor(ctx.actor),
      action: "job_run.bulk_rerun",
      target: { type: "job_run_filter", id: null },
      before: { filter: filterForAudit(input.filter), matched, confirmed: input.confirm },
      after: {
        rerun_count: reruns.length,
        reruns: reruns.map((r) => ({ rerun_of: r.rerunOf, job_run_id: r.jobRunId, status: r.status })),
        failed,
      },
      reason: input.label,
      requestId: ctx.requestId,
    },
    "jobs",
  );
  return { matched, reruns, failed, auditId };
}

function filterForAudit(f: JobRunFilter) {
  return {
    function: f.functionId ?? null,
    status: f.status ?? null,
    org: f.orgId ?? null,
    from: f.from?.toISOString() ?? null,
    to: f.to?.toISOString() ?? null,
    q: f.search ?? null,
  };
}
