import { gt, sql } from "drizzle-orm";
import { jobRuns } from "@/db/schema";
import { asSystem, type OperatorActor, type ServiceContext } from "@/lib/context";
import type { JobStatus } from "./runs";

export const JOB_STATUSES: JobStatus[] = ["queued", "running", "succeeded", "failed", "retrying", "cancelled"];

/** Runs per status (for the tabs), optionally since a time. */
export async function jobRunStatusCounts(
  ctx: ServiceContext<OperatorActor>,
  since?: Date,
): Promise<Record<JobStatus, number>> {
  const rows = await asSystem(ctx, "ops-cockpit").transaction((tx) =>
    tx
      .select({ status: jobRuns.status, n: sql<number>`count(*)::int` })
      .from(jobRuns)
      .where(since ? gt(jobRuns.createdAt, since) : undefined)
      .groupBy(jobRuns.status),
  );
  const counts = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
  for (const row of rows) counts[row.status as JobStatus] = Number(row.n);
  return counts;
}

export interface FunctionRunStats {
  functionId: string;
  runs: number;
  failed: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  lastStartedAt: Date | null;
}

/** Per function since `since`: run and failure counts, p50/p95/p99 duration, last start. */
export async function jobRunStats(ctx: ServiceContext<OperatorActor>, since: Date): Promise<FunctionRunStats[]> {
  const rows = await asSystem(ctx, "ops-cockpit").transaction((tx) =>
    tx
      .select({
        functionId: jobRuns.functionId,
        runs: sql<number>`count(*)::int`,
        failed: sql<number>`count(*) filter (where ${jobRuns.status} = 'failed')::int`,
        p50: sql<number | null>`percentile_cont(0.5) within group (order by ${jobRuns.durationMs})`,
        p95: sql<number | null>`percentile_cont(0.95) within group (order by ${jobRuns.durationMs})`,
        p99: sql<number | null>`percentile_cont(0.99) within group (order by ${jobRuns.durationMs})`,
        lastStartedAt: sql<string | null>`max(coalesce(${jobRuns.startedAt}, ${jobRuns.createdAt}))`,
      })
      .from(jobRuns)
      .where(gt(jobRuns.createdAt, since))
      .groupBy(jobRuns.functionId)
      .orderBy(jobRuns.functionId),
  );
  const ms = (v: number | string | null) => (v === null ? null : Math.round(Number(v)));
  return rows.map((r) => ({
    functionId: r.functionId,
    runs: Number(r.runs),
    failed: Number(r.failed),
    p50Ms: ms(r.p50),
    p95Ms: ms(r.p95),
    p99Ms: ms(r.p99),
    lastStartedAt: r.lastStartedAt ? new Date(r.lastStartedAt) : null,
  }));
}
