import { and, eq, inArray } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { memberships, users } from "@/db/schema";

/** Owners and billing members: the people who can fix a card or change the plan. */
export function billingContacts(tx: Tx, orgId: string) {
  return tx
    .select({ userId: users.id, email: users.email, name: users.name })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), inArray(memberships.role, ["owner", "billing"])));
}
