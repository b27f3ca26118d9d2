import { z } from "zod";
import type { JobRunQuery } from "./queries";
import { JOB_STATUSES } from "./stats";

export type JobRunFilter = Omit<JobRunQuery, "after" | "limit">;

/**
 * Which runs an operator means, in the words of the URL and the API: the list's query, the bulk
 * re-run's `filter` (and its count), and the cockpit's job page all read it with this schema.
 */
export const jobRunFilterSchema = z
  .object({
    function: z.string().trim().min(1).max(100).optional(),
    status: z.enum(JOB_STATUSES as [string, ...string[]]).optional(),
    org: z.string().uuid().optional(),
    from: z.string().datetime({ offset: true }).optional(),
    to: z.string().datetime({ offset: true }).optional(),
    q: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

export type JobRunFilterInput = z.infer<typeof jobRunFilterSchema>;
export const JOB_RUN_FILTER_KEYS = Object.keys(jobRunFilterSchema.shape) as (keyof JobRunFilterInput)[];

export function toJobRunFilter(f: JobRunFilterInput): JobRunFilter {
  return {
    functionId: f.function,
    status: f.status,
    orgId: f.org,
    from: f.from ? new Date(f.from) : undefined,
    to: f.to ? new Date(f.to) : undefined,
    search: f.q,
  };
}

/**
 * The filter a page or form was given as strings: empty fields are absent, and a field with a bad
 * value is left out rather than refusing the page (the API refuses it: 422).
 */
export function jobRunFilterFrom(fields: Record<string, string | undefined>): JobRunFilterInput {
  const filter: Record<string, string> = {};
  for (const key of JOB_RUN_FILTER_KEYS) {
    const parsed = jobRunFilterSchema.shape[key].safeParse(fields[key] || undefined);
    if (parsed.success && parsed.data !== undefined) filter[key] = parsed.data;
  }
  return filter as JobRunFilterInput;
}
