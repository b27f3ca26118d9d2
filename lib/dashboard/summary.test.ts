// The dashboard at a glance, on the bundled SAM.gov day: new notices in the org's industries,
// the deadlines coming up (soonest first, none past), what each alert last sent, the quota.
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { db } from "@/db/client";
import { alerts } from "@/db/schema";
import { createAlert, runAlertDigest } from "@/lib/alerts";
import { makeOrg, contextOf, systemContextOf } from "@/tests/support/factories";
import { saveBusinessProfile } from "@/lib/onboarding";
import { releaseSnapshotBatch, SNAPSHOT_REFERENCE_DATE, SNAPSHOT_SEEDED } from "@/lib/opportunities";
import { markNotRelevant } from "@/lib/relevance";
import { describeEachDatabase } from "@/tests/db";
import { DEADLINE_HORIZON_DAYS, dashboardSummary } from "./index";

// After the notices were released (each row's ingestion time is when the test ran).
const later = () => new Date(Date.now() + 60 * 60_000);

describeEachDatabase("dashboard summary", () => {
  beforeAll(async () => {
    await releaseSnapshotBatch({ size: SNAPSHOT_SEEDED });
  });

  it("an org with a profile sees this week's new notices, its next deadlines, its alerts' last digests and its quota", async () => {
    const NOW = later();
    const { orgId, owner } = await makeOrg("starter", "Glance IT");
    await saveBusinessProfile(contextOf(orgId, owner, NOW), {
      companyName: "Glance IT",
      naicsCodes: ["5415"],
      keywords: ["software"],
      setAsides: [],
      states: [],
    });
    const daily = await createAlert(contextOf(orgId, owner), { name: "IT daily", frequency: "daily", naics: ["5415"] });
    await createAlert(contextOf(orgId, owner), { name: "Weekly watch", frequency: "weekly", naics: ["2362"] });
    // The daily alert's window covers the whole bundled day: its digest is written.
    await db()
      .update(alerts)
      .set({ lastWindowEnd: new Date("2026-04-01T00:00:00Z") })
      .where(eq(alerts.id, daily.id));
    const digest = await runAlertDigest(systemContextOf("digest-fanout"), daily.id, NOW);

    const summary = await dashboardSummary(contextOf(orgId, owner, NOW));
    expect(summary.feed).toMatchObject({ live: false, referenceDate: SNAPSHOT_REFERENCE_DATE });
    expect(summary.newThisWeek).toBeGreaterThanOrEqual(5);
    expect(summary.deadlines.length).toBeGreaterThan(0);
    const days = summary.deadlines.map((d) => d.daysLeft);
    expect(days).toEqual([...days].sort((a, b) => a - b));
    for (const d of summary.deadlines) {
      expect(d.responseDeadline.getTime()).toBeGreaterThanOrEqual(SNAPSHOT_REFERENCE_DATE.getTime());
      expect(d.daysLeft).toBeLessThanOrEqual(DEADLINE_HORIZON_DAYS);
    }
    expect(summary.alerts.map((a) => a.name).sort()).toEqual(["IT daily", "Weekly watch"]);
    const sent = summary.alerts.find((a) => a.name === "IT daily")!;
    expect(sent.lastDigestAt).toBeInstanceOf(Date);
    expect(sent.lastDigestMatches).toBe(digest.matchCount);
    expect(summary.alerts.find((a) => a.name === "Weekly watch")).toMatchObject({
      lastDigestAt: null,
      lastDigestMatches: null,
      active: true,
    });
    expect(digest.matchCount).toBeGreaterThan(0);
    expect(summary.quota).toMatchObject({ plan: "starter", quota_monthly: 5_000, quota_remaining: 5_000 });
  });

  it("notices the org marked not relevant leave its counts and deadlines", async () => {
    const NOW = later();
    const { orgId, owner } = await makeOrg("starter", "Marking IT");
    await saveBusinessProfile(contextOf(orgId, owner, NOW), {
      companyName: "Marking IT",
      naicsCodes: ["5415"],
      keywords: [],
      setAsides: [],
      states: [],
    });
    const before = await dashboardSummary(contextOf(orgId, owner, NOW));
    const soonest = before.deadlines[0]!;
    await markNotRelevant(contextOf(orgId, owner, NOW), soonest.noticeId);

    const after = await dashboardSummary(contextOf(orgId, owner, NOW));
    expect(after.deadlines.map((d) => d.noticeId)).not.toContain(soonest.noticeId);
    expect(after.deadlines[0]?.noticeId).toBe(before.deadlines[1]?.noticeId);
    // The bundled notices were all posted in the week before the snapshot's day.
    expect(after.newThisWeek).toBe(before.newThisWeek! - 1);
  });

  it("without a profile: no counts or deadlines to show, the quota still is", async () => {
    const { orgId, owner } = await makeOrg("free", "Bare Co");
    const summary = await dashboardSummary(contextOf(orgId, owner, later()));
    expect(summary).toMatchObject({
      newThisWeek: null,
      deadlines: [],
      alerts: [],
      quota: { plan: "free", quota_monthly: 100 },
    });
  });
});
