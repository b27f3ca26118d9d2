import { and, asc, eq, inArray, isNotNull, or } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { alerts, organizations } from "@/db/schema";
import { entitlementsFor, type Entitlements, type PlanId } from "@/lib/plans";
import type { AlertFrequency, AlertPauseReason } from "./rules";

export interface AllowanceCandidate {
  id: string;
  frequency: AlertFrequency;
  createdAt: Date;
}

/**
 * Which of an org's member-active alerts its plan covers: instant ones only where the plan
 * includes them, and of the rest the OLDEST `maxAlerts` (by created_at, then id), so the choice
 * is the same on every run and an upgrade or a reactivation resumes exactly what was held.
 * Every candidate gets an entry: null = covered, else why it is held.
 */
export function planPauses(
  candidates: readonly AllowanceCandidate[],
  allowance: Pick<Entitlements, "maxAlerts" | "instantAlerts">,
): Map<string, AlertPauseReason | null> {
  const ordered = [...candidates].sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const decided = new Map<string, AlertPauseReason | null>();
  let covered = 0;
  for (const alert of ordered) {
    if (alert.frequency === "instant" && !allowance.instantAlerts) decided.set(alert.id, "plan_excludes_instant");
    else if (covered >= allowance.maxAlerts) decided.set(alert.id, "plan_limit");
    else {
      decided.set(alert.id, null);
      covered++;
    }
  }
  return decided;
}

/** The entitlements of each org, from its plan as billing last decided it. */
export async function orgEntitlements(tx: Tx, orgIds: readonly string[]): Promise<Map<string, Entitlements>> {
  const plans = await orgPlans(tx, orgIds);
  return new Map([...plans].map(([id, plan]) => [id, entitlementsFor({ plan })]));
}

/** Each existing org's plan, as billing last decided it. */
async function orgPlans(tx: Tx, orgIds: readonly string[]): Promise<Map<string, PlanId>> {
  if (orgIds.length === 0) return new Map();
  const rows = await tx
    .select({ id: organizations.id, plan: organizations.plan })
    .from(organizations)
    .where(inArray(organizations.id, [...new Set(orgIds)]));
  return new Map(rows.map((row) => [row.id, row.plan]));
}

/**
 * The pause reason every member-active alert of these orgs should have now (null = the plan
 * covers it). Read at send time too, so a digest never goes out for an alert the plan does not
 * cover, whatever the stored `paused_reason` says.
 */
export async function decidePlanPauses(
  tx: Tx,
  orgIds: readonly string[],
): Promise<Map<string, AlertPauseReason | null>> {
  const plans = await orgEntitlements(tx, orgIds);
  if (plans.size === 0) return new Map();
  const active = await tx
    .select({ id: alerts.id, orgId: alerts.orgId, frequency: alerts.frequency, createdAt: alerts.createdAt })
    .from(alerts)
    .where(and(inArray(alerts.orgId, [...plans.keys()]), eq(alerts.active, true)));
  const decided = new Map<string, AlertPauseReason | null>();
  for (const [orgId, allowance] of plans) {
    for (const [id, reason] of planPauses(
      active.filter((a) => a.orgId === orgId),
      allowance,
    ))
      decided.set(id, reason);
  }
  return decided;
}

/**
 * Brings one org's stored pause reasons in line with its plan: alerts beyond the plan are held
 * with the reason, held alerts the plan covers again resume with a fresh window (like a member's
 * resume, nothing that arrived while held is e-mailed), and an alert the member paused carries no
 * plan reason (one its recipient unsubscribed keeps `unsubscribed`). Run in the transaction that changes the plan or the org's alerts.
 */
export async function applyPlanToAlerts(
  tx: Tx,
  orgId: string,
  now: Date,
  /** The org's plan, when the caller has just decided it (else it is read). */
  plan?: PlanId,
): Promise<{ held: number; resumed: number }> {
  return applyPlansToAlerts(tx, new Map([[orgId, plan]]), now);
}

/**
 * applyPlanToAlerts for many orgs at once, each to the plan given (a billing transaction that
 * decided several orgs' plans), or to its stored plan where none is: the same statements as for
 * one org, whatever their number.
 */
export async function applyPlansToAlerts(
  tx: Tx,
  plans: ReadonlyMap<string, PlanId | undefined>,
  now: Date,
): Promise<{ held: number; resumed: number }> {
  if (plans.size === 0) return { held: 0, resumed: 0 };
  // Locked in id order, like the digest's claim, so the two never deadlock. The member-active
  // ones among them are what the plan decides on (decidePlanPauses reads the same, unlocked).
  const stored = await tx
    .select({
      id: alerts.id,
      orgId: alerts.orgId,
      active: alerts.active,
      pausedReason: alerts.pausedReason,
      frequency: alerts.frequency,
      createdAt: alerts.createdAt,
    })
    .from(alerts)
    .where(and(inArray(alerts.orgId, [...plans.keys()]), or(eq(alerts.active, true), isNotNull(alerts.pausedReason))))
    .orderBy(asc(alerts.id))
    .for("update");
  // Most orgs a billing event touches have no alert to hold or resume: no need to ask the plan.
  if (stored.length === 0) return { held: 0, resumed: 0 };
  const unknown = [...plans].filter(([, plan]) => !plan).map(([orgId]) => orgId);
  const stillStored = unknown.length > 0 ? await orgPlans(tx, unknown) : new Map<string, PlanId>();
  const decided = new Map<string, AlertPauseReason | null>();
  for (const [orgId, given] of plans) {
    const plan = given ?? stillStored.get(orgId);
    if (!plan) continue;
    const active = stored.filter((row) => row.orgId === orgId && row.active);
    for (const [id, reason] of planPauses(active, entitlementsFor({ plan }))) decided.set(id, reason);
  }
  const changes = new Map<AlertPauseReason | null, string[]>();
  for (const row of stored) {
    // An unsubscribed alert keeps saying why it is off until a member resumes it.
    const wanted = row.active
      ? (decided.get(row.id) ?? null)
      : row.pausedReason === "unsubscribed"
        ? "unsubscribed"
        : null;
    if (wanted === row.pausedReason) continue;
    changes.set(wanted, [...(changes.get(wanted) ?? []), row.id]);
  }
  let held = 0;
  let resumed = 0;
  for (const [reason, ids] of changes) {
    if (reason) {
      await tx.update(alerts).set({ pausedReason: reason, updatedAt: now }).where(inArray(alerts.id, ids));
      held += ids.length;
    } else {
      const resuming = stored.filter((row) => row.active && ids.includes(row.id)).map((row) => row.id);
      await tx.update(alerts).set({ pausedReason: null, updatedAt: now }).where(inArray(alerts.id, ids));
      if (resuming.length > 0) await tx.update(alerts).set({ lastWindowEnd: now }).where(inArray(alerts.id, resuming));
      resumed += resuming.length;
    }
  }
  return { held, resumed };
}
