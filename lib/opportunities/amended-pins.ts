import { sql, type SQL } from "drizzle-orm";
import { db } from "@/db/client";
import { noticeVersions, opportunities } from "@/db/schema";
import { DESCRIPTION_SCAN, type FitInput } from "./fit";

/**
 * Search pages sort by each notice's posted date or relevance. A notice amended in place after a
 * search began can move (a newer posted date, a description that now matches better) and would then
 * be skipped or shown twice. The version that was current when the first page was read is in
 * notice_versions (ingest/notice-changes.ts), so the pages already begun keep sorting each amended
 * notice by that version's key. `maxVersionId` is the newest kept version at the first page:
 * everything superseded later was still current then.
 */
export interface AmendedPins {
  noticeIds: string[];
  postedAt: string[];
  /** Relevance of the pinned version to the search's keywords, as float4 text ("0" without). */
  rank: string[];
  /** Fit score of the pinned version ("best fit" searches; 0 otherwise). */
  fit: number[];
}

const v = noticeVersions;

/** The search vector of a kept version, exactly as the generated column computes it for a row. */
const versionVector = sql`(setweight(to_tsvector('english', coalesce(${v.version}->>'title', '')), 'A') || setweight(to_tsvector('english', coalesce(${v.version}->>'agency_path', '')), 'B') || setweight(to_tsvector('english', left(coalesce(${v.version}->>'description', ''), 100000)), 'C'))`;

/** The newest row id and kept version id, as columns of a first page's own statement (one snapshot). */
export function currentPinsSelection() {
  return {
    pinMaxId: sql<string | null>`(select max(${opportunities.id}) from ${opportunities})::text`,
    pinMaxVersionId: sql<string | null>`(select max(${v.id}) from ${v})::text`,
  };
}

export interface PinsRow {
  pinMaxId: string | null;
  pinMaxVersionId: string | null;
}

/** What a first page pins, read from any of its rows (an empty page pins nothing: it has no next page). */
export function pinsOf(row: Partial<PinsRow> | undefined): { maxId: number; maxVersionId: number } {
  return { maxId: Number(row?.pinMaxId ?? 0), maxVersionId: Number(row?.pinMaxVersionId ?? 0) };
}

const field = (name: string) => sql<string | null>`${v.version}->>${name}`;

/**
 * Each notice amended since `maxVersionId`, with its sort keys as they were then; null when none was.
 * `fitScore` scores the pinned version for a "best fit" search (fitOf, as the first page scored it).
 */
export async function amendedSince(
  maxVersionId: number,
  tsquery: SQL | null,
  fitScore?: (notice: FitInput) => number,
): Promise<AmendedPins | null> {
  const rows = await db()
    .selectDistinctOn([v.noticeId], {
      noticeId: v.noticeId,
      postedAt: sql<string>`${v.version}->>'posted_at'`,
      rank: tsquery ? sql<string>`ts_rank_cd(${versionVector}, ${tsquery})::text` : sql<string>`'0'`,
      title: field("title"),
      description: sql<string | null>`left(${v.version}->>'description', ${sql.raw(String(DESCRIPTION_SCAN))})`,
      type: field("type"),
      naicsCode: field("naics_code"),
      setAsideCode: field("set_aside_code"),
      popState: field("pop_state"),
      solicitationNumber: field("solicitation_number"),
      agency: field("agency_path"),
    })
    .from(v)
    .where(sql`${v.id} > ${maxVersionId}`)
    .orderBy(v.noticeId, v.id);
  if (!rows.length) return null;
  return {
    noticeIds: rows.map((r) => r.noticeId),
    postedAt: rows.map((r) => r.postedAt),
    rank: rows.map((r) => r.rank),
    fit: rows.map((r) =>
      fitScore ? fitScore({ ...r, title: r.title ?? "", description: r.description ?? "", agency: r.agency ?? "" }) : 0,
    ),
  };
}

/** The pinned keys as a relation `pinned(notice_id, posted_at, rank, fit)` to left-join on notice id. */
export function pinnedRelation(pins: AmendedPins): SQL {
  return sql`unnest(${sql.param(pins.noticeIds)}::text[], ${sql.param(pins.postedAt)}::timestamptz[], ${sql.param(pins.rank)}::real[], ${sql.param(pins.fit)}::int[]) as pinned(notice_id, posted_at, rank, fit)`;
}
