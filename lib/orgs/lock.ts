import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { organizations } from "@/db/schema";
import { AppError } from "@/lib/http";

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

/** lockOrganizationRow, 404 when the org does not exist. */
export async function lockOrganization(tx: Tx, orgId: string) {
  const org = await lockOrganizationRow(tx, orgId);
  if (!org) throw new AppError("not_found", "No such organisation.");
  return org;
}
