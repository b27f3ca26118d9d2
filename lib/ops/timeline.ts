import { sql, type SQL } from "drizzle-orm";
import type { OperatorActor, ServiceContext } from "@/lib/context";
import { encodeTimeCursor, type TimeCursor } from "@/lib/http";
import { maskEmailsIn } from "@/lib/format";
import { cockpitContext } from "./cockpit-context";
import { customerContext } from "./customer-context";

export const TIMELINE_KINDS = [
  "audit",
  "email",
  "payment",
  "stripe_event",
  "job_run",
  "ops_alert",
  "onboarding",
  "alert",
  "api_key",
  "api_usage",
] as const;
/** The customer's own activity, read from the data it leaves (audit_log holds operator and billing writes). */
export const CUSTOMER_ACTIVITY_KINDS = [
  "onboarding",
  "alert",
  "api_key",
  "api_usage",
] as const satisfies readonly TimelineKind[];
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
function source(
  table: SQL,
  at: SQL,
  key: SQL,
  columns: SQL,
  where: SQL,
  cursor: TimeCursor | undefined,
  limit: number,
) {
  const atMs = sql`date_trunc('milliseconds', ${at})`;
  const after = cursor
    ? sql` and (${atMs}, (${key}) collate "C") < (${cursor.at.toISOString()}::timestamptz, ${cursor.id} collate "C")`
    : sql``;
  return sql`select ${key} as key, ${atMs} as at, ${columns} from ${table} where ${where}${after} order by ${atMs} desc, (${key}) collate "C" desc limit ${limit}`;
}

function sourcesFor(orgId: string, cursor: TimeCursor | undefined, limit: number): [TimelineKind, SQL][] {
  const org = sql`org_id = ${orgId}::uuid`;
  return [
    [
      "audit",
      source(
        sql`audit_log`,
        sql`at`,
        sql`'audit:' || id::text`,
        sql`action as title, concat_ws(' · ', coalesce(actor_email, actor_type), reason) as detail, null::text as status, id::text as ref`,
        org,
        cursor,
        limit,
      ),
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
      source(
        sql`stripe_events`,
        sql`created`,
        sql`'payment:' || id`,
        sql`type as title, last_error as detail, status, id as ref`,
        sql`${org} and ${PAYMENT_EVENT}`,
        cursor,
        limit,
      ),
    ],
    [
      "stripe_event",
      source(
        sql`stripe_events`,
        sql`created`,
        sql`'stripe_event:' || id`,
        sql`type as title, last_error as detail, status, id as ref`,
        sql`${org} and not ${PAYMENT_EVENT}`,
        cursor,
        limit,
      ),
    ],
    [
      "job_run",
      source(
        sql`job_runs`,
        sql`created_at`,
        sql`'job_run:' || id::text`,
        sql`function_id as title, error as detail, status, id::text as ref`,
        org,
        cursor,
        limit,
      ),
    ],
    [
      "ops_alert",
      source(
        sql`ops_alerts`,
        sql`first_seen_at`,
        sql`'ops_alert:' || id::text`,
        sql`summary as title, kind as detail, status, id::text as ref`,
        org,
        cursor,
        limit,
      ),
    ],
    ...customerActivitySources(orgId, cursor, limit),
  ];
}

const ONBOARDING_STEP_TITLE = sql`case step
  when 'profile' then 'Onboarding: business profile saved'
  when 'alert' then 'Onboarding: first alert created'
  when 'matches' then 'Onboarding: matches viewed'
  when 'plan' then 'Onboarding: plan chosen'
  else 'Onboarding completed' end`;

/**
 * What the customer did: onboarding steps (their completion times), alerts saved and paused,
 * API keys made and revoked, API calls (one entry per UTC day with the count). Each is derived
 * from the row the action leaves, so it needs no second record that could disagree with it.
 */
