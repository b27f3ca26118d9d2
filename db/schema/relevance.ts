import { index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { organizations } from "./orgs";
import { systemAccess, tenantIsolation } from "./tenant-policy";

/**
 * Notices a member marked "not relevant" for the org: hidden from its matches and digests, and
 * similar notices rank lower. What makes a notice similar (its solicitation, office and NAICS
 * code) is copied here: opportunities are public data that ingestion and retention may replace.
 */
export const notRelevantNotices = pgTable(
  "not_relevant_notices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    noticeId: text("notice_id").notNull(),
    solicitationNumber: text("solicitation_number"),
    agency: text("agency").notNull(),
    naicsCode: text("naics_code"),
    markedBy: uuid("marked_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("not_relevant_notices_org_notice_idx").on(t.orgId, t.noticeId),
    index("not_relevant_notices_org_created_idx").on(t.orgId, t.createdAt),
    tenantIsolation(t.orgId),
    systemAccess(),
  ],
).enableRLS();
