import { index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid, boolean } from "drizzle-orm/pg-core";
import { textList } from "./columns";
import { users } from "./auth";
import { emailMessages } from "./mail";
import { organizations } from "./orgs";
import { systemAccess, tenantIsolation } from "./tenant-policy";

export const alertFrequency = pgEnum("alert_frequency", ["instant", "daily", "weekly"]);

/**
 * Why an alert sends nothing: billing holds one the member left active (over the plan's alert
 * limit, or instant on a plan without it), or its recipient unsubscribed through the e-mail's
 * link (the alert is then switched off too, until a member resumes it).
 */
export const alertPauseReason = pgEnum("alert_pause_reason", ["plan_limit", "plan_excludes_instant", "unsubscribed"]);

/** Saved searches that e-mail their new matches. */
export const alerts = pgTable(
  "alerts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    frequency: alertFrequency("frequency").notNull(),
    q: text("q"),
    naics: textList("naics"),
    states: textList("states"),
    setAsides: textList("set_asides"),
    // Preferences rank an alert's matches (best fit first in its e-mails) without narrowing them.
    preferQ: text("prefer_q"),
    preferStates: textList("prefer_states"),
    preferSetAsides: textList("prefer_set_asides"),
    // How many matches one digest e-mail lists, best fit first; the e-mail links to the rest.
    digestLimit: integer("digest_limit").notNull().default(25),
    // Daily and weekly only: a window without matches still mails "we read N notices, none matched".
    nothingNewEmail: boolean("nothing_new_email").notNull().default(false),
    deliveryEmail: text("delivery_email").notNull(),
    // The member's own on/off switch.
    active: boolean("active").notNull().default(true),
    // Set while the plan does not cover this alert (null = covered); cleared by itself on upgrade.
    pausedReason: alertPauseReason("paused_reason"),
    // End of the last window whose digest was written: the next window starts here.
    lastWindowEnd: timestamp("last_window_end", { withTimezone: true, mode: "date" }),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    index("alerts_org_idx").on(t.orgId),
    index("alerts_due_idx").on(t.frequency, t.lastWindowEnd),
    // A daily summary gathers its member's alerts (lib/alerts/digests.ts withSummarySiblings).
    index("alerts_created_by_idx").on(t.createdBy),
    tenantIsolation(t.orgId),
    systemAccess(),
  ],
).enableRLS();

/** One digest per alert and window: the unique index makes a retried run a no-op. */
export const alertDigests = pgTable(
  "alert_digests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    alertId: uuid("alert_id")
      .notNull()
      .references(() => alerts.id, { onDelete: "cascade" }),
    windowStart: timestamp("window_start", { withTimezone: true, mode: "date" }).notNull(),
    windowEnd: timestamp("window_end", { withTimezone: true, mode: "date" }).notNull(),
    matchCount: integer("match_count").notNull(),
    noticeIds: text("notice_ids").array().notNull(),
    emailMessageId: uuid("email_message_id").references(() => emailMessages.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("alert_digests_window_idx").on(t.alertId, t.windowEnd),
    index("alert_digests_org_idx").on(t.orgId, t.createdAt),
    tenantIsolation(t.orgId),
    systemAccess(),
  ],
).enableRLS();
