import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { invitations, memberships, organizations } from "@/db/schema";
import { entitlementsFor, planById, type PlanId } from "@/lib/plans";
import { AppError } from "@/lib/http";
import type { MemberActor, OrgContext } from "@/lib/context";
import { assertCan } from "./actor";
import { openInvitationAt } from "./invitation-state";

/**
 * Seats (SPEC §4): members plus open invitations (not accepted, revoked or expired) may not
 * exceed the plan's `maxSeats`. `organizations.plan` is already the entitled plan (billing sets
 * it from the subscription's status), and entitlementsFor applies the free limits to anything
 * not paying. A downgrade never removes anyone: the org is then over its limit and can only
 * free seats until it fits again.
 */
export interface SeatUsage {
  plan: PlanId;
  planName: string;
  limit: number;
  members: number;
  openInvitations: number;
  used: number;
  overLimit: boolean;
}

/** Where an org's members who can manage billing go to buy more seats. */
export const UPGRADE_PATH = "/settings/billing";

async function countSeats(tx: Tx, orgId: string, now: Date): Promise<SeatUsage> {
  const [org] = await tx.select({ plan: organizations.plan }).from(organizations).where(eq(organizations.id, orgId));
  if (!org) throw new AppError("not_found", "No such organisation.");
  const [members] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(memberships)
    .where(eq(memberships.orgId, orgId));
  const [open] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(invitations)
    .where(and(eq(invitations.orgId, orgId), openInvitationAt(now)));
  const { effectivePlan, maxSeats } = entitlementsFor({ plan: org.plan });
  const used = (members?.n ?? 0) + (open?.n ?? 0);
  return {
    plan: effectivePlan,
    planName: planById(effectivePlan).name,
    limit: maxSeats,
    members: members?.n ?? 0,
    openInvitations: open?.n ?? 0,
    used,
    overLimit: used > maxSeats,
  };
}

export async function seatUsage(ctx: OrgContext<MemberActor>): Promise<SeatUsage> {
  assertCan(ctx.actor, "members:read");
  return ctx.transaction((tx) => countSeats(tx, ctx.orgId, ctx.now()));
}

function seatsProblem(seats: SeatUsage, detail: string) {
  return new AppError("forbidden", detail, {
    seats: {
      plan: seats.plan,
      limit: seats.limit,
      members: seats.members,
      open_invitations: seats.openInvitations,
      used: seats.used,
    },
    upgrade_url: UPGRADE_PATH,
  });
}

/** Inviting needs a free seat (call under lockOrganization, after replacing this address's old invitation). */
export async function assertSeatForInvitation(tx: Tx, orgId: string, now: Date) {
  const seats = await countSeats(tx, orgId, now);
  if (seats.used + 1 <= seats.limit) return;
  const used = `${seats.members} ${seats.members === 1 ? "member" : "members"} and ${seats.openInvitations} open ${seats.openInvitations === 1 ? "invitation" : "invitations"}`;
  throw seatsProblem(
    seats,
    `All ${seats.limit} ${seats.limit === 1 ? "seat" : "seats"} of the ${seats.planName} plan are in use (${used}). Upgrade the plan, or remove a member or revoke an invitation, to invite someone.`,
  );
}

/**
 * Accepting needs room for one more member: checked just after the membership row is inserted,
 * under lockOrganization, and the caller's transaction rolls back when it does not fit. Open
 * invitations do not block it: they were counted when sent, and after a downgrade the first to
 * accept while there is room gets the seat.
 */
export async function assertSeatsAfterJoin(tx: Tx, orgId: string, orgName: string, now: Date) {
  const seats = await countSeats(tx, orgId, now);
  if (seats.members <= seats.limit) return;
  throw seatsProblem(
    seats,
    `${orgName} has no free seat: its ${seats.planName} plan allows ${seats.limit} ${seats.limit === 1 ? "member" : "members"}. Ask an owner or admin of ${orgName} to upgrade the plan or free a seat, then open this link again.`,
  );
}
