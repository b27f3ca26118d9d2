import type { AuditActor } from "@/lib/audit";
import { env } from "@/lib/env";
import { flagState } from "@/lib/flags";
import { AppError } from "@/lib/http";
import { BREAK_GLASS_HEADER, breakGlassActive, findBreakGlassByToken, type BreakGlassSession } from "./break-glass";

export interface IncidentState {
  readOnly: boolean;
  /** `env`: ADMIN_READ_ONLY=true (cannot be turned off from the cockpit); `flag`: the incident_mode flag. */
  source: "env" | "flag" | null;
  since: Date | null;
  by: string | null;
  reason: string | null;
}

/**
 * Incident mode, read through (no cache): the cockpit is read-only while ADMIN_READ_ONLY=true
 * or the runtime `incident_mode` flag is on.
 */
export async function incidentState(): Promise<IncidentState> {
  if (env().ADMIN_READ_ONLY)
    return {
      readOnly: true,
      source: "env",
      since: null,
      by: null,
      reason: "ADMIN_READ_ONLY=true is set in the environment.",
    };
  const flag = await flagState("incident_mode", { maxAgeMs: 0 });
  if (!flag.enabled) return { readOnly: false, source: null, since: null, by: null, reason: null };
  return { readOnly: true, source: "flag", since: flag.updatedAt, by: flag.updatedBy, reason: flag.reason };
}

export async function adminReadOnly() {
  return (await incidentState()).readOnly;
}

export interface AdminWriter {
  id: string;
  email: string;
}

/** Who an admin write is audited as. */
export type OperatorAuditActor = AuditActor & { type: "operator"; id: string; email: string };

/**
 * Every admin write path calls this before changing anything and audits with the actor it
 * returns. In incident mode writes answer 409 `read_only`, unless `breakGlassToken` is a live
 * break-glass session started by this same operator: then the actor carries the session id, so
 * each audit entry says it was written under break-glass. A token of another operator is
 * refused (403) rather than ignored: it was leaked or shared.
 */
export async function assertAdminWritable(
  operator: AdminWriter,
  breakGlassToken: string | null | undefined,
  now = new Date(),
): Promise<OperatorAuditActor> {
  const actor: OperatorAuditActor = { type: "operator", id: operator.id, email: operator.email };
  const state = await incidentState();
  if (!state.readOnly) return actor;
  const session = await checkBreakGlass(operator, breakGlassToken, now);
  if (!session) {
    const why = state.source === "env" ? "ADMIN_READ_ONLY=true" : "incident mode is on";
    throw new AppError("read_only", `The cockpit is read-only (${why}). Start a break-glass session to write.`);
  }
  return { ...actor, breakGlassSessionId: session.id };
}

/** The operator's live session for this token, null without a token, or an error for a bad one. */
async function checkBreakGlass(
  operator: AdminWriter,
  token: string | null | undefined,
  now: Date,
): Promise<BreakGlassSession | null> {
  if (!token) return null;
  const session = await findBreakGlassByToken(token);
  if (!session) throw new AppError("read_only", "The cockpit is read-only and this break-glass token is not valid.");
  if (session.operatorId !== operator.id)
    throw new AppError("forbidden", "This break-glass token was issued to another operator.");
  if (!breakGlassActive(session, now))
    throw new AppError("read_only", "The cockpit is read-only and this break-glass session has expired or ended.");
  return session;
}

/** For pages: whether this operator may write now, and the break-glass session that allows it. */
export async function cockpitWriteState(
  operatorId: string,
  breakGlassToken: string | null | undefined,
  now = new Date(),
) {
  const incident = await incidentState();
  const session = breakGlassToken ? await findBreakGlassByToken(breakGlassToken) : null;
  const breakGlass = session && session.operatorId === operatorId && breakGlassActive(session, now) ? session : null;
  return { incident, breakGlass, writable: !incident.readOnly || breakGlass !== null };
}

/** The break-glass token an API request carries (`X-Break-Glass-Token`). */
export function breakGlassTokenFrom(request: Request) {
  return request.headers.get(BREAK_GLASS_HEADER);
}
