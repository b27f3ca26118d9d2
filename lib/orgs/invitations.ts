import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { isUuid, withSystem } from "@/db/tenant";
import { invitations, memberships, organizations, users } from "@/db/schema";
import type { MemberActor, OrgContext } from "@/lib/context";
import { appUrl } from "@/lib/env";
import { AppError } from "@/lib/http";
import { deliverOutboxNow, enqueueOutbox } from "@/lib/outbox";
import { assertCan } from "./actor";
import { assignableRoles, type OrgRole } from "./permissions";
import { openInvitationAt, unusedInvitation } from "./invitation-state";
import { lockOrganization } from "./lock";
import { assertSeatForInvitation, assertSeatsAfterJoin } from "./seats";
import { randomToken, sha256 } from "./tokens";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function invitationUrl(token: string) {
  return `${appUrl()}/invitations/${token}`;
}

export async function listOpenInvitations(ctx: OrgContext<MemberActor>) {
  const { orgId } = ctx;
  assertCan(ctx.actor, "members:read");
  const now = ctx.now();
  return ctx.transaction((tx) =>
    tx
      .select({
        id: invitations.id,
        email: invitations.email,
        role: invitations.role,
        expiresAt: invitations.expiresAt,
        createdAt: invitations.createdAt,
      })
      .from(invitations)
      .where(and(eq(invitations.orgId, orgId), openInvitationAt(now)))
      .orderBy(desc(invitations.createdAt)),
  );
}

/**
 * Invites `email` with `role`. The token is returned once (for the e-mail and the inviter's
 * "copy link"); only its hash is stored. Re-inviting an address replaces its open invitation.
 */
export async function inviteMember(ctx: OrgContext<MemberActor>, input: { email: string; role: OrgRole }) {
  const { orgId, actor } = ctx;
  assertCan(actor, "members:invite");
  if (!assignableRoles(actor.role).includes(input.role)) {
    throw new AppError("forbidden", `Your role (${actor.role}) cannot invite a ${input.role}.`);
  }
  const email = input.email.trim().toLowerCase();
  const token = randomToken();
  const url = invitationUrl(token);
  const now = ctx.now();
  const { invitation, outboxId } = await ctx.transaction(async (tx) => {
    // Under the org row lock, so two invitations racing for the last seat cannot both be sent.
    const org = await lockOrganization(tx, orgId);
    const alreadyMember = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.orgId, orgId), sql`lower(${users.email}) = ${email}`));
    if (alreadyMember.length > 0) throw new AppError("conflict", `${email} is already a member.`);
    await tx
      .update(invitations)
      .set({ revokedAt: now })
      .where(and(eq(invitations.orgId, orgId), eq(invitations.email, email), unusedInvitation()));
    await assertSeatForInvitation(tx, orgId, now);
    const [row] = await tx
      .insert(invitations)
      .values({
        orgId,
        email,
        role: input.role,
        tokenHash: sha256(token),
        invitedBy: actor.userId,
        expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
      })
      .returning();
    const [inviter] = await tx
      .select({ name: users.name, email: users.email })
      .from(users)
      .where(eq(users.id, actor.userId));
    const inviterName = inviter?.name || inviter?.email || "A teammate";
    const queued = await enqueueOutbox(tx, {
      kind: "email",
      orgId,
      dedupeKey: `invitation:${row!.id}`,
      payload: {
        kind: "invitation",
        to: email,
        subject: `${inviterName} invited you to ${org.name} on Beacon`,
        text: `${inviterName} invited you to join ${org.name} on Beacon as ${input.role}.\n\nAccept the invitation: {{link}}\n\nThe link works once and expires in 7 days.`,
        secrets: { link: url },
      },
    });
    return { invitation: row!, outboxId: queued.id };
  });
  await deliverOutboxNow([outboxId]);
  return { invitation, token, url };
}

export async function revokeInvitation(ctx: OrgContext<MemberActor>, invitationId: string) {
  const { orgId } = ctx;
  assertCan(ctx.actor, "members:invite");
  if (!isUuid(invitationId)) throw new AppError("not_found", "No such invitation.");
  const now = ctx.now();
  const rows = await ctx.transaction((tx) =>
    tx
      .update(invitations)
      .set({ revokedAt: now })
      .where(and(eq(invitations.orgId, orgId), eq(invitations.id, invitationId), unusedInvitation()))
      .returning({ id: invitations.id }),
  );
  if (rows.length === 0) throw new AppError("not_found", "No such open invitation.");
}

/** What the invitation page shows before accepting. Unknown, used, revoked or expired → 404. */
export async function describeInvitation(token: string, now = new Date()) {
  const rows = await withSystem("accounts", (tx) =>
    tx
      .select({
        id: invitations.id,
        email: invitations.email,
        role: invitations.role,
        orgId: invitations.orgId,
        orgName: organizations.name,
        expiresAt: invitations.expiresAt,
      })
      .from(invitations)
      .innerJoin(organizations, eq(organizations.id, invitations.orgId))
      .where(and(eq(invitations.tokenHash, sha256(token)), openInvitationAt(now)))
      .limit(1),
  );
  const row = rows[0];
  if (!row) throw new AppError("not_found", "This invitation link is invalid, already used or expired.");
  return row;
}

/**
 * Accepts an invitation for the signed-in user, once. The claim is one conditional UPDATE, so
 * two concurrent accepts of the same link cannot both succeed; the seat check runs under the
 * org row lock, so two invitees racing for the last seat cannot both join. A refused accept
 * rolls back and leaves the invitation open (it works once a seat is free).
 */
export async function acceptInvitation(token: string, user: { id: string; email: string }, now = new Date()) {
  return withSystem("accounts", async (tx) => {
    const [target] = await tx
      .select({ orgId: invitations.orgId })
      .from(invitations)
      .where(eq(invitations.tokenHash, sha256(token)));
    const org = target ? await lockOrganization(tx, target.orgId) : null;
    const [claimed] = await tx
      .update(invitations)
      .set({ acceptedAt: now, acceptedBy: user.id })
      .where(
        and(
          eq(invitations.tokenHash, sha256(token)),
          openInvitationAt(now),
          sql`lower(${invitations.email}) = ${user.email.trim().toLowerCase()}`,
        ),
      )
      .returning();
    if (!claimed) {
      const [any] = await tx
        .select({ email: invitations.email })
        .from(invitations)
        .where(and(eq(invitations.tokenHash, sha256(token)), openInvitationAt(now)));
      if (any)
        throw new AppError(
          "forbidden",
          "This invitation was sent to a different e-mail address. Sign in with that address to accept it.",
        );
      throw new AppError("not_found", "This invitation link is invalid, already used or expired.");
    }
    const inserted = await tx
      .insert(memberships)
      .values({ orgId: claimed.orgId, userId: user.id, role: claimed.role })
      .onConflictDoNothing()
      .returning();
    if (inserted.length === 0) throw new AppError("conflict", "You are already a member of this organisation.");
    await assertSeatsAfterJoin(tx, claimed.orgId, org?.name ?? "This organisation", now);
    // The invitee proved they read mail at this address.
    await tx
      .update(users)
      .set({ emailVerified: now })
      .where(and(eq(users.id, user.id), isNull(users.emailVerified)));
    return { orgId: claimed.orgId, role: claimed.role };
  });
}
