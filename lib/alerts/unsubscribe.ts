import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { alerts, organizations } from "@/db/schema";
import { isUuid, withTenant } from "@/db/tenant";
import { recordAudit } from "@/lib/audit";
import { appUrl, authSecret } from "@/lib/env";
import { AppError } from "@/lib/http";
import { applyPlanToAlerts } from "./plan-allowance";

/**
 * One-click unsubscribe (RFC 8058) for one alert. The link's token is `<org>.<alert>.<mac>`: an
 * HMAC of the ids under a key derived from AUTH_SECRET, so it is unguessable, bound to that one
 * alert, and never stored (the e-mail's record shows the link hidden; the outbox row keeps it
 * sealed until delivered). The org id in it lets the pause run in that org's tenant transaction.
 */
const VERSION = "u1";

function key() {
  return Buffer.from(hkdfSync("sha256", authSecret(), "beacon-alerts", "alert-unsubscribe:v1", 32));
}

function macOf(orgId: string, alertId: string) {
  return createHmac("sha256", key()).update(`${VERSION}:${orgId}:${alertId}`).digest();
}

export function unsubscribeToken(orgId: string, alertId: string): string {
  return [VERSION, orgId, alertId, macOf(orgId, alertId).toString("base64url")].join(".");
}

export function unsubscribeUrl(orgId: string, alertId: string, baseUrl: string = appUrl()): string {
  return `${baseUrl.replace(/\/+$/, "")}/api/unsubscribe/${unsubscribeToken(orgId, alertId)}`;
}

const invalid = () =>
  new AppError("not_found", "This unsubscribe link is not valid. Manage your alerts on the Alerts page instead.");

/** The alert a token names, or a 404 for anything not minted by `unsubscribeToken`. */
function verify(token: string): { orgId: string; alertId: string } {
  const [version, orgId, alertId, mac, ...rest] = token.split(".");
  if (version !== VERSION || rest.length > 0 || !orgId || !alertId || !mac) throw invalid();
  if (!isUuid(orgId) || !isUuid(alertId)) throw invalid();
  const given = Buffer.from(mac, "base64url");
  const expected = macOf(orgId, alertId);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  return { orgId, alertId };
}

export interface UnsubscribeTarget {
  alertId: string;
  name: string;
  /** Already unsubscribed (or paused by a member): the POST changes nothing. */
  paused: boolean;
}

/** What the confirmation page shows (a GET: mail scanners prefetch links, so it changes nothing). */
export async function describeUnsubscribe(token: string): Promise<UnsubscribeTarget> {
  const { orgId, alertId } = verify(token);
  const [row] = await withTenant(orgId, (tx) =>
    tx
      .select({ name: alerts.name, active: alerts.active })
      .from(alerts)
      .where(and(eq(alerts.orgId, orgId), eq(alerts.id, alertId))),
  );
  if (!row) throw invalid();
  return { alertId, name: row.name, paused: !row.active };
}

/**
 * Switches the alert off with `paused_reason = unsubscribed`, without sign-in: the valid link is
 * the credential. Idempotent: an alert already off stays as it is and is not audited twice. A
 * member resumes it on the alerts page (a fresh window: nothing sent while it was off).
 */
export async function unsubscribeAlert(token: string, now = new Date()): Promise<UnsubscribeTarget> {
  const { orgId, alertId } = verify(token);
  return withTenant(orgId, async (tx) => {
    // Org first, then the alert: the lock order of every change to an org's alerts and of billing.
    await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, orgId)).for("update");
    const [current] = await tx
      .select({ name: alerts.name, active: alerts.active, deliveryEmail: alerts.deliveryEmail })
      .from(alerts)
      .where(and(eq(alerts.orgId, orgId), eq(alerts.id, alertId)))
      .for("update");
    if (!current) throw invalid();
    if (!current.active) return { alertId, name: current.name, paused: true };
    await tx
      .update(alerts)
      .set({ active: false, pausedReason: "unsubscribed", updatedAt: now })
      .where(and(eq(alerts.orgId, orgId), eq(alerts.id, alertId)));
    // Switching one off can let an alert the plan held run.
    await applyPlanToAlerts(tx, orgId, now);
    await recordAudit(tx, {
      actor: { type: "system", id: null, email: current.deliveryEmail },
      action: "alert.unsubscribed",
      orgId,
      target: { type: "alert", id: alertId },
      before: { active: true },
      after: { active: false, paused_reason: "unsubscribed" },
      reason: "one-click unsubscribe link in the alert's e-mail",
      at: now,
    });
    return { alertId, name: current.name, paused: true };
  });
}
