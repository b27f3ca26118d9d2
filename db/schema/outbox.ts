import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./orgs";
import { systemAccess, tenantIsolation } from "./tenant-policy";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/**
 * Every e-mail, outgoing webhook and event for the background functions, written in the same transaction as the change that causes
 * it, then delivered by a worker that claims due rows with a lease. `dedupe_key` is unique per
 * org (NULL org = system messages such as ops alerts share one namespace), so enqueuing the
 * same message twice is a no-op. Rows past OUTBOX_MAX_ATTEMPTS stay, `dead`, until replayed
 * or discarded.
 */
export const outboxEvents = pgTable(
  "outbox_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").references(() => organizations.id, { onDelete: "cascade" }),
    /** email | webhook | event (for the background functions: Inngest) | channel (an org's notification channel) */
    kind: text("kind").notNull(),
    dedupeKey: text("dedupe_key").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    /** pending | sending | delivered | dead | discarded */
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    leaseUntil: ts("lease_until"),
    lastError: text("last_error"),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    deliveredAt: ts("delivered_at"),
    deadAt: ts("dead_at"),
    /**
     * Where delivery goes, for the circuit breaker: `smtp` for every e-mail (one relay), `inngest`
     * for every event, `channel:<channel id>` for a post to an org's notification channel (its URL
     * is a credential and stays sealed on the channel row), or
     * `webhook:<scheme>://<host[:port]>` — the origin only, lower-cased, without userinfo, path,
     * query or fragment (a Slack URL's path is its credential). Computed by the database, so
     * every insert (and every row already there) has it.
     */
    destination: text("destination")
      .notNull()
      .generatedAlwaysAs(
        sql`case when kind = 'email' then 'smtp' when kind = 'event' then 'inngest' when kind = 'channel' then 'channel:' || coalesce(payload->>'channel_id', '') else 'webhook:' || lower(coalesce(substring(payload->>'url' from '^([A-Za-z][A-Za-z0-9+.-]*://)'), '')) || lower(regexp_replace(coalesce(substring(payload->>'url' from '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#\\\\]*)'), ''), '^.*@', '')) end`,
      ),
  },
  (t) => [
    check("outbox_events_kind_valid", sql`${t.kind} in ('email', 'webhook', 'event', 'channel')`),
    check("outbox_events_status_valid", sql`${t.status} in ('pending', 'sending', 'delivered', 'dead', 'discarded')`),
    unique("outbox_events_dedupe_key").on(t.orgId, t.dedupeKey).nullsNotDistinct(),
    index("outbox_events_due_idx").on(t.status, t.nextAttemptAt),
    index("outbox_events_org_idx").on(t.orgId, t.createdAt),
    tenantIsolation(t.orgId),
    systemAccess(),
  ],
).enableRLS();

/**
 * One circuit breaker per delivery destination (see `outbox_events.destination`), shared by every
 * deliverer through the database. `closed`: deliveries flow, failures are counted;
 * `open`: nothing to this destination is claimed until `open_until`, so waiting messages keep
 * their attempts; `half_open`: one deliverer holds the probe (`probe_token` until `probe_until`)
 * and its outcome closes or re-opens the circuit. `trips` counts openings since the last close
 * (each one waits twice as long). Operator table: RLS on, no tenant policy.
 */
export const outboxCircuits = pgTable(
  "outbox_circuits",
  {
    destination: text("destination").primaryKey(),
    /** closed | open | half_open */
    state: text("state").notNull().default("closed"),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    trips: integer("trips").notNull().default(0),
    openedAt: ts("opened_at"),
    openUntil: ts("open_until"),
    probeToken: uuid("probe_token"),
    probeUntil: ts("probe_until"),
    /** Redacted and truncated, as on the outbox row it came from. */
    lastError: text("last_error"),
    lastFailureAt: ts("last_failure_at"),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [check("outbox_circuits_state_valid", sql`${t.state} in ('closed', 'open', 'half_open')`), systemAccess()],
).enableRLS();
