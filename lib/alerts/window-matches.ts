import { and, getTableName, sql, type SQL } from "drizzle-orm";
import { db } from "@/db/client";
import { opportunities } from "@/db/schema";
import { keywordQuery, opportunityWhere, type OpportunityFilters } from "@/lib/opportunities";
import type { AlertRow } from "./alerts";

/** Opportunities listed in one digest; the digest still records the true count. */
export const DIGEST_CAP = 50;

/** Where an alert's next window starts. */
export function windowStartOf(alert: AlertRow): Date {
  return alert.lastWindowEnd ?? alert.createdAt;
}

export interface WindowMatch {
  total: number;
  /** Ranked, at most DIGEST_CAP. */
  noticeIds: string[];
}

/**
 * Best fit first, as the matches page ranks them: by how many of the alert's preferences a notice
 * meets (a keyword, a place, a set-aside), then keyword relevance.
 */
function fitOrder(alert: AlertRow, filterQuery: SQL | null): SQL[] {
  const o = opportunities;
  const preferQuery = keywordQuery(alert.preferQ ?? undefined);
  const hits = [
    preferQuery ? sql`(${o.searchVector} @@ ${preferQuery})::int` : null,
    alert.preferStates.length
      ? sql`coalesce(${o.popState} = any(${sql.param(alert.preferStates)}::text[]), false)::int`
      : null,
    alert.preferSetAsides.length
      ? sql`coalesce(${o.setAsideCode} = any(${sql.param(alert.preferSetAsides)}::text[]), false)::int`
      : null,
  ].filter((hit): hit is SQL => hit !== null);
  const relevance = filterQuery ?? preferQuery;
  return [
    ...(hits.length ? [sql`${sql.join(hits, sql` + `)} desc`] : []),
    ...(relevance ? [sql`ts_rank_cd(${o.searchVector}, ${relevance}) desc`] : []),
  ];
}

function filtersOf(alert: AlertRow): OpportunityFilters {
  return { q: alert.q ?? undefined, naics: alert.naics, states: alert.states, setAsides: alert.setAsides };
}

/**
 * Matches many alerts against the opportunities that are new in their windows, in one statement.
 *
 * The new opportunities are read once, through the `created_at` index, into a materialised CTE;
 * each alert is then a small aggregate over that set, so the work grows with the number of new
 * opportunities, never with the whole table. The CTE is aliased `opportunities` so each alert's
 * condition is exactly `opportunityWhere` — the SQL the search uses — and the two cannot disagree.
 * (The keyword tsquery is folded to a constant by the planner: websearch_to_tsquery with an
 * explicit configuration is immutable.)
 */
export async function matchWindows(
  batch: AlertRow[],
  windowEnd: Date,
  noticeIds?: string[],
): Promise<Map<string, WindowMatch>> {
  const o = opportunities;
  const end = windowEnd.toISOString();
  const earliest = new Date(Math.min(...batch.map((a) => windowStartOf(a).getTime()))).toISOString();
  const scope = and(
    sql`${o.createdAt} > ${earliest}::timestamptz`,
    sql`${o.createdAt} <= ${end}::timestamptz`,
    sql`${o.postedAt} <= ${end}::timestamptz`,
    noticeIds ? sql`${o.noticeId} = any(${sql.param(noticeIds)}::text[])` : undefined,
  );
  const alias = sql.identifier(getTableName(o));
  const branches = batch.map((alert) => {
    const filters = filtersOf(alert);
    const order = sql.join(
      [...fitOrder(alert, keywordQuery(filters.q)), sql`${o.postedAt} desc, ${o.id} desc`],
      sql`, `,
    );
    const where = and(
      sql`${o.createdAt} > ${windowStartOf(alert).toISOString()}::timestamptz`,
      opportunityWhere(filters),
    );
    return sql`(select ${alert.id}::uuid as alert_id, count(*)::int as total, (array_agg(${o.noticeId} order by ${order}))[1:${sql.raw(String(DIGEST_CAP))}] as notice_ids from digest_window as ${alias} where ${where})`;
  });
  const query = sql`with digest_window as materialized (
      select ${o.id}, ${o.noticeId}, ${o.createdAt}, ${o.postedAt}, ${o.responseDeadline}, ${o.naicsCode}, ${o.popState}, ${o.setAsideCode}, ${o.searchVector}
      from ${o} where ${scope}
    )
    ${sql.join(branches, sql` union all `)}`;
  const result = await db().execute<{ alert_id: string; total: number | string; notice_ids: string[] | null }>(query);
  return new Map(result.rows.map((r) => [r.alert_id, { total: Number(r.total), noticeIds: r.notice_ids ?? [] }]));
}
