import { randomUUID } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { db } from "@/db/client";
import { invitations, memberships, organizations, subscriptions } from "@/db/schema";
import type { PlanId } from "@/lib/plans";
import { syncOrgPlan } from "@/lib/billing";
import { appErrorOf } from "@/tests/app-error";
import { describeEachDatabase } from "@/tests/db";
import { acceptInvitation, inviteMember, revokeInvitation, seatUsage } from "./index";
import { makeOrg, makeUser, contextOf } from "@/tests/support/factories";

async function setPlan(orgId: string, plan: PlanId) {
  await db().update(organizations).set({ plan }).where(eq(organizations.id, orgId));
}

async function memberCount(orgId: string) {
  const [row] = await db()
    .select({ n: sql<number>`count(*)::int` })
    .from(memberships)
    .where(eq(memberships.orgId, orgId));
  return row!.n;
}

const email = () => `invitee-${randomUUID().slice(0, 8)}@seats.test`;

describeEachDatabase("seat limits", () => {
  it("a free org's owner uses its only seat: inviting answers 403 forbidden with the seats and the upgrade path, and stores nothing", async () => {
    const { orgId, owner } = await makeOrg("free");
    const error = await appErrorOf(inviteMember(contextOf(orgId, owner), { email: email(), role: "member" }));
    expect(error).toMatchObject({ code: "forbidden", status: 403 });
    expect(error.message).toBe(
      "All 1 seat of the Free plan are in use (1 member and 0 open invitations). Upgrade the plan, or remove a member or revoke an invitation, to invite someone.",
    );
    expect(error.extra).toMatchObject({
      seats: { plan: "free", limit: 1, members: 1, open_invitations: 0, used: 1 },
      upgrade_url: "/settings/billing",
    });
    expect(await db().select().from(invitations).where(eq(invitations.orgId, orgId))).toEqual([]);
    expect(await seatUsage(contextOf(orgId, owner))).toEqual({
      plan: "free",
      planName: "Free",
      limit: 1,
      members: 1,
      openInvitations: 0,
      used: 1,
      overLimit: false,
    });
  });

  it("open invitations hold seats; re-inviting the same address, revoking and expiry free them", async () => {
    const { orgId, owner } = await makeOrg("starter");
    const first = email();
    const a = await inviteMember(contextOf(orgId, owner), { email: first, role: "member" });
    await inviteMember(contextOf(orgId, owner), { email: email(), role: "viewer" });
    expect((await appErrorOf(inviteMember(contextOf(orgId, owner), { email: email(), role: "member" }))).code).toBe(
      "forbidden",
    );
    // The same address again replaces its invitation: no extra seat.
    const again = await inviteMember(contextOf(orgId, owner), { email: first, role: "admin" });
    await revokeInvitation(contextOf(orgId, owner), again.invitation.id);
    const third = await inviteMember(contextOf(orgId, owner), { email: email(), role: "member" });
    expect(third.invitation.id).not.toBe(a.invitation.id);
    // Eight days later the open invitations have expired and hold nothing.
    const later = new Date(Date.now() + 8 * 24 * 60 * 60 * 1000);
    expect(await seatUsage(contextOf(orgId, owner, later))).toMatchObject({ members: 1, openInvitations: 0, used: 1 });
    await inviteMember(contextOf(orgId, owner, later), { email: email(), role: "member" });
  });

  it("accepting re-checks: after a downgrade the invitee is told the org is full and the invitation stays open; an upgrade lets them in", async () => {
    const { orgId, owner } = await makeOrg("starter", "Full House");
    const address = email();
    const { token } = await inviteMember(contextOf(orgId, owner), { email: address, role: "member" });
    const invitee = await makeUser("invitee", address);
    await setPlan(orgId, "free");
    const error = await appErrorOf(acceptInvitation(token, invitee));
    expect(error).toMatchObject({ code: "forbidden" });
    expect(error.message).toBe(
      "Full House has no free seat: its Free plan allows 1 member. Ask an owner or admin of Full House to upgrade the plan or free a seat, then open this link again.",
    );
    expect(await memberCount(orgId)).toBe(1);
    const open = await db()
      .select()
      .from(invitations)
      .where(and(eq(invitations.orgId, orgId), isNull(invitations.acceptedAt)));
    expect(open).toHaveLength(1);
    await setPlan(orgId, "starter");
    expect(await acceptInvitation(token, invitee)).toEqual({ orgId, role: "member" });
    expect(await memberCount(orgId)).toBe(2);
  });

  it("two invitees racing for the last seat: exactly one joins", async () => {
    const { orgId, owner } = await makeOrg("pro");
    const [x, y] = [email(), email()];
    const tokens = [
      (await inviteMember(contextOf(orgId, owner), { email: x, role: "member" })).token,
      (await inviteMember(contextOf(orgId, owner), { email: y, role: "member" })).token,
    ];
    const people = [await makeUser("x", x), await makeUser("y", y)];
    // Starter allows 3: the owner, one more member, and one seat the two invitees race for.
    const extra = await makeUser("extra");
    await db().insert(memberships).values({ orgId, userId: extra.id, role: "member" });
    await setPlan(orgId, "starter");
    const results = await Promise.allSettled([
      acceptInvitation(tokens[0]!, people[0]!),
      acceptInvitation(tokens[1]!, people[1]!),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: "forbidden" });
    expect(await memberCount(orgId)).toBe(3);
  });

  it("a canceled subscription gets free limits; existing members are kept and the org shows over its limit", async () => {
    const { orgId, owner } = await makeOrg("pro");
    await inviteMember(contextOf(orgId, owner), { email: email(), role: "member" });
    const other = await makeUser("member");
    await db().insert(memberships).values({ orgId, userId: other.id, role: "member" });
    await db().transaction(async (tx) => {
      await tx
        .insert(subscriptions)
        .values({ orgId, stripeSubscriptionId: `sub_${randomUUID()}`, status: "canceled", plan: "pro" });
      await syncOrgPlan(tx, orgId, new Date());
    });
    expect(await seatUsage(contextOf(orgId, owner))).toEqual({
      plan: "free",
      planName: "Free",
      limit: 1,
      members: 2,
      openInvitations: 1,
      used: 3,
      overLimit: true,
    });
    expect(await memberCount(orgId)).toBe(2);
    expect((await appErrorOf(inviteMember(contextOf(orgId, owner), { email: email(), role: "member" }))).code).toBe(
      "forbidden",
    );
  });
});
