import { and, asc, desc, eq, gte, lte, or, sql, type SQL } from "drizzle-orm";
import { jobEvents, jobRuns } from "@/db/schema";
import { asSystem, type OperatorActor, type ServiceContext } from "@/lib/context";

export type JobRun = typeof jobRuns.$inferSelect;
export type JobEvent = typeof jobEvents.$inferSelect;

export interface JobRunQuery {
  functionId?: string;
  status?: string;
  orgId?: string;
  from?: Date;
  to?: Date;
  /** Free text matched against the event payload (as JSON text), event name and error. */
  search?: string;
  /** Keyset cursor: runs after this run in newest-first order. */
  after?: string;
  limit?: number;
}

/** The WHERE conditions of a filter (without the cursor): shared by the list, the count and bulk re-runs. */
export function jobRunFilters(query: Omit<JobRunQuery, "after" | "limit">): SQL[] {
  const filters: SQL[] = [];
  if (query.functionId) filters.push(eq(jobRuns.functionId, query.functionId));
  if (query.status) filters.push(eq(jobRuns.status, query.status));
  if (query.orgId) filters.push(eq(jobRuns.orgId, query.orgId));
  if (query.from) filters.push(gte(jobRuns.createdAt, query.from));
  if (query.to) filters.push(lte(jobRuns.createdAt, query.to));
  if (query.search) {
    const like = `%${query.search.replace(/[\\%_]/g, "\\$&")}%`;
    filters.push(
      or(
        sql`${jobRuns.eventPayload}::text ilike ${like}`,
        sql`${jobRuns.eventName} ilike ${like}`,
        sql`${jobRuns.error} ilike ${like}`,
      )!,
    );
  }
  return filters;
}

/** How many runs match a filter (the "N runs match" of bulk re-run). */
export async function countJobRuns(
  ctx: ServiceContext<OperatorActor>,
  query: Omit<JobRunQuery, "after" | "limit"> = {},
): Promise<number> {
  const filters = jobRunFilters(query);
  const [row] = await asSystem(ctx, "ops-cockpit").transaction((tx) =>
    tx
      .select({ n: sql<number>`count(*)::int` })
      .from(jobRuns)
      .where(filters.length ? and(...filters) : undefined),
  );
  return Number(row?.n ?? 0);
}

/** Newest first, keyset-paginated; `next` is the cursor of the following page, if any. */
export async function listJobRuns(
  ctx: ServiceContext<OperatorActor>,
  query: JobRunQuery = {},
): Promise<{ runs: JobRun[]; next: string | null }> {
  const filters = jobRunFilters(query);
  if (query.after) {
    // Compared in the database: created_at has microseconds a JS Date would lose.
    filters.push(
      sql`(${jobRuns.createdAt}, ${jobRuns.id}) < (select c.created_at, c.id from job_runs c where c.id = ${query.after})`,
    );
  }
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  const rows = await asSystem(ctx, "ops-cockpit").transaction((tx) =>
    tx
      .select()
      .from(jobRuns)
      .where(filters.length ? and(...filters) : undefined)
      .orderBy(desc(jobRuns.createdAt), desc(jobRuns.id))
      .limit(limit + 1),
  );
  const runs = rows.slice(0, limit);
  const last = runs.at(-1);
  return { runs, next: rows.length > limit && last ? last.id : null };
}

/** One run with its step log (oldest first), and the runs that re-ran it. */
export async function getJobRun(
  ctx: ServiceContext<OperatorActor>,
  id: string,
): Promise<{ run: JobRun; events: JobEvent[]; reruns: { id: string; status: string; createdAt: Date }[] } | null> {
  const cockpit = asSystem(ctx, "ops-cockpit");
  const [run] = await cockpit.transaction((tx) => tx.select().from(jobRuns).where(eq(jobRuns.id, id)));
  if (!run) return null;
  const events = await cockpit.transaction((tx) =>
    tx.select().from(jobEvents).where(eq(jobEvents.jobRunId, id)).orderBy(asc(jobEvents.at), asc(jobEvents.seq)),
  );
  const reruns = await cockpit.transaction((tx) =>
    tx
      .select({ id: jobRuns.id, status: jobRuns.status, createdAt: jobRuns.createdAt })
      .from(jobRuns)
      .where(eq(jobRuns.rerunOf, id))
      .orderBy(asc(jobRuns.createdAt)),
  );
  return { run, events, reruns };
}
