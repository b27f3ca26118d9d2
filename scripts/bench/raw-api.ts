/**
 * The baseline for `npm run bench -- api`: the least a server can do to answer a metered
 * `GET /api/v1/opportunities?q=…&limit=…` — plain `node:http` and `pg`, no framework, no
 * row-level security, no rate limiter, no Idempotency-Key, no second write for the outcome.
 * Per request, the same SQL Beacon sends for the same work:
 *   1. the API key by its SHA-256 hash;
 *   2. one transaction: the conditional quota UPDATE (402 when it matches nothing) and the
 *      usage_events INSERT;
 *   3. the cursor snapshot (max id, newest kept notice version) and the ranked search with the same filters, headlines
 *      (the excerpt from the passage of the first match, migration 0038),
 *      notice status (at REFERENCE_DATE, as Beacon's feed judges it; open ones, the API's
 *      default) and latest-version rule.
 * The body is built with Beacon's own highlight helpers so both servers answer byte-equal data.
 *
 * Served by baseline-server.ts (BASELINE=raw); tested against Beacon's route in baselines.test.ts.
 */
import { createHash, randomBytes } from "node:crypto";
import type http from "node:http";
import type { BaselineOptions } from "./baseline-server";
import { markedTerms, toHighlightHtml } from "../../lib/opportunities/highlight";
import { samCalendarDate } from "../../lib/opportunities/ingest/sam-dates";

const ENDPOINT = "GET /api/v1/opportunities";
const KEY_PATTERN = /^bk_(live|test)_[A-Za-z0-9_-]{32}$/;
const START = "\u0002";
const STOP = "\u0003";
const HEADLINE_TITLE = `StartSel=${START},StopSel=${STOP},HighlightAll=true`;
const HEADLINE_EXCERPT = `StartSel=${START},StopSel=${STOP},MaxFragments=2,MaxWords=28,MinWords=12,FragmentDelimiter= … `;

// Beacon's notice status (lib/opportunities/status.ts) at $6 (instant) and $7 (SAM.gov calendar date).
const STATUS_SQL = `(case
    when "type" in ('Award Notice', 'Justification') then 'awarded'
    when "title" ~* '^\\W*cancell?ed\\M' then 'cancelled'
    when not "active" then 'closed'
    when "response_deadline" < $6::timestamptz then 'closed'
    when "response_deadline" is null and "archive_date" < $7::date then 'closed'
    else 'open' end)`;

const SEARCH_SQL = `select "id", "notice_id", "title", "solicitation_number", "agency_path", "type", "naics_code", "set_aside_code",
  "set_aside_description", "posted_at", "response_deadline", "pop_state", "ui_link", "description_excerpt",
  ts_rank_cd("search_vector", websearch_to_tsquery('english', $1))::text as rank,
  ts_headline('english', "title", websearch_to_tsquery('english', $1), $2) as title_headline,
  coalesce((select ts_headline('english', p.text || coalesce(' ' || o."description_passages"[p.n + 1], ''), websearch_to_tsquery('english', $1), $3)
    from unnest(o."description_passages", o."passage_vectors") with ordinality as p(text, lexemes, n)
    where tsvector_to_array(p.lexemes) && tsvector_to_array(to_tsvector('english', $1)) order by p.n limit 1), o."description_excerpt") as excerpt_headline,
  ${STATUS_SQL} as status
from "opportunities" o
where ("search_vector" @@ websearch_to_tsquery('english', $1) and "id" <= $4 and ${STATUS_SQL} = 'open'
  and (o."solicitation_number" is null or not exists (select 1 from "opportunities" n
    where n."solicitation_number" = o."solicitation_number" and (n."posted_at", n."id") > (o."posted_at", o."id") and n."id" <= $4)))
order by ts_rank_cd("search_vector", websearch_to_tsquery('english', $1)) desc, "id" desc
limit $5`;

interface OpportunityRow {
  id: string;
  notice_id: string;
  title: string;
  solicitation_number: string | null;
  agency_path: string;
  type: string | null;
  naics_code: string | null;
  set_aside_code: string | null;
  set_aside_description: string | null;
  posted_at: Date;
  response_deadline: Date | null;
  pop_state: string | null;
  ui_link: string | null;
  description_excerpt: string;
  rank: string;
  title_headline: string;
  excerpt_headline: string;
  status: string;
}

