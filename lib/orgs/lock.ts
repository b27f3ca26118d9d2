import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { organizations } from "@/db/schema";
import { AppError } from "@/lib/http";

/**
 * Takes the org row lock that decisions about the whole org serialise on (seats, data requests,
 * deletion, plan changes) until `tx` ends; 404 when the org does not exist.
 */
export async function lockOrganization(tx: Tx, orgId: string) {
  const [org] = await tx
    .select({ id: organizations.id, name: organizations.name })
    .from(organizations)
    .where(eq(organizations.id, orgId))
    .for("update");
  if (!org) throw new AppError("not_found", "No such organisation.");
  return org;
}
