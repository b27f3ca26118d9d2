import { and, asc, desc, eq, getTableName, sql, type SQL } from "drizzle-orm";
import { database, db, type DatabaseHandle } from "@/db/client";
import { opportunities, type NoticeContact } from "@/db/schema";
import { AppError } from "@/lib/http";
import { amendedSince, currentPinsSelection, pinnedRelation, pinsOf, type PinsRow } from "./amended-pins";
import { decodeCursor, encodeCursor, filtersFingerprint } from "./cursor";
import { changesOfNotice, type NoticeChange } from "./changes";
import { keywordLexemes, keywordQuery, opportunityWhere, type OpportunityFilters, type SearchSort } from "./filters";
import { DESCRIPTION_SCAN, fitOf, fitScoreSql, type Fit, type FitContext, type FitInput } from "./fit";
import { fitScoring } from "./fit-scoring";
import { HeadlineCache, type Headlines, type KnownHeadlines } from "./headline-cache";
import { toHighlightHtml, markedTerms } from "./highlight";
import { matchingNaicsFilter } from "./naics";
import { opportunityFeed } from "./snapshot";
import { latestVersionSql, noticeStatusSql, type NoticeStatus } from "./status";

/** The public shape (API.md `Opportunity`) plus why it matched. */
export interface OpportunityResult {
  notice_id: string;
  title: string;
  solicitation_number: string | null;
  agency: string;
  type: string | null;
  naics_code: string | null;
  set_aside: string | null;
  set_aside_description: string | null;
  posted_date: string;
  response_deadline: string | null;
  state: string | null;
  url: string | null;
  description_excerpt: string;
  /** At the feed's reference date (now with live data, the snapshot's day without). */
  status: NoticeStatus;
  /** HTML-escaped text with matched words in <mark>…</mark>. */
  highlights: { title: string; excerpt: string };
  matched: { keywords: string[]; naics: string | null; state: string | null; set_aside: string | null };
  /** How well it fits the org's business profile, and why; only where an org with a profile asked. */
  fit?: Fit;
}

const NO_PROFILE = { naicsCodes: [], keywords: [], setAsides: [], states: [] };

const NO_HEADLINES: KnownHeadlines = new Map();

// One per database: row versions are only unique within one (tests switch databases in one process).
const headlineCaches = new WeakMap<DatabaseHandle, HeadlineCache>();
function headlineCacheOf(handle: DatabaseHandle) {
  let cache = headlineCaches.get(handle);
  if (!cache) headlineCaches.set(handle, (cache = new HeadlineCache()));
  return cache;
}

/** The org's marks as a filter: a notice marked not relevant is not a match. */
function withoutMarked(filters: OpportunityFilters, fit: FitContext | undefined): OpportunityFilters {
  if (!fit?.notRelevant.length) return filters;
  return { ...filters, excludeNoticeIds: fit.notRelevant.map((m) => m.noticeId) };
}

// Control characters cannot appear in the stored text, so they mark matches safely; they are
// replaced by <mark> only after the text is HTML-escaped.
const START = "\u0002";
const STOP = "\u0003";
const HEADLINE_TITLE = `StartSel=${START},StopSel=${STOP},HighlightAll=true`;
const HEADLINE_EXCERPT = `StartSel=${START},StopSel=${STOP},MaxFragments=2,MaxWords=28,MinWords=12,FragmentDelimiter= … `;

const o = opportunities;

/**
 * The excerpt of a result found by `keywords`: the passage where one of their words first appears
 * (with the next, for context), highlighted; the stored excerpt when only the title matched.
 * Only that passage is parsed (see migration 0038), not the whole description.
 */
function excerptHeadline(keywords: string, tsquery: SQL) {
  return sql<string>`coalesce((select ts_headline('english', p.text || coalesce(' ' || ${o.descriptionPassages}[p.n + 1], ''), ${tsquery}, ${HEADLINE_EXCERPT})
    from unnest(${o.descriptionPassages}, ${o.passageVectors}) with ordinality as p(text, lexemes, n)
    where tsvector_to_array(p.lexemes) && ${keywordLexemes(keywords)} order by p.n limit 1), ${o.descriptionExcerpt})`;
}

/** A row's version, `id@xmin`: any change to the row makes a new one (headline-cache.ts). */
const rowVersion = sql<string>`${o.id}::text || '@' || ${sql.identifier(getTableName(o))}.xmin::text`;

