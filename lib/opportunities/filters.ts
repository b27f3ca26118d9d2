import { and, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { opportunities } from "@/db/schema";
import { naicsPrefixes } from "./naics";
import { keywordQuerySchema, naicsFilterSchema, setAsideSchema, stateSchema } from "./schemas";
import { NOTICE_STATUSES, noticeStatusIn, type NoticeStatus } from "./status";

export { keywordQuerySchema, naicsFilterSchema, setAsideSchema, stateSchema };

/** What can narrow a set of opportunities. Search, alerts and onboarding matches share it. */
export interface OpportunityFilters {
  q?: string;
  naics?: string[];
  states?: string[];
  setAsides?: string[];
  postedFrom?: Date;
  /** Exclusive upper bound. */
  postedBefore?: Date;
  deadlineFrom?: Date;
  deadlineBefore?: Date;
  /** Point in time: only opportunities posted at or before it. */
  asOf?: Date;
  /** Only notices with one of these statuses at `referenceDate`; undefined = any status. */
  status?: NoticeStatus[];
  /** Notices left out whatever else matches (the org's not-relevant marks); not part of a search's identity. */
  excludeNoticeIds?: string[];
  /** When status is judged (`opportunityFeed().referenceDate`); not part of a search's identity. */
  referenceDate?: Date;
}

/**
 * How results are ordered: `relevance` (the default: keyword relevance with `q`, newest first
 * without), `newest` (newest first, even with `q`) or `fit` (the org's fit score, fit.ts).
 */
export const SEARCH_SORTS = ["relevance", "newest", "fit"] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

/** `status` query values: one status, or `all`. */
export const STATUS_FILTER_VALUES = [...NOTICE_STATUSES, "all"] as const;
export type StatusFilterValue = (typeof STATUS_FILTER_VALUES)[number];

// Query strings repeat a key for several values (`naics=5415&naics=236`); one value is a list of one.
function list<T extends z.ZodType>(item: T, max: number) {
  return z.preprocess(
    (v) => (v === undefined || Array.isArray(v) ? v : [v]),
    z.array(item).max(max, `At most ${max} values.`),
  );
}

// A date ("2026-04-24") means the whole UTC day; a date-time means that instant.
const dateOrDateTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  message: "Use an ISO date (2026-04-24) or date-time.",
});

function startOf(value: string) {
  return new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
}
function endOf(value: string) {
  const start = startOf(value);
  return value.length === 10 ? new Date(start.getTime() + 24 * 3600_000) : new Date(start.getTime() + 1);
}

/** The public query string (API.md) → filters. Unknown parameters are refused. */
export const opportunityQuerySchema = z
  .object({
    q: keywordQuerySchema.optional(),
    naics: list(naicsFilterSchema, 50).optional(),
    state: list(stateSchema, 60).optional(),
    set_aside: list(setAsideSchema, 20).optional(),
    posted_from: dateOrDateTime.optional(),
    posted_to: dateOrDateTime.optional(),
    deadline_from: dateOrDateTime.optional(),
    deadline_to: dateOrDateTime.optional(),
    as_of: dateOrDateTime.optional(),
    // Open notices unless asked otherwise: a closed or awarded notice is history, not an opportunity.
    status: z.enum(STATUS_FILTER_VALUES, { message: `Use one of ${STATUS_FILTER_VALUES.join(", ")}.` }).default("open"),
    sort: z.enum(SEARCH_SORTS, { message: `Use one of ${SEARCH_SORTS.join(", ")}.` }).default("relevance"),
    limit: z.coerce.number().int("limit must be a whole number.").min(1).max(100).default(20),
    cursor: z.string().max(1000).optional(),
  })
  .strict();

export type OpportunityQuery = z.infer<typeof opportunityQuerySchema>;

/** `referenceDate` is when status is judged: `opportunityFeed().referenceDate`. */
export function filtersFromQuery(query: OpportunityQuery, referenceDate: Date): OpportunityFilters {
  return {
    q: query.q || undefined,
    naics: query.naics,
    states: query.state,
    setAsides: query.set_aside,
    postedFrom: query.posted_from ? startOf(query.posted_from) : undefined,
    postedBefore: query.posted_to ? endOf(query.posted_to) : undefined,
    deadlineFrom: query.deadline_from ? startOf(query.deadline_from) : undefined,
    deadlineBefore: query.deadline_to ? endOf(query.deadline_to) : undefined,
    asOf: query.as_of ? endOf(query.as_of) : undefined,
    status: query.status === "all" ? undefined : [query.status],
    referenceDate,
  };
}

/** The tsquery for a keyword search, or null when there is nothing to search for. */
export function keywordQuery(q: string | undefined): SQL | null {
  const text = q?.trim();
  return text ? sql`websearch_to_tsquery('english', ${text})` : null;
}

/**
 * The stemmed words of a keyword query (its operators and quotes left out), as PostgreSQL's
 * English configuration indexes them: what a passage must contain to show a match.
 */
export function keywordLexemes(q: string): SQL {
  return sql`tsvector_to_array(to_tsvector('english', ${q.trim()}))`;
}

/** WHERE clause for the filters (undefined when nothing narrows). */
export function opportunityWhere(filters: OpportunityFilters): SQL | undefined {
  const o = opportunities;
  const conditions: (SQL | undefined)[] = [];
  const tsquery = keywordQuery(filters.q);
  if (tsquery) conditions.push(sql`${o.searchVector} @@ ${tsquery}`);
  if (filters.naics?.length) {
    const patterns = filters.naics.flatMap(naicsPrefixes).map((p) => `${p}%`);
    conditions.push(sql`${o.naicsCode} like any(${sql.param(patterns)}::text[])`);
  }
  if (filters.states?.length) conditions.push(sql`${o.popState} = any(${sql.param(filters.states)}::text[])`);
  if (filters.setAsides?.length) conditions.push(sql`${o.setAsideCode} = any(${sql.param(filters.setAsides)}::text[])`);
  if (filters.postedFrom) conditions.push(sql`${o.postedAt} >= ${filters.postedFrom.toISOString()}::timestamptz`);
  if (filters.postedBefore) conditions.push(sql`${o.postedAt} < ${filters.postedBefore.toISOString()}::timestamptz`);
  if (filters.asOf) conditions.push(sql`${o.postedAt} < ${filters.asOf.toISOString()}::timestamptz`);
  if (filters.deadlineFrom)
    conditions.push(sql`${o.responseDeadline} >= ${filters.deadlineFrom.toISOString()}::timestamptz`);
  if (filters.deadlineBefore)
    conditions.push(sql`${o.responseDeadline} < ${filters.deadlineBefore.toISOString()}::timestamptz`);
  if (filters.excludeNoticeIds?.length)
    conditions.push(sql`${o.noticeId} <> all(${sql.param(filters.excludeNoticeIds)}::text[])`);
  if (filters.status?.length) {
    conditions.push(noticeStatusIn(filters.status, filters.referenceDate ?? new Date()));
  }
  return and(...conditions);
}
