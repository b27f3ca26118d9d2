import { sql } from "drizzle-orm";
import { boolean, check, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { systemAccess } from "./tenant-policy";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/**
 * Runtime switches (lib/flags holds their definitions and defaults). A missing row means the
 * flag's default. Operator table: RLS on, no tenant policy.
 */
export const featureFlags = pgTable(
  "feature_flags",
  {
    key: text("key").primaryKey(),
    enabled: boolean("enabled").notNull(),
    /** Why it was last changed (shown in the cockpit, e.g. the incident banner). */
    reason: text("reason"),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    /** E-mail of the operator who last changed it. */
    updatedBy: text("updated_by"),
  },
  () => [systemAccess()],
).enableRLS();

/**
 * Time-limited permission for one ops_admin to write while the cockpit is read-only. Only the
 * SHA-256 of the token is kept: the token is 32 random bytes, shown once when the session starts.
 */
export const breakGlassSessions = pgTable(
  "break_glass_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    operatorId: uuid("operator_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    operatorEmail: text("operator_email").notNull(),
    reason: text("reason").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: ts("created_at").notNull().defaultNow(),
    expiresAt: ts("expires_at").notNull(),
    endedAt: ts("ended_at"),
    endedBy: text("ended_by"),
  },
  (t) => [
    check("break_glass_sessions_expiry_after_start", sql`${t.expiresAt} > ${t.createdAt}`),
    index("break_glass_sessions_operator_idx").on(t.operatorId, t.expiresAt),
    systemAccess(),
  ],
).enableRLS();
