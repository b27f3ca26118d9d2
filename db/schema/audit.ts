import { index, jsonb, pgPolicy, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { currentOrgId, tenantRole } from "./tenant-policy";
import { sql } from "drizzle-orm";

/**
 * Append-only record of every operator and billing write: who (actor), what (action), on what
 * (target), the state before and after, and the request that did it. No foreign keys: the trail
 * must outlive the org, user or operator it mentions. A trigger (migration 0006) refuses UPDATE
 * and DELETE, so not even the owner role can rewrite history.
 * RLS on: operators and billing write as the owner role; a tenant transaction (withTenant) may
 * append and read back entries of its own org only, so a member's write and its entry commit together.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    at: timestamp("at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    /** user | operator | system | stripe */
    actorType: text("actor_type").notNull(),
    actorId: text("actor_id"),
    actorEmail: text("actor_email"),
    orgId: uuid("org_id"),
    /** Dotted verb, e.g. `billing.subscription.paused`, `ops.credits.granted`. */
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    before: jsonb("before").$type<Record<string, unknown> | null>(),
    after: jsonb("after").$type<Record<string, unknown> | null>(),
    reason: text("reason"),
    requestId: text("request_id"),
    /** Set when the write was made under break-glass while the cockpit was read-only. */
    breakGlassSessionId: uuid("break_glass_session_id"),
  },
  (t) => [
    index("audit_log_at_idx").on(t.at),
    index("audit_log_org_idx").on(t.orgId, t.at),
    index("audit_log_action_idx").on(t.action, t.at),
    index("audit_log_actor_idx").on(t.actorId, t.at),
    pgPolicy("tenant_append", { for: "insert", to: tenantRole, withCheck: sql`${t.orgId} = ${currentOrgId}` }),
    // INSERT … RETURNING needs the new row to be visible to the inserting role.
    pgPolicy("tenant_read", { for: "select", to: tenantRole, using: sql`${t.orgId} = ${currentOrgId}` }),
  ],
).enableRLS();
