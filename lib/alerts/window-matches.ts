import { and, getTableName, sql, type SQL } from "drizzle-orm";
import { db } from "@/db/client";
import { opportunities } from "@/db/schema";
import {
  DESCRIPTION_SCAN,
  fitScoreSql,
  keywordQuery,
  opportunityWhere,
  type FitContext,
  type FitProfile,
  type OpportunityFilters,
  wordsSql,
} from "@/lib/opportunities";
import type { AlertRow } from "./alerts";
import { MAX_DIGEST_LIMIT } from "./rules";

/** The most opportunities one digest can list (each alert lists its `digest_limit`); the digest still records the true count. */
export const DIGEST_CAP = MAX_DIGEST_LIMIT;

/** Where an alert's next window starts. */
export function windowStartOf(alert: AlertRow): Date {
  return alert.lastWindowEnd ?? alert.createdAt;
}

export interface WindowMatch {
  total: number;
  /** Ranked, at most the alert's digest limit. */
  noticeIds: string[];
}

/**
 * What an alert's matches are scored against: the org's business profile, with the alert's own
 * preferred places and set-asides added; an org without a profile is scored on the alert's NAICS
 * codes and preferences alone.
 */
export function alertFitProfile(alert: AlertRow, profile: FitProfile | null): FitProfile {
  const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];
  return {
    naicsCodes: profile?.naicsCodes ?? alert.naics,
    keywords: profile?.keywords ?? [],
    setAsides: union(profile?.setAsides ?? [], alert.preferSetAsides),
    states: union(profile?.states ?? [], alert.preferStates),
  };
}

/**
 * Best fit first, as the matches page ranks them: by fit score (lib/opportunities fit.ts, with
 * the org's not-relevant marks), then whether it meets the alert's preferred keywords, then
 * keyword relevance.
 */
function fitOrder(alert: AlertRow, fit: FitContext, filterQuery: SQL | null): SQL[] {
  const o = opportunities;
  const preferQuery = keywordQuery(alert.preferQ ?? undefined);
  const relevance = filterQuery ?? preferQuery;
  return [
    sql`${fitScoreSql(alertFitProfile(alert, fit.profile), fit.notRelevant, WINDOW_WORDS)} desc`,
    ...(preferQuery ? [sql`(${o.searchVector} @@ ${preferQuery}) desc`] : []),
    ...(relevance ? [sql`ts_rank_cd(${o.searchVector}, ${relevance}) desc`] : []),
  ];
}

// The window's notices as keyword text, computed once per notice in digest_window for every alert.
const WINDOW_WORDS = { title: sql`fit_title`, description: sql`fit_description` };

function filtersOf(alert: AlertRow, fit: FitContext): OpportunityFilters {
  return {
    q: alert.q ?? undefined,
    naics: alert.naics,
    states: alert.states,
    setAsides: alert.setAsides,
    excludeNoticeIds: fit.notRelevant.map((m) => m.noticeId),
  };
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
  fits: Map<string, FitContext>,
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
    const fit = fits.get(alert.orgId) ?? { profile: null, notRelevant: [] };
    const filters = filtersOf(alert, fit);
    const limit = Math.min(Math.max(alert.digestLimit, 1), DIGEST_CAP);
    const order = sql.join(
      [...fitOrder(alert, fit, keywordQuery(filters.q)), sql`${o.postedAt} desc, ${o.id} desc`],
      sql`, `,
    );
    const where = and(
      sql`${o.createdAt} > ${windowStartOf(alert).toISOString()}::timestamptz`,
      opportunityWhere(filters),
    );
    return sql`(select ${alert.id}::uuid as alert_id, count(*)::int as total, (array_agg(${o.noticeId} order by ${order}))[1:${sql.raw(String(limit))}] as notice_ids from digest_window as ${alias} where ${where})`;
  });
  const query = sql`with digest_window as materialized (
      select ${o.id}, ${o.noticeId}, ${o.createdAt}, ${o.postedAt}, ${o.responseDeadline}, ${o.naicsCode}, ${o.popState}, ${o.setAsideCode}, ${o.searchVector},
        ${o.type}, ${o.solicitationNumber}, ${o.agencyPath},
        ${wordsSql(sql`${o.title}`)} as fit_title,
        ${wordsSql(sql`left(${o.description}, ${sql.raw(String(DESCRIPTION_SCAN))})`)} as fit_description
      from ${o} where ${scope}
    )
    ${sql.join(branches, sql` union all `)}`;
  const result = await db().execute<{ alert_id: string; total: number | string; notice_ids: string[] | null }>(query);
  return new Map(result.rows.map((r) => [r.alert_id, { total: Number(r.total), noticeIds: r.notice_ids ?? [] }]));
}
