import { getTableColumns, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { opportunities } from "@/db/schema";
import { CANCELLED_TITLE } from "../status";

/**
 * Change tracking at ingestion, in the statement that writes a batch: SAM.gov answers only a
 * notice's latest version, so Beacon keeps the ones it overwrites and records what changed.
 *
 * Every sub-statement of one WITH reads the same snapshot, so the `opportunities` table read
 * beside the upsert still holds the rows as they were before it: the old and new copy of each
 * notice meet in SQL, with no extra round trip and no row shipped to the app.
 */

// The columns a material change is read from (by SQL name).
const COMPARED = [
  "type",
  "title",
  "active",
  "response_deadline",
  "set_aside_code",
  "set_aside_description",
  "description",
  "resource_links",
  "award",
  "source",
] as const;

/**
 * What the upsert returns for the pairing below: its row identity and the compared columns.
 * xmax is 0 only on a row version the statement inserted; an updated row carries its xid.
 */
const UPSERT_RETURNING = sql.raw(
  `returning id, notice_id, solicitation_number, posted_at, raw, (xmax = 0) as inserted, ${COMPARED.join(", ")}`,
);

const columns = (from: string, prefix = "") =>
  sql.raw(COMPARED.map((c) => `${from}.${c}${prefix ? ` as ${prefix}${c}` : ""}`).join(", "));

// What the database derives from the record (search vector, passages) is not part of a kept version.
const GENERATED_COLUMNS = Object.values(getTableColumns(opportunities))
  .filter((column) => column.generated)
  .map((column) => column.name);
const WHITESPACE = (column: string) => String.raw`regexp_replace(btrim(${column}), '\s+', ' ', 'g')`;

function linksMissingFrom(list: string, other: string) {
  return `(select coalesce(jsonb_agg(x.v order by x.n), '[]'::jsonb) from jsonb_array_elements(${list}) with ordinality as x(v, n) where not ${other} @> jsonb_build_array(x.v))`;
}

/**
 * The material differences between a pair's earlier (`a_`) and later (`b_`) columns, as a
 * jsonb object keyed like NoticeChangeDiff; `{}` when none. Not material: anything else, a
 * description that differs only in whitespace, and what one source cannot say: the CSV
 * extract lists no attachments and the API gives the description only as a link (""), so
 * links are compared between API copies and descriptions only when both have text.
 */
const MATERIAL_DIFF = sql.raw(`jsonb_strip_nulls(jsonb_build_object(
  'responseDeadline', case when a_response_deadline is distinct from b_response_deadline
    then jsonb_build_object('from', a_response_deadline, 'to', b_response_deadline) end,
  'type', case when a_type is distinct from b_type then jsonb_build_object('from', a_type, 'to', b_type) end,
  'setAside', case when a_set_aside_code is distinct from b_set_aside_code then jsonb_build_object(
    'from', jsonb_build_object('code', a_set_aside_code, 'description', a_set_aside_description),
    'to', jsonb_build_object('code', b_set_aside_code, 'description', b_set_aside_description)) end,
  'award', case when b_award is not null and b_award is distinct from a_award
    then jsonb_build_object('from', a_award, 'to', b_award) end,
  'description', case
    when a_description = b_description or a_description = '' or b_description = '' then null
    when ${WHITESPACE("a_description")} <> ${WHITESPACE("b_description")} then jsonb_build_object('changed', true) end,
  'resourceLinks', case when a_source = 'sam_api' and b_source = 'sam_api' and a_resource_links <> b_resource_links
    then nullif(jsonb_build_object(
      'added', ${linksMissingFrom("b_resource_links", "a_resource_links")},
      'removed', ${linksMissingFrom("a_resource_links", "b_resource_links")}), '{"added": [], "removed": []}'::jsonb) end,
  'cancelled', case when b_title ~* ${CANCELLED_TITLE} and not a_title ~* ${CANCELLED_TITLE} then 'true'::jsonb end,
  'active', case when a_active <> b_active then jsonb_build_object('from', a_active, 'to', b_active) end
))`);

/**
 * Runs `upsert` (an INSERT … ON CONFLICT DO UPDATE into opportunities, without RETURNING) and,
 * in the same statement:
 * - keeps the stored copy of every notice whose incoming record differs from the one stored
 *   (notice_versions; the same record again keeps nothing),
 * - records the material changes (notice_changes) of each such notice, and of each new notice
 *   posted under a solicitation number already known, against the posting before it (stored,
 *   or earlier in the same batch).
 * Answers, per written row, whether it was inserted.
 */
export async function upsertRecordingChanges(
  dbx: DbOrTx,
  upsert: SQL,
  noticeIds: readonly string[],
  at: Date,
): Promise<{ inserted: boolean }[]> {
  const stamp = at.toISOString();
  // The stored copies, by the unique index: joined to the CTE alone, the planner scans the whole table.
  const stored = sql`a.notice_id = any(${sql.param(noticeIds)}::text[])`;
  const result = await dbx.execute<{ inserted: boolean }>(sql`
    with up as (${upsert} ${UPSERT_RETURNING}),
    pairs as (
      select b.notice_id, a.notice_id as previous_notice_id, b.solicitation_number,
        ${columns("a", "a_")}, ${columns("b", "b_")}
      from up b join opportunities a on a.notice_id = b.notice_id and ${stored}
      where not b.inserted and a.raw is distinct from b.raw
      union all
      select b.notice_id, a.notice_id, b.solicitation_number, ${columns("a", "a_")}, ${columns("b", "b_")}
      from up b cross join lateral (
        select * from (
          (select o.notice_id, o.posted_at, o.id, ${columns("o")} from opportunities o
            where o.solicitation_number = b.solicitation_number and (o.posted_at, o.id) < (b.posted_at, b.id)
            order by o.posted_at desc, o.id desc limit 1)
          union all
          (select u.notice_id, u.posted_at, u.id, ${columns("u")} from up u
            where u.inserted and u.solicitation_number = b.solicitation_number and (u.posted_at, u.id) < (b.posted_at, b.id)
            order by u.posted_at desc, u.id desc limit 1)
        ) c order by c.posted_at desc, c.id desc limit 1
      ) a
      where b.inserted and b.solicitation_number is not null
    ),
    kept as (
      insert into notice_versions (notice_id, version, superseded_at)
      select a.notice_id, to_jsonb(a) - ${sql.param(GENERATED_COLUMNS)}::text[], ${stamp}::timestamptz
      from up b join opportunities a on a.notice_id = b.notice_id and ${stored}
      where not b.inserted and a.raw is distinct from b.raw
    ),
    recorded as (
      insert into notice_changes (notice_id, previous_notice_id, solicitation_number, diff, detected_at)
      select notice_id, previous_notice_id, solicitation_number, diff, ${stamp}::timestamptz
      from (select notice_id, previous_notice_id, solicitation_number, ${MATERIAL_DIFF} as diff from pairs) d
      where diff <> '{}'::jsonb
    )
    select inserted from up`);
  return result.rows;
}
