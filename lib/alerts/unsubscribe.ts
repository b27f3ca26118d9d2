import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { and, asc, eq, inArray } from "drizzle-orm";
import { alerts } from "@/db/schema";
import { isUuid, withTenant } from "@/db/tenant";
import { recordAudit } from "@/lib/audit";
import { appUrl, authSecret } from "@/lib/env";
import { AppError } from "@/lib/http";
import { applyPlanToAlerts } from "./plan-allowance";
import { lockOrganizationRow } from "@/lib/orgs";

/**
 * One-click unsubscribe (RFC 8058) from alerts. The link's token is `u1.<org>.<alert>[~<alert>…].<mac>`:
 * an HMAC of the ids under a key derived from AUTH_SECRET, so it is unguessable, bound to exactly
 * those alerts (one for an alert's own e-mail, every alert of a daily summary for its header), and never stored (the e-mail's record shows the link hidden; the outbox row keeps it
 * sealed until delivered). The org id in it lets the pause run in that org's tenant transaction.
 */
const VERSION = "u1";

function key() {
  return Buffer.from(hkdfSync("sha256", authSecret(), "beacon-alerts", "alert-unsubscribe:v1", 32));
}

/** A summary lists at most this many alerts in one token (a digest run's summaries stay far below it). */
const MAX_TOKEN_ALERTS = 50;

function macOf(orgId: string, ids: string) {
  return createHmac("sha256", key()).update(`${VERSION}:${orgId}:${ids}`).digest();
}

export function unsubscribeToken(orgId: string, alertIds: string | readonly string[]): string {
  const ids = (typeof alertIds === "string" ? [alertIds] : alertIds).join("~");
  return [VERSION, orgId, ids, macOf(orgId, ids).toString("base64url")].join(".");
}

export function unsubscribeUrl(
  orgId: string,
  alertIds: string | readonly string[],
  baseUrl: string = appUrl(),
): string {
  return `${baseUrl.replace(/\/+$/, "")}/api/unsubscribe/${unsubscribeToken(orgId, alertIds)}`;
}

const invalid = () =>
  new AppError("not_found", "This unsubscribe link is not valid. Manage your alerts on the Alerts page instead.");

/** The alerts a token names, or a 404 for anything not minted by `unsubscribeToken`. */
function verify(token: string): { orgId: string; alertIds: string[] } {
  const [version, orgId, ids, mac, ...rest] = token.split(".");
  if (version !== VERSION || rest.length > 0 || !orgId || !ids || !mac) throw invalid();
  const alertIds = ids.split("~");
  if (!isUuid(orgId) || alertIds.length > MAX_TOKEN_ALERTS || !alertIds.every(isUuid)) throw invalid();
  const given = Buffer.from(mac, "base64url");
  const expected = macOf(orgId, ids);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  return { orgId, alertIds: [...new Set(alertIds)] };
}

export interface UnsubscribeTarget {
  alerts: { id: string; name: string }[];
  /** Every one is already off (unsubscribed or paused by a member): the POST changes nothing. */
  paused: boolean;
}

/** What the confirmation page shows (a GET: mail scanners prefetch links, so it changes nothing). */
export async function describeUnsubscribe(token: string): Promise<UnsubscribeTarget> {
  const { orgId, alertIds } = verify(token);
  const rows = await withTenant(orgId, (tx) =>
    tx
      .select({ id: alerts.id, name: alerts.name, active: alerts.active })
      .from(alerts)
      .where(and(eq(alerts.orgId, orgId), inArray(alerts.id, alertIds)))
      .orderBy(asc(alerts.name), asc(alerts.id)),
  );
  if (rows.length === 0) throw invalid();
  return { alerts: rows.map(({ id, name }) => ({ id, name })), paused: rows.every((r) => !r.active) };
}

/**
 * Switches the token's alerts off (those that still exist) with `paused_reason = unsubscribed`, without sign-in: the valid link is
 * the credential. Idempotent: an alert already off stays as it is and is not audited twice. A
 * member resumes it on the alerts page (a fresh window: nothing sent while it was off).
 */
export async function unsubscribeAlert(token: string, now = new Date()): Promise<UnsubscribeTarget> {
  const { orgId, alertIds } = verify(token);
  return withTenant(orgId, async (tx) => {
    // Org first, then the alert: the lock order of every change to an org's alerts and of billing.
    await lockOrganizationRow(tx, orgId);
    const current = await tx
      .select({ id: alerts.id, name: alerts.name, active: alerts.active, deliveryEmail: alerts.deliveryEmail })
      .from(alerts)
      .where(and(eq(alerts.orgId, orgId), inArray(alerts.id, alertIds)))
      .orderBy(asc(alerts.id))
      .for("update");
    if (current.length === 0) throw invalid();
    const turningOff = current.filter((row) => row.active);
    if (turningOff.length > 0) {
      await tx
        .update(alerts)
        .set({ active: false, pausedReason: "unsubscribed", updatedAt: now })
        .where(
          and(
            eq(alerts.orgId, orgId),
            inArray(
              alerts.id,
              turningOff.map((row) => row.id),
            ),
          ),
        );
      // Switching some off can let alerts the plan held run.
      await applyPlanToAlerts(tx, orgId, now);
      for (const row of turningOff)
        await recordAudit(tx, {
          actor: { type: "system", id: null, email: row.deliveryEmail },
          action: "alert.unsubscribed",
          orgId,
          target: { type: "alert", id: row.id },
          before: { active: true },
          after: { active: false, paused_reason: "unsubscribed" },
          reason: "one-click unsubscribe link in the alert's e-mail",
          at: now,
        });
    }
    return {
      alerts: current.map(({ id, name }) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
      paused: true,
    };
  });
}
