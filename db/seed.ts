import { eq, sql } from "drizzle-orm";
import type { DatabaseHandle } from "./client";
import { actAsSystem } from "./tenant";
import { memberships, opportunities, organizations, users } from "./schema";
import { hashPassword } from "@/lib/auth";
import { loadNaicsCodes, releaseSnapshotBatch, SNAPSHOT_SEEDED } from "@/lib/opportunities";
import { seedDemoActivity } from "./seed-demo-activity";

export const DEMO_USER_EMAIL = "demo@beacon.local";
export const DEMO_ORG_NAME = "Demo Contracting LLC";
// Demo data is for local development: the password is documented in the README.
export const DEMO_USER_PASSWORD = "beacon-demo-password";

/**
 * Idempotent demo data: the NAICS list, the first part of the bundled SAM.gov day (ingestion
 * without SAM_API_KEY releases the rest, batch by batch) and a demo org (on Starter, without a
 * subscription: it is demo data) with its owner, onboarded and in use (seed-demo-activity.ts).
 * Running it twice changes nothing.
 */
export async function seedDatabase(handle: DatabaseHandle) {
  const { db } = handle;
  await loadNaicsCodes({ db });
  // Only into an empty table: the bundled rows are a snapshot, and overwriting newer copies of
  // the same notices from a real ingestion with them would roll those back.
  await db.transaction(async (tx) => {
    const [existing] = await tx.select({ n: sql<number>`count(*)::int` }).from(opportunities);
    if (Number(existing?.n ?? 0) === 0) await releaseSnapshotBatch({ size: SNAPSHOT_SEEDED, db: tx });
  });
  const created = await db.transaction(async (tx) => {
    await actAsSystem(tx, "seed");
    let [user] = await tx.select({ id: users.id }).from(users).where(eq(users.email, DEMO_USER_EMAIL));
    if (!user) {
      [user] = await tx
        .insert(users)
        .values({
          email: DEMO_USER_EMAIL,
          name: "Dana Demo",
          passwordHash: await hashPassword(DEMO_USER_PASSWORD),
          emailVerified: new Date(),
        })
        .onConflictDoNothing()
        .returning({ id: users.id });
      if (!user) [user] = await tx.select({ id: users.id }).from(users).where(eq(users.email, DEMO_USER_EMAIL));
    }
    const owned = await tx
      .select({ orgId: memberships.orgId })
      .from(memberships)
      .innerJoin(organizations, eq(organizations.id, memberships.orgId))
      .where(sql`${memberships.userId} = ${user!.id} and ${organizations.name} = ${DEMO_ORG_NAME}`);
    if (owned.length > 0) return null;
    const [org] = await tx
      .insert(organizations)
      .values({ name: DEMO_ORG_NAME, plan: "starter" })
      .returning({ id: organizations.id });
    await tx.insert(memberships).values({ orgId: org!.id, userId: user!.id, role: "owner" });
    return { orgId: org!.id, userId: user!.id };
  });
  if (created) await seedDemoActivity(created.orgId, { userId: created.userId, role: "owner" }, DEMO_USER_EMAIL);
  const count = async (table: typeof users | typeof organizations | typeof opportunities) => {
    const [row] = await db.transaction(async (tx) => {
      await actAsSystem(tx, "seed");
      return tx.select({ n: sql<number>`count(*)::int` }).from(table);
    });
    return Number(row?.n ?? 0);
  };
  return { orgs: await count(organizations), users: await count(users), opportunities: await count(opportunities) };
}

/** True when the database has never been seeded (fresh install). */
export async function databaseIsEmpty(handle: DatabaseHandle) {
  const [row] = await handle.db.select({ n: sql<number>`count(*)::int` }).from(users);
  return Number(row?.n ?? 0) === 0;
}
