import { and, asc, eq, sql } from "drizzle-orm";
import { db, type DbOrTx } from "@/db/client";
import { isUuid, withSystem, withTenant } from "@/db/tenant";
import { memberships, organizations, users } from "@/db/schema";
import type { CustomerActor, MemberActor, OrgContext } from "@/lib/context";
import { AppError } from "@/lib/http";
import type { PlanId } from "@/lib/plans";
import type { OrgRole } from "./permissions";

export interface OrgSummary {
  id: string;
  name: string;
  plan: PlanId;
  role: OrgRole;
}

/** Creates an org with `ownerUserId` as its owner; part of the caller's transaction. */
export async function createOrganizationWithOwner(
  tx: DbOrTx,
  input: { name: string; ownerUserId: string; plan?: PlanId },
) {
  const [org] = await tx
    .insert(organizations)
    .values({ name: input.name, plan: input.plan ?? "free" })
    .returning();
  await tx.insert(memberships).values({ orgId: org!.id, userId: input.ownerUserId, role: "owner" });
  return org!;
}

/** The org the context acts in (a member's, or an API key's). */
export async function getOrganization(ctx: OrgContext<CustomerActor>) {
  const { orgId } = ctx;
  const org = await ctx.transaction((tx) => tx.query.organizations.findFirst({ where: eq(organizations.id, orgId) }));
  if (!org) throw new AppError("not_found", "No such organisation.");
  return org;
}

/** Every org the user belongs to, oldest membership first (the default org). */
export async function listOrganizationsForUser(userId: string): Promise<OrgSummary[]> {
  return withSystem("accounts", (tx) =>
    tx
      .select({ id: organizations.id, name: organizations.name, plan: organizations.plan, role: memberships.role })
      .from(memberships)
      .innerJoin(organizations, eq(organizations.id, memberships.orgId))
      .where(eq(memberships.userId, userId))
      .orderBy(asc(memberships.createdAt)),
  );
}

export async function membershipOf(orgId: string, userId: string) {
  if (!isUuid(orgId) || !isUuid(userId)) return null;
  const rows = await withTenant(orgId, (tx) =>
    tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
      .limit(1),
  );
  return rows[0] ?? null;
}

export async function renameOrganization(ctx: OrgContext<MemberActor>, name: string) {
  const { orgId } = ctx;
  return ctx.transaction(async (tx) => {
    const [org] = await tx.update(organizations).set({ name }).where(eq(organizations.id, orgId)).returning();
    if (!org) throw new AppError("not_found", "No such organisation.");
    return org;
  });
}

export async function findUserByEmail(email: string) {
  // Matches the unique index on lower(email): finds mixed-case stored addresses, and uses the index.
  const rows = await db()
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`)
    .limit(1);
  return rows[0] ?? null;
}
