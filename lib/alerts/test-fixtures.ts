import { randomUUID } from "node:crypto";
import { db } from "@/db/client";
import { memberships, opportunities, users } from "@/db/schema";
import type { PlanId } from "@/lib/billing";
import { createOrganizationWithOwner, type OrgActor, type OrgRole } from "@/lib/orgs";

// Test fixtures for lib/alerts: real rows in the test database, no mocks.

export async function makeUser(label: string) {
  const email = `${label}-${randomUUID().slice(0, 8)}@alerts.test`;
  const [row] = await db().insert(users).values({ email, name: label }).returning();
  return row!;
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
