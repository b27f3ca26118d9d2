import { randomUUID } from "node:crypto";
import { beforeAll, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { invitations, memberships, outboxEvents, users } from "@/db/schema";
import { AppError, type ProblemCode } from "@/lib/http";
import { latestEmailTo } from "@/lib/mail";
import {
  INVITATION_TTL_MS,
  acceptInvitation,
  createOrganizationWithOwner,
  describeInvitation,
  inviteMember,
  listMembers,
  listOpenInvitations,
  listOrganizationsForUser,
  removeMember,
  revokeInvitation,
  sha256,
  updateMemberRole,
  type OrgActor,
  type OrgRole,
} from "@/lib/orgs";
import { describeEachDatabase } from "@/tests/db";
import { appErrorOf } from "@/tests/app-error";
import { HIDDEN_LINK } from "@/lib/outbox";
import { smtpMailboxForTests } from "@/tests/support/mailbox";
import { makeUser, contextOf } from "@/tests/support/factories";

const mailbox = smtpMailboxForTests();

async function code(promise: Promise<unknown>): Promise<ProblemCode> {
  return (await appErrorOf(promise)).code;
}

describeEachDatabase("organisations, members and invitations", () => {
  let orgA = "";
  let orgB = "";
  let ownerA: OrgActor;
  let ownerB: OrgActor;

  /** A new user with `role` in `orgId`: their actor and membership id. */
  async function member(orgId: string, role: OrgRole) {
    const user = await makeUser(role);
    const [m] = await db().insert(memberships).values({ orgId, userId: user.id, role }).returning();
    return { user, actor: { userId: user.id, role } as OrgActor, membershipId: m!.id };
  }

  beforeAll(async () => {
    const a = await makeUser("owner-a");
    const b = await makeUser("owner-b");
    // Enterprise: these tests add many members; seat limits have their own tests (seats.test.ts).
    orgA = (await createOrganizationWithOwner(db(), { name: "Acme", ownerUserId: a.id, plan: "enterprise" })).id;
    orgB = (await createOrganizationWithOwner(db(), { name: "Bravo", ownerUserId: b.id, plan: "pro" })).id;
    ownerA = { userId: a.id, role: "owner" };
    ownerB = { userId: b.id, role: "owner" };
  });

  it("createOrganizationWithOwner makes the org and its owner membership", async () => {
    const user = await makeUser("founder");
    const org = await db().transaction((tx) =>
      createOrganizationWithOwner(tx, { name: "Founders", ownerUserId: user.id }),
    );
    expect(org).toMatchObject({ name: "Founders", plan: "free" });
    expect(await listOrganizationsForUser(user.id)).toEqual([
      { id: org.id, name: "Founders", plan: "free", role: "owner" },
    ]);
    const rows = await db().select().from(memberships).where(eq(memberships.orgId, org.id));
    expect(rows.map((r) => [r.userId, r.role])).toEqual([[user.id, "owner"]]);
  });

  it("listMembers shows the org's members only, to any role", async () => {
    const viewer = await member(orgA, "viewer");
    const list = await listMembers(contextOf(orgA, viewer.actor));
    expect(list.map((m) => m.userId)).toEqual(expect.arrayContaining([ownerA.userId, viewer.user.id]));
    expect(list.map((m) => m.userId)).not.toContain(ownerB.userId);
    expect(list.find((m) => m.userId === viewer.user.id)).toMatchObject({
      id: viewer.membershipId,
      email: viewer.user.email,
      role: "viewer",
    });
    expect((await listMembers(contextOf(orgB, ownerB))).map((m) => m.userId)).toEqual([ownerB.userId]);
  });

  it("updateMemberRole: owners change roles; admins cannot make or unmake owners; others cannot at all", async () => {
    const admin = await member(orgA, "admin");
    const target = await member(orgA, "member");
    expect((await updateMemberRole(contextOf(orgA, ownerA), target.membershipId, "billing")).role).toBe("billing");
    expect((await updateMemberRole(contextOf(orgA, admin.actor), target.membershipId, "viewer")).role).toBe("viewer");
    expect(await code(updateMemberRole(contextOf(orgA, admin.actor), target.membershipId, "owner"))).toBe("forbidden");
    const ownerMembership = (await listMembers(contextOf(orgA, ownerA))).find((m) => m.userId === ownerA.userId)!.id;
    expect(await code(updateMemberRole(contextOf(orgA, admin.actor), ownerMembership, "admin"))).toBe("forbidden");
    expect(await code(updateMemberRole(contextOf(orgA, target.actor), admin.membershipId, "viewer"))).toBe("forbidden");
    const [row] = await db().select().from(memberships).where(eq(memberships.id, target.membershipId));
    expect(row!.role).toBe("viewer");
  });

  it("updateMemberRole: the last owner cannot be demoted; with two owners one can", async () => {
    const ownerMembership = (await listMembers(contextOf(orgA, ownerA))).find((m) => m.userId === ownerA.userId)!.id;
    expect(await code(updateMemberRole(contextOf(orgA, ownerA), ownerMembership, "admin"))).toBe("conflict");
    const second = await member(orgA, "owner");
    expect((await updateMemberRole(contextOf(orgA, ownerA), second.membershipId, "admin")).role).toBe("admin");
    expect(await code(updateMemberRole(contextOf(orgA, ownerA), ownerMembership, "member"))).toBe("conflict");
  });

  it("updateMemberRole: a foreign or malformed membership id is not_found", async () => {
    const foreign = await member(orgB, "member");
    expect(await code(updateMemberRole(contextOf(orgA, ownerA), foreign.membershipId, "viewer"))).toBe("not_found");
    expect(await code(updateMemberRole(contextOf(orgA, ownerA), "not-a-uuid", "viewer"))).toBe("not_found");
    expect(await code(updateMemberRole(contextOf(orgA, ownerA), randomUUID(), "viewer"))).toBe("not_found");
    const [row] = await db().select().from(memberships).where(eq(memberships.id, foreign.membershipId));
    expect(row!.role).toBe("member");
  });

  it("removeMember: members cannot remove others, anyone can leave, the last owner cannot", async () => {
    const a = await member(orgA, "member");
    const b = await member(orgA, "viewer");
    expect(await code(removeMember(contextOf(orgA, a.actor), b.membershipId))).toBe("forbidden");
    expect(await removeMember(contextOf(orgA, b.actor), b.membershipId)).toEqual({ userId: b.user.id });
    expect(await removeMember(contextOf(orgA, ownerA), a.membershipId)).toEqual({ userId: a.user.id });
    const remaining = (await listMembers(contextOf(orgA, ownerA))).map((m) => m.userId);
    expect(remaining).not.toContain(a.user.id);
    expect(remaining).not.toContain(b.user.id);

    const admin = await member(orgA, "admin");
    const ownerMembership = (await listMembers(contextOf(orgA, ownerA))).find((m) => m.userId === ownerA.userId)!.id;
    expect(await code(removeMember(contextOf(orgA, admin.actor), ownerMembership))).toBe("forbidden");
    expect(await code(removeMember(contextOf(orgA, ownerA), ownerMembership))).toBe("conflict");
    const ownerBMembership = (await listMembers(contextOf(orgB, ownerB)))[0]!.id;
    expect(await code(removeMember(contextOf(orgA, ownerA), ownerBMembership))).toBe("not_found");
    expect(await code(removeMember(contextOf(orgA, ownerA), "1; drop table memberships"))).toBe("not_found");
    expect((await listMembers(contextOf(orgB, ownerB))).map((m) => m.userId)).toContain(ownerB.userId);
  });

  it("inviteMember stores only the token's hash and e-mails the link", async () => {
    const email = `New.Person-${randomUUID().slice(0, 6)}@Orgs.Test`;
    const { invitation, token, url } = await inviteMember(contextOf(orgA, ownerA), { email, role: "member" });
    expect(url).toContain(`/invitations/${token}`);
    expect(invitation.email).toBe(email.toLowerCase());
    const [row] = await db().select().from(invitations).where(eq(invitations.id, invitation.id));
    expect(row!.tokenHash).toBe(sha256(token));
    expect(JSON.stringify(await db().select().from(invitations))).not.toContain(token);
    const mail = await latestEmailTo(email, "invitation");
    expect(mail).toMatchObject({ orgId: orgA, toAddress: email.toLowerCase(), sensitive: true });
    // The invitee receives the link; the record keeps it hidden.
    expect(mail!.textBody).not.toContain(token);
    expect(mail!.textBody).toContain(HIDDEN_LINK);
    expect(mailbox.latest(email, "invitation").text).toContain(url);
    expect(mail!.subject).toContain("Acme");
    // Enqueued with the invitation, in the org's namespace, and delivered at once.
    const [queued] = await db().select().from(outboxEvents).where(eq(outboxEvents.id, mail!.id));
    expect(queued).toMatchObject({ orgId: orgA, dedupeKey: `invitation:${invitation.id}`, status: "delivered" });
  });

  it("re-inviting an address revokes its open invitation", async () => {
    const email = `again-${randomUUID().slice(0, 6)}@orgs.test`;
    const first = await inviteMember(contextOf(orgA, ownerA), { email, role: "viewer" });
    const second = await inviteMember(contextOf(orgA, ownerA), { email: email.toUpperCase(), role: "member" });
    const [old] = await db().select().from(invitations).where(eq(invitations.id, first.invitation.id));
    expect(old!.revokedAt).not.toBeNull();
    expect(await code(describeInvitation(first.token))).toBe("not_found");
    expect((await describeInvitation(second.token)).role).toBe("member");
    expect((await listOpenInvitations(contextOf(orgA, ownerA))).filter((i) => i.email === email)).toHaveLength(1);
  });

  it("only owners and admins invite, and admins cannot invite owners", async () => {
    const viewer = await member(orgA, "viewer");
    const plain = await member(orgA, "member");
    const admin = await member(orgA, "admin");
    const email = `x-${randomUUID().slice(0, 6)}@orgs.test`;
    expect(await code(inviteMember(contextOf(orgA, viewer.actor), { email, role: "viewer" }))).toBe("forbidden");
    expect(await code(inviteMember(contextOf(orgA, plain.actor), { email, role: "viewer" }))).toBe("forbidden");
    expect(await code(inviteMember(contextOf(orgA, admin.actor), { email, role: "owner" }))).toBe("forbidden");
    expect(await latestEmailTo(email)).toBeNull();
    expect((await inviteMember(contextOf(orgA, admin.actor), { email, role: "admin" })).invitation.role).toBe("admin");
    expect(await code(inviteMember(contextOf(orgA, ownerA), { email: plain.user.email, role: "admin" }))).toBe(
      "conflict",
    );
    // Also when the member's stored address has capitals.
    await db()
      .update(users)
      .set({ email: plain.user.email.replace("member-", "Member-") })
      .where(eq(users.id, plain.user.id));
    expect(await code(inviteMember(contextOf(orgA, ownerA), { email: plain.user.email, role: "admin" }))).toBe(
      "conflict",
    );
  });

  it("acceptInvitation: the invited address joins with the invited role, once", async () => {
    const invitee = await makeUser("invitee");
    const { invitation, token } = await inviteMember(contextOf(orgA, ownerA), {
      email: invitee.email,
      role: "billing",
    });
    expect(await describeInvitation(token)).toMatchObject({
      id: invitation.id,
      email: invitee.email,
      role: "billing",
      orgId: orgA,
      orgName: "Acme",
    });
    const result = await acceptInvitation(token, { id: invitee.id, email: invitee.email.toUpperCase() });
    expect(result).toEqual({ orgId: orgA, role: "billing" });
    expect((await listOrganizationsForUser(invitee.id)).map((o) => [o.id, o.role])).toEqual([[orgA, "billing"]]);
    const [row] = await db().select().from(invitations).where(eq(invitations.id, invitation.id));
    expect(row!.acceptedAt).not.toBeNull();
    expect(row!.acceptedBy).toBe(invitee.id);
    const [user] = await db().select().from(users).where(eq(users.id, invitee.id));
    expect(user!.emailVerified).not.toBeNull();
    expect(await code(acceptInvitation(token, invitee))).toBe("not_found");
    expect(await code(describeInvitation(token))).toBe("not_found");
  });

  it("acceptInvitation: expired → not_found, another address → forbidden, unknown → not_found", async () => {
    const invitee = await makeUser("late");
    const stranger = await makeUser("stranger");
    const { token } = await inviteMember(contextOf(orgA, ownerA), { email: invitee.email, role: "member" });
    const later = new Date(Date.now() + INVITATION_TTL_MS + 60_000);
    expect(await code(describeInvitation(token, later))).toBe("not_found");
    expect(await code(acceptInvitation(token, invitee, later))).toBe("not_found");
    expect(await code(acceptInvitation(token, stranger))).toBe("forbidden");
    expect(await code(acceptInvitation("no-such-token", invitee))).toBe("not_found");
    expect(await listOrganizationsForUser(stranger.id)).toEqual([]);
    // Still open for the right person.
    expect((await acceptInvitation(token, invitee)).orgId).toBe(orgA);
  });

  it("two concurrent accepts of one link: exactly one succeeds", async () => {
    const invitee = await makeUser("racer");
    const { token } = await inviteMember(contextOf(orgA, ownerA), { email: invitee.email, role: "viewer" });
    const results = await Promise.allSettled([acceptInvitation(token, invitee), acceptInvitation(token, invitee)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(AppError);
    // not_found, not conflict: the claim itself lost, not merely the membership insert.
    expect((rejected.reason as AppError).code).toBe("not_found");
    const rows = await db().select().from(memberships).where(eq(memberships.userId, invitee.id));
    expect(rows).toHaveLength(1);
  });

  it("revokeInvitation: own open invitation only; another org's id is not_found", async () => {
    const inB = await inviteMember(contextOf(orgB, ownerB), {
      email: `b-${randomUUID().slice(0, 6)}@orgs.test`,
      role: "member",
    });
    expect(await code(revokeInvitation(contextOf(orgA, ownerA), inB.invitation.id))).toBe("not_found");
    expect(await code(revokeInvitation(contextOf(orgA, ownerA), "nope"))).toBe("not_found");
    expect((await describeInvitation(inB.token)).orgId).toBe(orgB);
    const viewer = await member(orgB, "viewer");
    expect(await code(revokeInvitation(contextOf(orgB, viewer.actor), inB.invitation.id))).toBe("forbidden");
    await revokeInvitation(contextOf(orgB, ownerB), inB.invitation.id);
    expect(await code(describeInvitation(inB.token))).toBe("not_found");
    expect(await code(revokeInvitation(contextOf(orgB, ownerB), inB.invitation.id))).toBe("not_found");
  });

  it("tenancy: every function given org A and an id from org B answers not_found and changes nothing", async () => {
    const bMember = await member(orgB, "member");
    const bInvite = await inviteMember(contextOf(orgB, ownerB), {
      email: `t-${randomUUID().slice(0, 6)}@orgs.test`,
      role: "viewer",
    });
    expect(await code(updateMemberRole(contextOf(orgA, ownerA), bMember.membershipId, "admin"))).toBe("not_found");
    expect(await code(removeMember(contextOf(orgA, ownerA), bMember.membershipId))).toBe("not_found");
    expect(await code(revokeInvitation(contextOf(orgA, ownerA), bInvite.invitation.id))).toBe("not_found");
    expect((await listOpenInvitations(contextOf(orgA, ownerA))).map((i) => i.id)).not.toContain(bInvite.invitation.id);
    expect((await listMembers(contextOf(orgA, ownerA))).map((m) => m.id)).not.toContain(bMember.membershipId);
    const [row] = await db().select().from(memberships).where(eq(memberships.id, bMember.membershipId));
    expect(row!.role).toBe("member");
    expect((await describeInvitation(bInvite.token)).orgId).toBe(orgB);
  });
});
