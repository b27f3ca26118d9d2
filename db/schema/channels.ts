import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { alerts } from "./alerts";
import { users } from "./auth";
import { organizations } from "./orgs";
import { systemAccess, tenantIsolation } from "./tenant-policy";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/**
 * Where an org's alerts and "what changed" notices are posted besides e-mail: a Slack or Teams
 * incoming webhook, or the org's own signed webhook. The URL is a bearer credential (anyone who
 * has a Slack webhook URL can post to the channel), so it is stored only sealed; `url_hint`
 * (host and last characters) is what anyone ever sees again. A `webhook` channel's signing
 * secret is sealed too, shown once at creation.
 */
export const notificationChannels = pgTable(
  "notification_channels",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** slack | teams | webhook */
    kind: text("kind").notNull(),
    name: text("name").notNull(),
    urlSealed: text("url_sealed").notNull(),
    urlHint: text("url_hint").notNull(),
    secretSealed: text("secret_sealed"),
    enabled: boolean("enabled").notNull().default(true),
    /** Failed delivery attempts since the last 2xx; the channel is disabled when it reaches the limit. */
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    disabledAt: ts("disabled_at"),
    disabledReason: text("disabled_reason"),
    lastSuccessAt: ts("last_success_at"),
    lastFailureAt: ts("last_failure_at"),
    /** The last failure, redacted as on the outbox row (never the URL). */
    lastError: text("last_error"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    check("notification_channels_kind_valid", sql`${t.kind} in ('slack', 'teams', 'webhook')`),
    index("notification_channels_org_idx").on(t.orgId, t.createdAt),
    tenantIsolation(t.orgId),
    systemAccess(),
  ],
).enableRLS();

/** The channels an alert posts to; deleting either side detaches them. */
export const alertChannels = pgTable(
  "alert_channels",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    alertId: uuid("alert_id")
      .notNull()
      .references(() => alerts.id, { onDelete: "cascade" }),
    channelId: uuid("channel_id")
      .notNull()
      .references(() => notificationChannels.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.alertId, t.channelId] }),
    index("alert_channels_channel_idx").on(t.channelId),
    tenantIsolation(t.orgId),
    systemAccess(),
  ],
).enableRLS();
