/**
 * The physical-limit baseline for `npm run bench -- api`: the minimum any server must do to
 * answer a correct metered `GET /api/v1/opportunities?[q=…&]limit=…`, in the fewest round trips,
 * with no framework, no logging and no metrics. Unlike raw-api.ts it does not repeat
 * Beacon's SQL, so Beacon's ratio against it cannot improve by making the baseline slower.
 * Per request:
 *   1. one statement: the API key by its SHA-256 hash, the conditional quota decrement and the
 *      usage row (atomic, as one statement is one transaction);
 *   2. one statement: the search (full-text match ranked by relevance, else newest first), open
 *      notices only (the API's default) and the latest version of each solicitation, `limit` rows.
 * The body carries the same notices in the same order as Beacon's, nothing more.
 *
 * Served by baseline-server.ts (BASELINE=bare); tested against Beacon's route in baselines.test.ts.
 */
import { createHash, randomBytes } from "node:crypto";
import type http from "node:http";
import { samCalendarDate } from "../../lib/opportunities/ingest/sam-dates";
import type { BaselineOptions } from "./baseline-server";

const ENDPOINT = "GET /api/v1/opportunities";

const CHARGE_SQL = `with key as (
  select id, org_id from api_keys where key_hash = $1 and revoked_at is null limit 1
), charged as (
  update usage_quotas q set quota_remaining = q.quota_remaining - 1, updated_at = now()
  from key where q.org_id = key.org_id and q.quota_remaining > 0 and q.period_end > now()
  returning q.org_id, q.quota_remaining, key.id as key_id
), used as (
  insert into usage_events (org_id, api_key_id, endpoint, request_id, quota_before, quota_after, created_at)
  select org_id, key_id, $2, $3, quota_remaining + 1, quota_remaining, now() from charged
)
select exists (select 1 from key) as key_found, (select quota_remaining from charged) as remaining`;

// Open at the reference date: not an award, not cancelled, active, its deadline (or archive date) not passed.
const OPEN = `o.type not in ('Award Notice', 'Justification') and o.title !~* '^\\W*cancell?ed\\M' and o.active
  and (o.response_deadline >= $1::timestamptz or (o.response_deadline is null and not (o.archive_date < $2::date)))`;
const LATEST_VERSION = `(o.solicitation_number is null or not exists (select 1 from opportunities n
  where n.solicitation_number = o.solicitation_number and (n.posted_at, n.id) > (o.posted_at, o.id)))`;
const COLUMNS = `o.notice_id, o.title, o.agency_path, o.type, o.naics_code, o.set_aside_code, o.posted_at,
  o.response_deadline, o.pop_state, o.ui_link, o.description_excerpt`;
const RANKED_SQL = `select ${COLUMNS} from opportunities o
  where o.search_vector @@ websearch_to_tsquery('english', $3) and ${OPEN} and ${LATEST_VERSION}
  order by ts_rank_cd(o.search_vector, websearch_to_tsquery('english', $3)) desc, o.id desc limit $4`;
const NEWEST_SQL = `select ${COLUMNS} from opportunities o where ${OPEN} and ${LATEST_VERSION}
  order by o.posted_at desc, o.id desc limit $3`;

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** The bare server's request handler over `pool`, judging "open" at `referenceDate`. */
export function bareApi({ pool, referenceDate: REFERENCE_DATE }: BaselineOptions) {
  return async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? "/", "http://bare.local");
    if (req.method !== "GET" || url.pathname !== "/api/v1/opportunities") return send(res, 404, { code: "not_found" });
    const q = url.searchParams.get("q")?.trim() ?? "";
    const limit = Number(url.searchParams.get("limit") ?? 20);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return send(res, 422, { code: "validation_failed" });
    const presented = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
    if (!presented) return send(res, 401, { code: "unauthorized" });
    const requestId = `req_${randomBytes(12).toString("hex")}`;
    const hash = createHash("sha256").update(presented).digest("hex");
    const charged = (
      await pool.query<{ key_found: boolean; remaining: number | null }>(CHARGE_SQL, [hash, ENDPOINT, requestId])
    ).rows[0]!;
    if (!charged.key_found) return send(res, 401, { code: "unauthorized" });
    if (charged.remaining === null) return send(res, 402, { code: "quota_exhausted" });
    const at = [REFERENCE_DATE.toISOString(), samCalendarDate(REFERENCE_DATE)];
    const { rows } = q ? await pool.query(RANKED_SQL, [...at, q, limit]) : await pool.query(NEWEST_SQL, [...at, limit]);
    send(res, 200, { data: rows }, { "x-quota-remaining": String(charged.remaining), "x-request-id": requestId });
  };
}
