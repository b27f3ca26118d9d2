import { boolean, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./orgs";
import { systemAccess, tenantIsolation } from "./tenant-policy";

/**
 * Every e-mail Beacon sends, kept so that operators can see what a customer was sent. Links
 * that sign someone in are never here: `sensitive` rows show them hidden (lib/outbox/sealed-links.ts).
 */
export const emailMessages = pgTable(
  "email_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").references(() => organizations.id, { onDelete: "set null" }),
    kind: text("kind").notNull(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body"),
    /** The e-mail carried a sign-in, verification, reset or invitation link (kept hidden). */
    sensitive: boolean("sensitive").notNull().default(false),
    transport: text("transport").notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true, mode: "date" }),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [index("email_messages_to_idx").on(t.toAddress, t.createdAt), tenantIsolation(t.orgId), systemAccess()],
).enableRLS();