/** What a selection adds beyond a result's columns. */
interface SelectionOptions {
  /** The description's start, for the fit of an org's profile. */
  withFit?: boolean;
  /** The key a page is ordered by, for the next cursor. */
  sortKey?: SQL | null;
  /** Row versions whose headlines this search already has: not highlighted again (null). */
  known?: KnownHeadlines;
}

/**
 * The columns a result is built from; `keywords` (the search's words) add its rank, highlights
 * and the row's version.
 */
function selection(
  keywords: string | undefined,
  referenceDate: Date,
  { withFit = false, sortKey = null, known = NO_HEADLINES }: SelectionOptions = {},
) {
  const tsquery = keywordQuery(keywords);
  // Only ids and digits: a safe array literal.
  const knownVersions = `{${[...known.keys()].join(",")}}`;
  const unlessKnown = (headline: SQL<string>) =>
    known.size === 0
      ? sql<string | null>`${headline}`
      : sql<string | null>`case when ${rowVersion} = any(${knownVersions}::text[]) then null else ${headline} end`;
  return {
    // The key a page is ordered by, as text ("" when there is none): the next cursor starts after it.
    sortKey: sortKey ? sql<string>`(${sortKey})::text` : sql<string>`''`,
    fitText: withFit ? sql<string>`left(${o.description}, ${sql.raw(String(DESCRIPTION_SCAN))})` : sql<string>`''`,
    status: noticeStatusSql(referenceDate),
    id: o.id,
    noticeId: o.noticeId,
    title: o.title,
    solicitationNumber: o.solicitationNumber,
    agencyPath: o.agencyPath,
    type: o.type,
    naicsCode: o.naicsCode,
    setAsideCode: o.setAsideCode,
    setAsideDescription: o.setAsideDescription,
    postedAt: o.postedAt,
    responseDeadline: o.responseDeadline,
    popState: o.popState,
    uiLink: o.uiLink,
    descriptionExcerpt: o.descriptionExcerpt,
    rank: tsquery ? sql<string>`ts_rank_cd(${o.searchVector}, ${tsquery})::text` : sql<string>`'0'`,
    version: tsquery ? rowVersion : sql<string>`''`,
    titleHeadline: tsquery
      ? unlessKnown(sql<string>`ts_headline('english', ${o.title}, ${tsquery}, ${HEADLINE_TITLE})`)
      : sql<string | null>`${o.title}`,
    excerptHeadline: tsquery
      ? unlessKnown(excerptHeadline(keywords!, tsquery))
      : sql<string | null>`${o.descriptionExcerpt}`,
  };
}

function selectOpportunities(keywords: string | undefined, referenceDate: Date, options: SelectionOptions = {}) {
  return db()
    .select(selection(keywords, referenceDate, options))
    .from(o)
    .$dynamic();
}

/**
 * A first page with what it pins read by the same statement (one snapshot, one round trip):
 * the newest row and kept version, which its cursor carries to the later pages.
 */
function selectFirstPage(keywords: string | undefined, referenceDate: Date, options: SelectionOptions) {
  return db()
    .select({ ...selection(keywords, referenceDate, options), ...currentPinsSelection() })
    .from(o)
    .$dynamic();
}

/** The filters with the reference date status is judged at filled in. */
function withReferenceDate(filters: OpportunityFilters): OpportunityFilters & { referenceDate: Date } {
  return { ...filters, referenceDate: filters.referenceDate ?? opportunityFeed().referenceDate };
}

type Row = Awaited<ReturnType<typeof selectOpportunities>>[number];

/**
 * The headlines of a search's rows: those the statement computed (then kept for the next time)
 * and those it was told were known.
 */
function headlinesOf(
  cache: HeadlineCache,
  words: string,
  rows: readonly Row[],
  known: KnownHeadlines,
): Map<string, Headlines> {
  const fresh = new Map<string, Headlines>();
  const all = new Map<string, Headlines>();
  for (const row of rows) {
    const computed =
      row.titleHeadline === null ? null : { title: row.titleHeadline, excerpt: row.excerptHeadline ?? "" };
    if (computed) fresh.set(row.version, computed);
    const headlines = computed ?? known.get(row.version);
    if (headlines) all.set(row.version, headlines);
  }
  cache.remember(words, fresh);
  return all;
}

