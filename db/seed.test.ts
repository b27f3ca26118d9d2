import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { describeEachDatabase, describeEachDatabaseAsApp } from "@/tests/db";
import { database, type DbOrTx } from "./client";
import {
  alertDigests,
  alerts,
  apiKeys,
  businessProfiles,
  ingestionCursors,
  naicsCodes,
  onboardingProgress,
  opportunities,
  organizations,
  usageEvents,
} from "./schema";
import { DEMO_ORG_NAME, seedDatabase } from "./seed";
import { withSystem } from "./tenant";

/** The demo org is onboarded and in use: profile, alerts of each frequency, a used API key, a digest sent. */
async function expectLivingDemoOrg(db: DbOrTx) {
  const [org] = await db.select().from(organizations).where(eq(organizations.name, DEMO_ORG_NAME));
  const [progress] = await db.select().from(onboardingProgress).where(eq(onboardingProgress.orgId, org!.id));
  expect(progress!.onboardingCompletedAt).toBeInstanceOf(Date);
  const [profile] = await db.select().from(businessProfiles).where(eq(businessProfiles.orgId, org!.id));
  expect(profile!.naicsCodes).toContain("541511");
  const orgAlerts = await db.select().from(alerts).where(eq(alerts.orgId, org!.id));
  expect(orgAlerts.map((a) => a.frequency).sort()).toEqual(["daily", "instant", "weekly"]);
  expect(orgAlerts.every((a) => a.active && a.pausedReason === null)).toBe(true);
  expect(await db.select().from(apiKeys).where(eq(apiKeys.orgId, org!.id))).toHaveLength(1);
  expect(await db.select().from(usageEvents).where(eq(usageEvents.orgId, org!.id))).toHaveLength(3);
  const digests = await db.select().from(alertDigests).where(eq(alertDigests.orgId, org!.id));
  expect(digests).toHaveLength(1);
  expect(digests[0]!.matchCount).toBeGreaterThan(0);
  expect(digests[0]!.emailMessageId).not.toBeNull();
}

describeEachDatabase("seedDatabase", ({ handle }) => {
  it("loads the NAICS list and the first 600 notices of the bundled day once (ingestion replays the rest), and reports the real count", async () => {
    const first = await seedDatabase(handle());
    expect(first).toEqual({ orgs: 1, users: 1, opportunities: 600 });
    await expectLivingDemoOrg(handle().db);
    const [cursor] = await handle()
      .db.select()
      .from(ingestionCursors)
      .where(eq(ingestionCursors.source, "sam_snapshot"));
    expect(cursor!.nextOffset).toBe(600);
    const { db } = handle();
    const [naics] = await db.select({ n: sql<number>`count(*)::int` }).from(naicsCodes);
    expect(naics!.n).toBe(2125);

    // A newer copy of a notice (from a real ingestion) survives a second seed.
    await db
      .update(opportunities)
      .set({ title: "Newer copy from SAM.gov" })
      .where(eq(opportunities.noticeId, "db5f20736f6a435e9bb33d031517dff4"));
    expect(await seedDatabase(handle())).toEqual(first);
    const [kept] = await db
      .select({ title: opportunities.title })
      .from(opportunities)
      .where(eq(opportunities.noticeId, "db5f20736f6a435e9bb33d031517dff4"));
    expect(kept!.title).toBe("Newer copy from SAM.gov");
  });
});

/** Seeding as the app's own role: the demo org and its activity are written through withSystem and withTenant. */
describeEachDatabaseAsApp("seedDatabase under row-level security", () => {
  it("creates the living demo org", async () => {
    expect(await seedDatabase(database())).toEqual({ orgs: 1, users: 1, opportunities: 600 });
    await withSystem("seed", (tx) => expectLivingDemoOrg(tx));
  });
});
