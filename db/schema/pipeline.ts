import { index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { organizations } from "./orgs";
import { systemAccess, tenantIsolation } from "./tenant-policy";

/** Where the org stands on a notice; watching and bidding are the open stages (reminders, calendar). */
export const pipelineStage = pgEnum("pipeline_stage", ["watching", "bidding", "submitted", "won", "lost", "no_bid"]);

/**
 * A notice the org tracks in its bid pipeline. `notice_id` has no foreign key: opportunities are
 * public data that ingestion and retention may replace, and the team's pipeline must outlive that.
 */
export const trackedOpportunities = pgTable(
  "tracked_opportunities",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    noticeId: text("notice_id").notNull(),
    stage: pipelineStage("stage").notNull().default("watching"),
    assigneeId: uuid("assignee_id").references(() => users.id, { onDelete: "set null" }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    // The response deadline the last reminder was sent for: a moved deadline differs and reminds again.
    remindedDeadline: timestamp("reminded_deadline", { withTimezone: true, mode: "date" }),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("tracked_opportunities_org_notice_idx").on(t.orgId, t.noticeId),
    index("tracked_opportunities_org_created_idx").on(t.orgId, t.createdAt, t.id),
    index("tracked_opportunities_notice_idx").on(t.noticeId),
    tenantIsolation(t.orgId),
    systemAccess(),
  ],
).enableRLS();

/** Append-only notes on a tracked notice, visible to the whole team. */
export const pipelineNotes = pgTable(
  "pipeline_notes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    trackedId: uuid("tracked_id")
      .notNull()
      .references(() => trackedOpportunities.id, { onDelete: "cascade" }),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    body: text("body").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [index("pipeline_notes_tracked_idx").on(t.trackedId, t.createdAt), tenantIsolation(t.orgId), systemAccess()],
).enableRLS();

/** The org's pipeline settings; no row = the defaults. */
export const pipelineSettings = pgTable(
  "pipeline_settings",
  {
    orgId: uuid("org_id")
      .primaryKey()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** Days before the response deadline the reminder goes out; 0 = no reminders. */
    reminderDays: integer("reminder_days").notNull().default(3),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [tenantIsolation(t.orgId), systemAccess()],
).enableRLS();

/**
 * A user's secret calendar feed: only the SHA-256 of the token is kept. One per user;
 * regenerating replaces the hash, so the old URL stops working at once.
 */
export const calendarFeeds = pgTable(
  "calendar_feeds",
  {
    userId: uuid("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true, mode: "date" }),
  },
  // Like sessions: a credential of the user, looked up before any org is known, so no tenant policy.
  (t) => [uniqueIndex("calendar_feeds_token_hash_idx").on(t.tokenHash)],
);