function toResult(row: Row, filters: OpportunityFilters, fit?: FitContext, headlines?: Headlines): OpportunityResult {
  const titleHeadline = headlines?.title ?? row.titleHeadline ?? row.title;
  const excerpt = headlines?.excerpt ?? row.excerptHeadline ?? row.descriptionExcerpt;
  const keywords = markedTerms(`${titleHeadline} ${excerpt}`, START, STOP);
  const fitted = fit?.profile
    ? {
        fit: fitOf(
          {
            title: row.title,
            description: row.fitText,
            type: row.type,
            naicsCode: row.naicsCode,
            setAsideCode: row.setAsideCode,
            popState: row.popState,
            solicitationNumber: row.solicitationNumber,
            agency: row.agencyPath,
          },
          fit.profile,
          fit.notRelevant,
        ),
      }
    : {};
  return {
    notice_id: row.noticeId,
    title: row.title,
    solicitation_number: row.solicitationNumber,
    agency: row.agencyPath,
    type: row.type,
    naics_code: row.naicsCode,
    set_aside: row.setAsideCode,
    set_aside_description: row.setAsideDescription,
    posted_date: row.postedAt.toISOString(),
    response_deadline: row.responseDeadline?.toISOString() ?? null,
    state: row.popState,
    url: row.uiLink,
    description_excerpt: row.descriptionExcerpt,
    status: row.status,
    highlights: {
      title: toHighlightHtml(titleHeadline, START, STOP),
      excerpt: toHighlightHtml(excerpt, START, STOP),
    },
    matched: {
      keywords,
      naics: matchingNaicsFilter(row.naicsCode, filters.naics ?? []),
      state: row.popState && filters.states?.includes(row.popState) ? row.popState : null,
      set_aside: row.setAsideCode && filters.setAsides?.includes(row.setAsideCode) ? row.setAsideCode : null,
    },
    ...fitted,
  };
}

/**
 * Ranked full-text search with keyset pagination: `relevance` (by keyword relevance with keywords,
 * newest first without), `newest`, or `fit` (the org's fit score, highest first; needs `fit` with
 * a profile). Pages never repeat or skip rows, even while new opportunities are inserted, notices
 * are amended or (by fit) teammates mark notices not relevant. A solicitation posted several
 * times appears once, as its latest version. With an org's `fit`, its not-relevant notices are
 * left out and each result says how well it fits.
 */
