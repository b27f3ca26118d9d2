import { asc, eq, inArray } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { organizations } from "@/db/schema";
import { AppError } from "@/lib/http";
import type { PlanId } from "@/lib/plans";

/**
 * Takes the org row lock that decisions about the whole org serialise on (seats, data requests,
 * plan changes, an org's alerts and subscriptions) until `tx` ends, and reads the row; null when
 * the org does not exist.
 *
 * FOR NO KEY UPDATE, not FOR UPDATE: a row that references the org (a subscription, an alert)
 * takes a KEY SHARE lock on it when written, and FOR UPDATE waits for those. Two transactions that
 * each wrote such a row and then lock the org would deadlock; NO KEY UPDATE still excludes every
 * other locker here. Only deleting the org needs more, and the delete takes that lock itself.
 */
export async function lockOrganizationRow(tx: Tx, orgId: string) {
  const [org] = await tx
    .select({ id: organizations.id, name: organizations.name, plan: organizations.plan })
    .from(organizations)
    .where(eq(organizations.id, orgId))
    .for("no key update");
  return org ?? null;
}

/**
 * lockOrganizationRow for many orgs in one statement, locked in id order (two transactions locking
 * overlapping sets then queue instead of deadlocking). Answers the rows of the orgs that exist.
 */
export async function lockOrganizationRows(tx: Tx, orgIds: readonly string[]) {
  if (orgIds.length === 0) return new Map<string, { id: string; name: string; plan: PlanId }>();
  const rows = await tx
    .select({ id: organizations.id, name: organizations.name, plan: organizations.plan })
    .from(organizations)
    .where(inArray(organizations.id, [...new Set(orgIds)]))
    .orderBy(asc(organizations.id))
    .for("no key update");
  return new Map(rows.map((row) => [row.id, row]));
}

/** lockOrganizationRow, 404 when the org does not exist. */
export async function lockOrganization(tx: Tx, orgId: string) {
  const org = await lockOrganizationRow(tx, orgId);
  if (!org) throw new AppError("not_found", "No such organisation.");
  return org;
}
