import { randomUUID } from "node:crypto";
import { db } from "@/db/client";
import { memberships, opportunities, organizations, users } from "@/db/schema";
import type { SignedInOperator } from "@/lib/auth";
import {
  apiKeyActor,
  memberActor,
  orgContext,
  serviceContext,
  systemActor,
  systemContext,
  type ApiKeyActor,
  type CustomerActor,
  type MemberActor,
  type OperatorActor,
  type OrgContext,
  type ServiceContext,
  type SystemActor,
  type SystemContext,
} from "@/lib/context";
import type { SystemReason } from "@/db/tenant";
import type { PlanId } from "@/lib/plans";
import { createOrganizationWithOwner, type OrgActor, type OrgRole } from "@/lib/orgs";

// The one set of test factories: real rows in the test database (the process default, `db()`,
// acting as its owner in tests/db.ts), no mocks.

/** A new user named `label`, with a unique e-mail unless one is given. */
export async function makeUser(label: string, email = `${label}-${randomUUID().slice(0, 8)}@beacon.test`) {
  const [row] = await db().insert(users).values({ email, name: label }).returning();
  return row!;
}

/** A bare org row on `plan`, without members: for what only needs an org id (quotas, billing). */
export async function makeEmptyOrg(plan: PlanId = "free", name = `Acme ${plan}`): Promise<string> {
  const [org] = await db().insert(organizations).values({ name, plan }).returning({ id: organizations.id });
  return org!.id;
}

/** A new org on `plan` with its owner. */
export async function makeOrg(plan: PlanId = "free", name = "Acme") {
  const owner = await makeUser("owner");
  const org = await createOrganizationWithOwner(db(), { name, ownerUserId: owner.id, plan });
  return { orgId: org.id, owner: { userId: owner.id, role: "owner" } as OrgActor, ownerEmail: owner.email };
}

export async function addMember(orgId: string, role: OrgRole) {
  const user = await makeUser(role);
  await db().insert(memberships).values({ orgId, userId: user.id, role });
  return { actor: { userId: user.id, role } as OrgActor, email: user.email };
}

/**
 * The service context of a member, of one of the org's API keys, of an operator, or of Beacon
 * itself (a `systemActor`, as the CLI and seeding act) in `orgId`; its clock stands at `now` when given.
 */
export function contextOf(orgId: string, who: OrgActor, now?: Date): OrgContext<MemberActor>;
export function contextOf(orgId: string, who: { apiKeyId: string }, now?: Date): OrgContext<ApiKeyActor>;
export function contextOf(orgId: string, who: SystemActor, now?: Date): OrgContext<SystemActor>;
export function contextOf(orgId: string, who: OperatorActor, now?: Date): OrgContext<OperatorActor>;
export function contextOf(orgId: string, who: OrgActor | { apiKeyId: string }, now?: Date): OrgContext<CustomerActor>;
export function contextOf(
  orgId: string,
  who: OrgActor | { apiKeyId: string } | SystemActor | OperatorActor,
  now?: Date,
): OrgContext {
  const actor = "apiKeyId" in who ? apiKeyActor(who.apiKeyId) : "kind" in who ? who : memberActor(who.userId, who.role);
  return orgContext(orgId, actor, now ? { now: () => now } : {});
}

/** Beacon's own context for `reason` (a webhook, a sweep, a worker); its clock stands at `now` when given. */
export function systemContextOf(reason: SystemReason, now?: Date): SystemContext {
  return systemContext(systemActor(reason), now ? { now: () => now } : {});
}

/**
 * An operator's own context, as `operatorContext` builds it for the cockpit and operator commands
 * (reads across orgs, operator writes): a new operator unless one is given; its clock stands at
 * `now` when given.
 */
export function operatorContextOf(
  operator: Partial<Omit<SignedInOperator, "kind">> = {},
  options: { now?: Date; requestId?: string } = {},
): ServiceContext<SignedInOperator> {
  const actor: SignedInOperator = { kind: "operator", userId: randomUUID(), email: "ops@beacon.test", ...operator };
  const { now, requestId } = options;
  return serviceContext(actor, { requestId, ...(now ? { now: () => now } : {}) });
}

const ownersOf = new Map<string, Promise<OrgContext<MemberActor>>>();

/** The context of an owner of `orgId` (a bare org gets one on first use; the same one after). */
export function ownerContextOf(orgId: string): Promise<OrgContext<MemberActor>> {
  if (!ownersOf.has(orgId))
    ownersOf.set(
      orgId,
      addMember(orgId, "owner").then((m) => contextOf(orgId, m.actor)),
    );
  return ownersOf.get(orgId)!;
}

export type OpportunityFixture = Partial<typeof opportunities.$inferInsert> & { createdAt: Date };

/** Inserts one opportunity ingested at `createdAt` (posted an hour earlier unless given); returns its notice id. */
export async function insertOpportunity(fixture: OpportunityFixture): Promise<string> {
  const noticeId = fixture.noticeId ?? `n${randomUUID().replaceAll("-", "")}`;
  await db()
    .insert(opportunities)
    .values({
      title: "Generic services",
      postedAt: new Date(fixture.createdAt.getTime() - 3_600_000),
      source: "test",
      raw: {},
      ...fixture,
      noticeId,
      updatedAt: fixture.createdAt,
    });
  return noticeId;
}
