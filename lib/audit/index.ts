import { and, eq, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { withSystem, withTenant, type SystemReason } from "@/db/tenant";
import { nextTimeCursor, type TimeCursor } from "@/lib/http";
import { newestFirst, olderThan } from "@/db/keyset";
import { auditLog } from "@/db/schema";
import { currentRequestId } from "@/lib/observability";

export type AuditActorType = "user" | "operator" | "system" | "stripe";

export interface AuditActor {
  type: AuditActorType;
  id?: string | null;
  email?: string | null;
  /** The break-glass session an operator wrote under while the cockpit was read-only. */
  breakGlassSessionId?: string | null;
}

export interface AuditEntry {
  actor: AuditActor;
  action: string;
  orgId?: string | null;
  target?: { type: string; id: string | null } | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  reason?: string | null;
  requestId?: string | null;
  at?: Date;
}

/** An operator as a service context names them (lib/context's OperatorActor, without its kind). */
export interface AuditedOperator {
  userId: string;
  email: string | null;
  breakGlassSessionId?: string | null;
}

/** An operator as their audit entries name them, with the break-glass session they wrote under. */
export function operatorAuditActor(operator: AuditedOperator) {
  return {
    type: "operator" as const,
    id: operator.userId,
    email: operator.email,
    ...(operator.breakGlassSessionId ? { breakGlassSessionId: operator.breakGlassSessionId } : {}),
  };
}

export const SYSTEM_ACTOR: AuditActor = { type: "system", id: null, email: null };

/**
 * Appends one entry. Call it with the transaction that makes the change, so the trail and the
 * change commit (or roll back) together.
 */
export async function recordAudit(tx: DbOrTx, entry: AuditEntry) {
  const [row] = await tx
    .insert(auditLog)
    .values({
      at: entry.at ?? new Date(),
      actorType: entry.actor.type,
      actorId: entry.actor.id ?? null,
      actorEmail: entry.actor.email ?? null,
      orgId: entry.orgId ?? null,
      action: entry.action,
      targetType: entry.target?.type ?? null,
      targetId: entry.target?.id ?? null,
      before: entry.before ?? null,
      after: entry.after ?? null,
      reason: entry.reason ?? null,
      // Inside a request (route handler or server action) the row names it by construction.
      requestId: entry.requestId ?? currentRequestId() ?? null,
      breakGlassSessionId: entry.actor.breakGlassSessionId ?? null,
    })
    .returning({ id: auditLog.id });
  return row!.id;
}

/**
 * Appends one entry that has no change of its own to commit with (a request sent elsewhere, a
 * file handed out): in its org's tenant transaction when it names an org, else as the system
 * role for `reason`.
 */
export async function recordAuditAlone(entry: AuditEntry, reason: SystemReason) {
  return entry.orgId
    ? withTenant(entry.orgId, (tx) => recordAudit(tx, entry))
    : withSystem(reason, (tx) => recordAudit(tx, entry));
}

export interface AuditQuery {
  orgId?: string;
  actorId?: string;
  action?: string;
  /** Free text matched against action, actor e-mail, target id and reason. */
  search?: string;
  /** Keyset cursor: entries strictly older than this (at, id). */
  cursor?: TimeCursor;
  limit?: number;
}

/**
 * The operator's service context, as far as reading the trail uses it: lib/context's
 * `ServiceContext<OperatorActor>`, spelled out here because lib/context re-exports this module.
 */
export interface AuditReadContext {
  readonly actor: AuditedOperator;
  readonly requestId: string | null;
  now(): Date;
}

export interface AuditPage {
  data: (typeof auditLog.$inferSelect)[];
  nextCursor: string | null;
}

/**
 * Newest first, keyset-paginated, across orgs (the cockpit's audit page, the operator API). Reads
 * have no clock and leave no trail, so they use nothing of the context but its type.
 */
export async function listAudit(_ctx: AuditReadContext, query: AuditQuery = {}): Promise<AuditPage> {
  return withSystem("ops-cockpit", (tx) => auditPage(tx, query));
}

/** `listAudit` inside a caller's transaction (the customer page reads its trail with the rest of it). */
export async function auditPage(dbOrTx: DbOrTx, query: AuditQuery): Promise<AuditPage> {
  const filters: SQL[] = [];
  if (query.orgId) filters.push(eq(auditLog.orgId, query.orgId));
  if (query.actorId) filters.push(eq(auditLog.actorId, query.actorId));
  if (query.action) filters.push(sql`${auditLog.action} like ${`${query.action.replace(/[\\%_]/g, "\\$&")}%`}`);
  if (query.search) {
    const like = `%${query.search.replace(/[\\%_]/g, "\\$&")}%`;
    filters.push(
      or(
        sql`${auditLog.action} ilike ${like}`,
        sql`${auditLog.actorEmail} ilike ${like}`,
        sql`${auditLog.targetId} ilike ${like}`,
        sql`${auditLog.reason} ilike ${like}`,
      )!,
    );
  }
  if (query.cursor) filters.push(olderThan(auditLog.at, auditLog.id, query.cursor));
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  const rows = await dbOrTx
    .select()
    .from(auditLog)
    .where(filters.length ? and(...filters) : undefined)
    .orderBy(...newestFirst(auditLog.at, auditLog.id))
    .limit(limit + 1);
  const { page, nextCursor } = nextTimeCursor(rows, limit, (r) => ({ at: r.at, id: r.id }));
  return { data: page, nextCursor };
}
