import { and, asc, eq, sql } from "drizzle-orm";
import { isUuid } from "@/db/tenant";
import type { Tx } from "@/db/client";
import { memberships, users } from "@/db/schema";
import type { MemberActor, OrgContext } from "@/lib/context";
import { AppError } from "@/lib/http";
import { assertCan } from "./actor";
import { assignableRoles, type OrgRole } from "./permissions";

export interface Member {
  id: string;
  userId: string;
  name: string | null;
  email: string;
  role: OrgRole;
  joinedAt: Date;
}

export async function listMembers(ctx: OrgContext<MemberActor>): Promise<Member[]> {
  assertCan(ctx.actor, "members:read");
  return ctx.transaction((tx) => orgMembers(tx, ctx.orgId));
}

/** The org's members, longest-standing first, in a transaction the caller already scoped to the org. */
export function orgMembers(tx: Tx, orgId: string): Promise<Member[]> {
  return tx
    .select({
      id: memberships.id,
      userId: users.id,
      name: users.name,
      email: users.email,
      role: memberships.role,
      joinedAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, orgId))
    .orderBy(asc(memberships.createdAt));
}

async function lockMembership(tx: Tx, orgId: string, membershipId: string) {
  if (!isUuid(membershipId)) throw new AppError("not_found", "No such member.");
  const rows = await tx
    .select()
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.id, membershipId)))
    .for("update");
  const row = rows[0];
  if (!row) throw new AppError("not_found", "No such member.");
  return row;
}

async function assertAnotherOwnerRemains(tx: Tx, orgId: string) {
  const [row] = await tx
    .select({ owners: sql<number>`count(*)::int` })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, "owner")));
  if ((row?.owners ?? 0) <= 1) throw new AppError("conflict", "An organisation must keep at least one owner.");
}

export async function updateMemberRole(ctx: OrgContext<MemberActor>, membershipId: string, role: OrgRole) {
  const { orgId, actor } = ctx;
  assertCan(actor, "members:update_role");
  return ctx.transaction(async (tx) => {
    const target = await lockMembership(tx, orgId, membershipId);
    const grantable = assignableRoles(actor.role);
    if (!grantable.includes(role) || !grantable.includes(target.role)) {
      throw new AppError("forbidden", `Your role (${actor.role}) cannot change this member to ${role}.`);
    }
    if (target.role === "owner" && role !== "owner") await assertAnotherOwnerRemains(tx, orgId);
    const [updated] = await tx.update(memberships).set({ role }).where(eq(memberships.id, target.id)).returning();
    return updated!;
  });
}

export async function removeMember(ctx: OrgContext<MemberActor>, membershipId: string) {
  const { orgId, actor } = ctx;
  return ctx.transaction(async (tx) => {
    const target = await lockMembership(tx, orgId, membershipId);
    const leaving = target.userId === actor.userId;
    if (!leaving) {
      assertCan(actor, "members:remove");
      if (!assignableRoles(actor.role).includes(target.role)) {
        throw new AppError("forbidden", `Your role (${actor.role}) cannot remove a ${target.role}.`);
      }
    }
    if (target.role === "owner") await assertAnotherOwnerRemains(tx, orgId);
    await tx.delete(memberships).where(eq(memberships.id, target.id));
    return { userId: target.userId };
  });
}
