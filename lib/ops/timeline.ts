import { sql, type SQL } from "drizzle-orm";
import { db } from "@/db/client";
import { isUuid } from "@/db/tenant";
import { AppError, encodeTimeCursor, type TimeCursor } from "@/lib/http";
import { maskEmailsIn } from "./mask";

export const TIMELINE_KINDS = ["audit", "email", "payment", "stripe_event", "job_run", "ops_alert"] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface TimelineEntry {
  /** `<kind>:<source id>`: unique across sources and the tie-breaker of the order. */
  key: string;
  kind: TimelineKind;
  at: Date;
  title: string;
  detail: string | null;
  status: string | null;
  /** Cockpit page with more about this entry, when there is one. */
  href: string | null;
}

interface SourceRow {
  key: string;
  at: Date;
  title: string;
  detail: string | null;
  status: string | null;
  ref: string;
  [column: string]: unknown;
}

/** Stripe event types that move money; the rest are shown as plain Stripe events. */
const PAYMENT_EVENT = sql`(type like 'invoice.%' or type like 'charge.%' or type like 'payment_intent.%' or type = 'checkout.session.completed')`;

/**
 * One source of the timeline as (key, at, title, detail, status, ref), newest first, after the
 * cursor. Keys sort with the "C" collation so the database and the merge below agree on order.
 */
function source(table: SQL, at: SQL, key: SQL, columns: SQL, where: SQL, cursor: TimeCursor | undefined, limit: number) {
  const atMs = sql`date_trunc('milliseconds', ${at})`;
  const after = cursor ? sql` and (${atMs}, (${key}) collate "C") < (${cursor.at.toISOString()}::timestamptz, ${cursor.id} collate "C")` : sql``;
  return sql`select ${key} as key, ${atMs} as at, ${columns} from ${table} where ${where}${after} order by ${atMs} desc, (${key}) collate "C" desc limit ${limit}`;
}

function sourcesFor(orgId: string, cursor: TimeCursor | undefined, limit: number): [TimelineKind, SQL][] {
  const org = sql`org_id = ${orgId}::uuid`;
  return [
    [
      "audit",
      source(sql`audit_log`, sql`at`, sql`'audit:' || id::text`, sql`action as title, concat_ws(' · ', coalesce(actor_email, actor_type), reason) as detail, null::text as status, id::text as ref`, org, cursor, limit),
    ],
    [
      "email",
      source(
        sql`outbox_events`,
        sql`created_at`,
        sql`'email:' || id::text`,
        sql`coalesce(payload->>'subject', payload->>'kind') as title, payload->>'to' as detail, status, id::text as ref`,
        sql`${org} and kind = 'email'`,
        cursor,
        limit,
      ),
    ],
    [
      "payment",
      source(sql`stripe_events`, sql`created`, sql`'payment:' || id`, sql`type as title, last_error as detail, status, id as ref`, sql`${org} and ${PAYMENT_EVENT}`, cursor, limit),
    ],
    [
      "stripe_event",
      source(sql`stripe_events`, sql`created`, sql`'stripe_event:' || id`, sql`type as title, last_error as detail, status, id as ref`, sql`${org} and not ${PAYMENT_EVENT}`, cursor, limit),
    ],
    [
      "job_run",
      source(sql`job_runs`, sql`created_at`, sql`'job_run:' || id::text`, sql`function_id as title, error as detail, status, id::text as ref`, org, cursor, limit),
    ],
    [
      "ops_alert",
      source(sql`ops_alerts`, sql`first_seen_at`, sql`'ops_alert:' || id::text`, sql`summary as title, kind as detail, status, id::text as ref`, org, cursor, limit),
    ],
  ];
}

function hrefFor(kind: TimelineKind, ref: string, orgId: string): string | null {
  switch (kind) {
    case "job_run":
      return `/admin/ops/jobs/${ref}`;
    case "payment":
    case "stripe_event":
      return `/admin/ops/stripe-events?${new URLSearchParams({ id: ref })}`;
    case "ops_alert":
      return `/admin/ops/alerts?${new URLSearchParams({ status: "all", subject: orgId })}`;
    case "audit":
      return `/admin/ops/audit?${new URLSearchParams({ org: orgId })}`;
    case "email":
      return null;
  }
}

/** Plain code-unit order: the same as the "C" collation for these ASCII keys. */
const newestFirst = (a: TimelineEntry, b: TimelineEntry) => b.at.getTime() - a.at.getTime() || (a.key < b.key ? 1 : a.key > b.key ? -1 : 0);

/**
 * One chronological view of a customer: audit entries, e-mails, payments and invoices, other
 * Stripe events, job runs and ops alerts, newest first. Each source is read with the same keyset
 * bound and merged, so a page never repeats or skips an entry. ops_viewer gets addresses masked.
 */
export async function customerTimeline(orgId: string, options: { cursor?: TimeCursor; limit?: number; kinds?: TimelineKind[]; showPii?: boolean } = {}) {
  if (!isUuid(orgId)) throw new AppError("not_found", "No such customer.");
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const wanted = new Set(options.kinds?.length ? options.kinds : TIMELINE_KINDS);
  const sources = sourcesFor(orgId, options.cursor, limit + 1).filter(([kind]) => wanted.has(kind));
  const results = await Promise.all(sources.map(([, query]) => db().execute(query)));
  const entries: TimelineEntry[] = results.flatMap((result, i) => {
    const kind = sources[i]![0];
    return (result.rows as unknown as SourceRow[]).map((row) => ({
      key: row.key,
      kind,
      at: new Date(row.at),
      title: options.showPii ? row.title : maskEmailsIn(row.title),
      detail: row.detail && !options.showPii ? maskEmailsIn(row.detail) : row.detail,
      status: row.status,
      href: hrefFor(kind, row.ref, orgId),
    }));
  });
  entries.sort(newestFirst);
  const page = entries.slice(0, limit);
  const last = page[page.length - 1];
  return { entries: page, nextCursor: entries.length > limit && last ? encodeTimeCursor({ at: last.at, id: last.key }) : null };
}