function customerActivitySources(orgId: string, cursor: TimeCursor | undefined, limit: number): [TimelineKind, SQL][] {
  const org = sql`org_id = ${orgId}::uuid`;
  const steps = sql`(select o.org_id, v.step, v.at from onboarding_progress o cross join lateral (values
    ('profile', o.profile_completed_at), ('alert', o.alert_completed_at), ('matches', o.matches_viewed_at),
    ('plan', o.plan_chosen_at), ('completed', o.onboarding_completed_at)) as v(step, at)
    where o.org_id = ${orgId}::uuid and v.at is not null) as steps`;
  // Creation and the current pause are both facts of the row: a paused alert shows both.
  const alertEvents = sql`(select a.id, a.org_id, a.name, a.frequency::text as frequency, v.what, v.at from alerts a cross join lateral (values
    ('created', a.created_at), ('paused', case when a.active then null else a.updated_at end)) as v(what, at)
    where a.org_id = ${orgId}::uuid and v.at is not null) as alert_events`;
  const keyEvents = sql`(select k.id, k.org_id, k.name, k.prefix, v.what, v.at from api_keys k cross join lateral (values
    ('created', k.created_at), ('revoked', k.revoked_at)) as v(what, at)
    where k.org_id = ${orgId}::uuid and v.at is not null) as key_events`;
  const usageDays = sql`(select org_id, (created_at at time zone 'UTC')::date as day, count(*)::int as calls,
    count(*) filter (where status >= 400)::int as errors, max(created_at) as at
    from usage_events where org_id = ${orgId}::uuid group by org_id, (created_at at time zone 'UTC')::date) as usage_days`;
  return [
    [
      "onboarding",
      source(
        steps,
        sql`at`,
        sql`'onboarding:' || step`,
        sql`${ONBOARDING_STEP_TITLE} as title, null::text as detail, null::text as status, step as ref`,
        org,
        cursor,
        limit,
      ),
    ],
    [
      "alert",
      source(
        alertEvents,
        sql`at`,
        sql`'alert:' || id::text || ':' || what`,
        sql`concat('Alert ', what, ': ', name) as title, frequency as detail, case when what = 'paused' then 'paused' end as status, id::text as ref`,
        org,
        cursor,
        limit,
      ),
    ],
    [
      "api_key",
      source(
        keyEvents,
        sql`at`,
        sql`'api_key:' || id::text || ':' || what`,
        sql`concat('API key ', what, ': ', name) as title, prefix || '…' as detail, null::text as status, id::text as ref`,
        org,
        cursor,
        limit,
      ),
    ],
    [
      "api_usage",
      source(
        usageDays,
        sql`at`,
        sql`'api_usage:' || day::text`,
        sql`concat(calls, case when calls = 1 then ' API call on ' else ' API calls on ' end, day::text) as title, case when errors > 0 then concat(errors, ' answered with an error') end as detail, null::text as status, day::text as ref`,
        org,
        cursor,
        limit,
      ),
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
    case "api_usage":
    case "onboarding":
    case "alert":
    case "api_key":
      return null;
  }
}

/** Plain code-unit order: the same as the "C" collation for these ASCII keys. */
const newestFirst = (a: TimelineEntry, b: TimelineEntry) =>
  b.at.getTime() - a.at.getTime() || (a.key < b.key ? 1 : a.key > b.key ? -1 : 0);

/**
 * One chronological view of a customer: audit entries, e-mails, payments and invoices, other
 * Stripe events, job runs, ops alerts and the customer's own activity, newest first. Each source is read with the same keyset
 * bound and merged, so a page never repeats or skips an entry. ops_viewer gets addresses masked.
 */
export async function customerTimeline(
  ctx: ServiceContext<OperatorActor>,
  customerId: string,
  options: { cursor?: TimeCursor; limit?: number; kinds?: TimelineKind[]; showPii?: boolean } = {},
) {
  const { orgId } = customerContext(ctx, customerId);
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const wanted = new Set(options.kinds?.length ? options.kinds : TIMELINE_KINDS);
  const sources = sourcesFor(orgId, options.cursor, limit + 1).filter(([kind]) => wanted.has(kind));
  // Stripe events have no tenant policy, so a customer's timeline reads as the system role, in
  // one transaction (each one costs round trips).
  const results = await cockpitContext(ctx).transaction(async (tx) => {
    const out = [];
    for (const [, query] of sources) out.push(await tx.execute(query));
    return out;
  });
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
  return {
    entries: page,
    nextCursor: entries.length > limit && last ? encodeTimeCursor({ at: last.at, id: last.key }) : null,
  };
}