/** The raw server's request handler over `pool`, judging notice status at `referenceDate`. */
export function rawApi({ pool, referenceDate: REFERENCE_DATE, live }: BaselineOptions) {
  const FEED = { live, reference_date: REFERENCE_DATE.toISOString() };
  function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    const type = status >= 400 ? "application/problem+json" : "application/json";
    res.writeHead(status, { "content-type": type, "cache-control": "no-store", ...headers });
    res.end(JSON.stringify(body));
  }

  function problem(res: http.ServerResponse, status: number, code: string, headers: Record<string, string> = {}) {
    send(res, status, { type: `https://beacon.dev/problems/${code}`, status, code }, headers);
  }

  async function charge(orgId: string, keyId: string, requestId: string) {
    const client = await pool.connect();
    try {
      await client.query("begin");
      const now = new Date();
      const updated = await client.query<{ quota_remaining: number }>(
        `update "usage_quotas" set "quota_remaining" = "usage_quotas"."quota_remaining" - 1, "updated_at" = $1
       where ("usage_quotas"."org_id" = $2 and "usage_quotas"."quota_remaining" > $3 and "usage_quotas"."period_end" > $4)
       returning "quota_remaining", "period_end"`,
        [now, orgId, 0, now],
      );
      const row = updated.rows[0];
      if (!row) {
        await client.query("rollback");
        return null;
      }
      await client.query(
        `insert into "usage_events" ("id", "org_id", "api_key_id", "endpoint", "request_id", "quota_before", "quota_after", "status", "duration_ms", "created_at")
       values (default, $1, $2, $3, $4, $5, $6, default, default, $7) returning "id"`,
        [orgId, keyId, ENDPOINT, requestId, row.quota_remaining + 1, row.quota_remaining, now],
      );
      await client.query("commit");
      return row.quota_remaining;
    } catch (error) {
      await client.query("rollback").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async function search(q: string, limit: number) {
    const max = await pool.query<{ max: string | null; max_version: string | null }>(
      `select (select max("id") from "opportunities")::text as max, (select max("id") from "notice_versions")::text as max_version`,
    );
    const maxId = Number(max.rows[0]?.max ?? 0);
    const maxVersionId = Number(max.rows[0]?.max_version ?? 0);
    const { rows } = await pool.query<OpportunityRow>(SEARCH_SQL, [
      q,
      HEADLINE_TITLE,
      HEADLINE_EXCERPT,
      maxId,
      limit + 1,
      REFERENCE_DATE.toISOString(),
      samCalendarDate(REFERENCE_DATE),
    ]);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const fingerprint = createHash("sha256")
      .update(JSON.stringify({ q, status: ["open"] }))
      .digest("base64url")
      .slice(0, 16);
    const nextCursor =
      rows.length > limit && last
        ? Buffer.from(
            JSON.stringify([2, maxId, maxVersionId, [Number(last.rank), Number(last.id)], fingerprint]),
          ).toString("base64url")
        : null;
    const data = page.map((row) => ({
      notice_id: row.notice_id,
      title: row.title,
      solicitation_number: row.solicitation_number,
      agency: row.agency_path,
      type: row.type,
      naics_code: row.naics_code,
      set_aside: row.set_aside_code,
      set_aside_description: row.set_aside_description,
      posted_date: row.posted_at.toISOString(),
      response_deadline: row.response_deadline?.toISOString() ?? null,
      state: row.pop_state,
      url: row.ui_link,
      description_excerpt: row.description_excerpt,
      status: row.status,
      highlights: {
        title: toHighlightHtml(row.title_headline, START, STOP),
        excerpt: toHighlightHtml(row.excerpt_headline, START, STOP),
      },
      matched: {
        keywords: markedTerms(`${row.title_headline} ${row.excerpt_headline}`, START, STOP),
        naics: null,
        state: null,
        set_aside: null,
      },
    }));
    return { data, feed: FEED, next_cursor: nextCursor };
  }

  return async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? "/", "http://raw.local");
    if (req.method !== "GET" || url.pathname !== "/api/v1/opportunities") return problem(res, 404, "not_found");
    const q = url.searchParams.get("q")?.trim() ?? "";
    const limit = Number(url.searchParams.get("limit") ?? 20);
    // Only what the bench sends: anything else would not be the same work as Beacon's.
    if (
      !q ||
      !Number.isInteger(limit) ||
      limit < 1 ||
      limit > 100 ||
      [...url.searchParams.keys()].some((k) => k !== "q" && k !== "limit")
    ) {
      return problem(res, 422, "validation_failed");
    }
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
    const presented = match?.[1];
    if (!presented || !KEY_PATTERN.test(presented)) return problem(res, 401, "unauthorized");
    const keys = await pool.query<{ id: string; org_id: string }>(
      `select "id", "org_id" from "api_keys" where ("api_keys"."key_hash" = $1 and "api_keys"."revoked_at" is null) limit $2`,
      [createHash("sha256").update(presented).digest("hex"), 1],
    );
    const key = keys.rows[0];
    if (!key) return problem(res, 401, "unauthorized");
    const requestId = `req_${randomBytes(12).toString("hex")}`;
    const remaining = await charge(key.org_id, key.id, requestId);
    if (remaining === null) return problem(res, 402, "quota_exhausted", { "x-quota-remaining": "0" });
    send(res, 200, await search(q, limit), { "x-quota-remaining": String(remaining), "x-request-id": requestId });
  };
}