export async function searchOpportunities(
  query: OpportunityFilters,
  page: { limit?: number; cursor?: string; sort?: SearchSort } = {},
  fit?: FitContext,
) {
  const sort = page.sort ?? "relevance";
  const filters = withReferenceDate(withoutMarked(query, fit));
  const limit = Math.min(Math.max(page.limit ?? 20, 1), 100);
  const tsquery = keywordQuery(filters.q);
  const cursor = page.cursor ? decodeCursor(page.cursor, filters, sort) : null;
  const scoring = sort === "fit" ? fitScoring(fit, cursor?.fit ?? null) : null;
  // A later page is pinned by its cursor; a first page reads its pins with its rows.
  const pinned = cursor ? { maxId: cursor.maxId, maxVersionId: cursor.maxVersionId } : null;
  // Later pages sort each notice amended since the first by the keys it had then.
  const fitScore = scoring ? (n: FitInput) => fitOf(n, scoring.profile, scoring.marks).score : undefined;
  const pins =
    pinned && pinned.maxVersionId !== null ? await amendedSince(pinned.maxVersionId, tsquery, fitScore) : null;
  const ranked = tsquery !== null && sort === "relevance";
  const liveRank = tsquery ? sql`ts_rank_cd(${o.searchVector}, ${tsquery})` : null;
  const rankExpr = liveRank && pins ? sql`coalesce(pinned.rank, ${liveRank})` : liveRank;
  const postedExpr = pins ? sql`coalesce(pinned.posted_at, ${o.postedAt})` : sql`${o.postedAt}`;
  const liveFit = scoring ? fitScoreSql(scoring.profile, scoring.marks) : null;
  const fitExpr = liveFit && pins ? sql`coalesce(pinned.fit, ${liveFit})` : liveFit;
  // One sort key then the row id, both descending: by fit, by relevance, or by posted date.
  const keyExpr = fitExpr ?? (ranked ? rankExpr! : postedExpr);
  // Dates leave as UTC text to the microsecond, so the next page starts exactly after the last row.
  const keyText =
    fitExpr || ranked ? keyExpr : sql`to_char(${postedExpr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

  let keyset: SQL | undefined;
  if (cursor) {
    const [key, id] = cursor.after;
    const typedKey = fitExpr
      ? sql`${Number(key)}::int`
      : ranked
        ? sql`${Number(key)}::real`
        : sql`${String(key)}::timestamptz`;
    keyset = sql`(${keyExpr}, ${o.id}) < (${typedKey}, ${id}::bigint)`;
  }
  // Highlighting is most of a full-text search's cost: rows this search has shown before are not highlighted again.
  const words = tsquery ? filters.q! : null;
  const headlineCache = headlineCacheOf(database());
  const known = words ? headlineCache.known(words) : NO_HEADLINES;
  let select = pinned
    ? selectOpportunities(filters.q, filters.referenceDate, { withFit: fit !== undefined, sortKey: keyText, known })
    : selectFirstPage(filters.q, filters.referenceDate, { withFit: fit !== undefined, sortKey: keyText, known });
  if (pins) select = select.leftJoin(pinnedRelation(pins), sql`pinned.notice_id = ${o.noticeId}`);
  // Within one statement every row is at most the newest: only a later page needs the pin.
  const rows = (await select
    .where(
      and(
        opportunityWhere(filters),
        pinned ? sql`${o.id} <= ${pinned.maxId}` : undefined,
        latestVersionSql(pinned?.maxId),
        keyset,
      ),
    )
    .orderBy(sql`${keyExpr} desc`, sql`${o.id} desc`)
    .limit(limit + 1)) as (Row & Partial<PinsRow>)[];
  const { maxId, maxVersionId } = pinned ?? pinsOf(rows[0]);

  const hasMore = rows.length > limit;
  const pageRows = rows.slice(0, limit);
  const last = pageRows.at(-1);
  const lastKey = !last ? null : fitExpr || ranked ? Number(last.sortKey) : last.sortKey;
  const nextCursor =
    hasMore && last
      ? encodeCursor({
          maxId,
          maxVersionId,
          after: [lastKey!, Number(last.id)],
          filters: filtersFingerprint(filters, sort),
          fit: scoring?.pin ?? null,
        })
      : null;
  const headlines = words ? headlinesOf(headlineCache, words, rows, known) : null;
  return { data: pageRows.map((row) => toResult(row, filters, fit, headlines?.get(row.version))), nextCursor };
}

/** The notices passing `filters` whose responses are due soonest (no deadline = not listed), soonest first. */
export async function soonestDeadlines(query: OpportunityFilters, limit: number) {
  const filters = withReferenceDate(query);
  const rows = await selectOpportunities(undefined, filters.referenceDate)
    .where(and(opportunityWhere(filters), latestVersionSql(), sql`${o.responseDeadline} is not null`))
    .orderBy(asc(o.responseDeadline), asc(o.id))
    .limit(Math.min(Math.max(limit, 1), 100));
  return rows.map((row) => toResult(row, filters));
}

/** One posting of a solicitation, for the detail page's history. */
export interface OpportunityVersion {
  notice_id: string;
  title: string;
  type: string | null;
  posted_date: string;
  latest: boolean;
}

export type OpportunityDetail = OpportunityResult & {
  description: string;
  /** Department, sub-tier, … office, as SAM.gov names them. */
  agency_levels: string[];
  place: { city: string | null; state: string | null; country: string | null };
  archive_date: string | null;
  additional_info_link: string | null;
  contacts: NoticeContact[];
  /** Attachment download links. */
  resource_links: string[];
  award: { number: string | null; date: string | null; amount_cents: number | null; awardee: string | null } | null;
  raw: unknown;
  versions: OpportunityVersion[];
  /** Material changes of this notice and its solicitation, newest first. */
  changes: NoticeChange[];
};

/** What to explain a notice against (a business profile): `matched` then says which parts it meets. */
export interface ExplainAgainst {
  naics?: string[];
  q?: string;
  states?: string[];
  setAsides?: string[];
}

/**
 * One opportunity by its SAM.gov notice id (any version), with every posting of its solicitation, or 404.
 * With `explain`, `matched` says which of those NAICS codes, keywords, states and set-asides it meets;
 * with an org's `fit` (and a profile), `fit` says how well it fits, in the words its search card uses.
 */
export async function getOpportunity(
  noticeId: string,
  referenceDate = opportunityFeed().referenceDate,
  explain: ExplainAgainst = {},
  fit?: FitContext,
): Promise<OpportunityDetail> {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(noticeId)) throw new AppError("not_found", "No opportunity with that notice id.");
  const rows = await db()
    .select({
      ...selection(explain.q, referenceDate, { withFit: fit !== undefined }),
      description: o.description,
      agencyLevels: o.agencyLevels,
      popCity: o.popCity,
      popCountry: o.popCountry,
      archiveDate: o.archiveDate,
      additionalInfoLink: o.additionalInfoLink,
      contacts: o.contacts,
      resourceLinks: o.resourceLinks,
      award: o.award,
      raw: o.raw,
    })
    .from(o)
    .where(eq(o.noticeId, noticeId))
    .limit(1);
  const row = rows[0];
  if (!row) throw new AppError("not_found", "No opportunity with that notice id.");
  const { award } = row;
  return {
    ...toResult(row, { naics: explain.naics, states: explain.states, setAsides: explain.setAsides }, fit),
    description: row.description,
    agency_levels: row.agencyLevels,
    place: { city: row.popCity, state: row.popState, country: row.popCountry },
    archive_date: row.archiveDate,
    additional_info_link: row.additionalInfoLink,
    contacts: row.contacts,
    resource_links: row.resourceLinks,
    award: award
      ? { number: award.number, date: award.date, amount_cents: award.amountCents, awardee: award.awardee }
      : null,
    raw: row.raw,
    versions: await versionsOf(row.solicitationNumber),
    changes: await changesOfNotice(row.noticeId, row.solicitationNumber),
  };
}

async function versionsOf(solicitationNumber: string | null): Promise<OpportunityVersion[]> {
  if (solicitationNumber === null) return [];
  const rows = await db()
    .select({ noticeId: o.noticeId, title: o.title, type: o.type, postedAt: o.postedAt })
    .from(o)
    .where(eq(o.solicitationNumber, solicitationNumber))
    .orderBy(desc(o.postedAt), desc(o.id))
    .limit(50);
  if (rows.length < 2) return [];
  return rows.map((r, i) => ({
    notice_id: r.noticeId,
    title: r.title,
    type: r.type,
    posted_date: r.postedAt.toISOString(),
    latest: i === 0,
  }));
}

/** Count of matches, one per solicitation (onboarding shows "N opportunities match"). */
export async function countOpportunities(query: OpportunityFilters): Promise<number> {
  const filters = withReferenceDate(query);
  const [row] = await db()
    .select({ n: sql<string>`count(*)::text` })
    .from(o)
    .where(and(opportunityWhere(filters), latestVersionSql()));
  return Number(row?.n ?? 0);
}

/** What makes a notice fit better without being required. */
export interface OpportunityPreferences {
  q?: string;
  states?: string[];
  setAsides?: string[];
}

/**
 * The notices passing `filters`, best fit first. With an org's `fit`: by fit score (fit.ts; the
 * org's not-relevant notices left out), then keyword relevance, then newest, each result with
 * its score and reasons. Without: by how many preferences each meets (keyword, place,
 * set-aside). Each result's `matched` says which preferences it meets.
 */
export async function rankOpportunities(
  query: OpportunityFilters,
  prefer: OpportunityPreferences,
  limit = 10,
  fit?: FitContext,
) {
  const filters = withReferenceDate(withoutMarked(query, fit));
  const tsquery = keywordQuery(prefer.q);
  const keywordHit = tsquery ? sql`(${o.searchVector} @@ ${tsquery})::int` : sql`0`;
  const stateHit = prefer.states?.length
    ? sql`coalesce(${o.popState} = any(${sql.param(prefer.states)}::text[]), false)::int`
    : sql`0`;
  const setAsideHit = prefer.setAsides?.length
    ? sql`coalesce(${o.setAsideCode} = any(${sql.param(prefer.setAsides)}::text[]), false)::int`
    : sql`0`;
  const where = and(opportunityWhere(filters), latestVersionSql());
  const rows = await selectOpportunities(prefer.q, filters.referenceDate, { withFit: fit !== undefined })
    .where(where)
    .orderBy(
      fit
        ? sql`${fitScoreSql(fit.profile ?? NO_PROFILE, fit.notRelevant)} desc`
        : sql`${keywordHit} + ${stateHit} + ${setAsideHit} desc`,
      ...(tsquery ? [sql`ts_rank_cd(${o.searchVector}, ${tsquery}) desc`] : []),
      desc(o.postedAt),
      asc(o.id),
    )
    .limit(Math.min(Math.max(limit, 1), 100));
  const explained = { ...filters, states: prefer.states, setAsides: prefer.setAsides };
  return { data: rows.map((row) => toResult(row, explained, fit)), total: await countOpportunities(filters) };
}
