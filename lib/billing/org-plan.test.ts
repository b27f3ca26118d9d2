import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { db } from "@/db/client";
import { alerts, organizations, subscriptions, usageQuotas } from "@/db/schema";
import { chargeApiCall, monthlyUsageReport, setQuotaRemaining } from "@/lib/metering";
import { availableDrivers, describeEachDatabase } from "@/tests/db";
import { addCredits, revokeCredits, syncOrgPlan, syncOrgPlans } from "./org-plan";
import { messagesDuring } from "@/tests/support/pg-messages";
import type { PlanId } from "@/lib/plans";
import { contextOf, makeEmptyOrg } from "@/tests/support/factories";
import { systemActor } from "@/lib/context";

const MID_JAN = new Date("2035-01-15T12:00:00Z");
const FEB = new Date("2035-02-02T00:00:00Z");

async function subscribe(orgId: string, plan: PlanId, status: string, now = MID_JAN) {
  return db().transaction(async (tx) => {
    await tx
      .insert(subscriptions)
      .values({ orgId, stripeSubscriptionId: `sub_${orgId}`, status, plan })
      .onConflictDoUpdate({ target: subscriptions.stripeSubscriptionId, set: { status, plan } });
    return syncOrgPlan(tx, orgId, now);
  });
}

async function quota(orgId: string) {
  const [row] = await db().select().from(usageQuotas).where(eq(usageQuotas.orgId, orgId));
  return {
    monthly: row!.quotaMonthly,
    remaining: row!.quotaRemaining,
    credits: row!.creditsRemaining,
    periodStart: row!.periodStart.toISOString(),
  };
}

describeEachDatabase("plan changes move the quota", () => {
  it("an upgrade mid-month keeps what was used; credits stay a balance of their own", async () => {
    const orgId = await makeEmptyOrg("free");
    for (let i = 0; i < 30; i++) await chargeApiCall(contextOf(orgId, systemActor("seed"), MID_JAN), "e");
    await db().transaction((tx) => addCredits(tx, orgId, 1_000, MID_JAN, "cs_1"));
    expect(await subscribe(orgId, "pro", "active")).toBe("pro");
    expect(await quota(orgId)).toEqual({
      monthly: 50_000,
      remaining: 50_000 - 30,
      credits: 1_000,
      periodStart: "2035-01-01T00:00:00.000Z",
    });
    expect(await monthlyUsageReport(contextOf(orgId, systemActor("seed")), "2035-01")).toMatchObject({
      drift: 0,
      credits: { drift: 0 },
    });
  });

  it("a downgrade takes the difference away but never goes below 0; unpaid counts as free", async () => {
    const orgId = await makeEmptyOrg("free");
    await subscribe(orgId, "pro", "active");
    await setQuotaRemaining(contextOf(orgId, systemActor("seed"), MID_JAN), 48_000); // 2,000 used
    const later = (minutes: number) => new Date(MID_JAN.getTime() + minutes * 60_000);
    expect(await subscribe(orgId, "starter", "active", later(1))).toBe("starter");
    expect(await quota(orgId)).toMatchObject({ monthly: 5_000, remaining: 3_000 });
    expect(await subscribe(orgId, "starter", "unpaid", later(2))).toBe("free");
    expect(await quota(orgId)).toMatchObject({ monthly: 100, remaining: 0 });
    const report = await monthlyUsageReport(contextOf(orgId, systemActor("seed")), "2035-01");
    expect(report.adjustments.entries.filter((e) => e.reason === "plan_change").map((e) => [e.delta, e.ref])).toEqual([
      [5_000 - 50_000, "pro→starter"],
      [-3_000, "starter→free"],
    ]);
    expect(report.drift).toBe(0);
  });

  it("an ended period is left alone: the next rollover starts from the new plan", async () => {
    const orgId = await makeEmptyOrg("free");
    await chargeApiCall(contextOf(orgId, systemActor("seed"), MID_JAN), "e");
    await subscribe(orgId, "starter", "active", FEB);
    expect(await quota(orgId)).toMatchObject({ monthly: 100, remaining: 99, periodStart: "2035-01-01T00:00:00.000Z" });
    await chargeApiCall(contextOf(orgId, systemActor("seed"), FEB), "e");
    expect(await quota(orgId)).toEqual({
      monthly: 5_000,
      remaining: 4_999,
      credits: 0,
      periodStart: "2035-02-01T00:00:00.000Z",
    });
  });

  it("a pack refunded a month later takes back what is left of the credits, never the allowance", async () => {
    const orgId = await makeEmptyOrg("free");
    await db().transaction((tx) => addCredits(tx, orgId, 1_000, MID_JAN, "cs_old"));
    await chargeApiCall(contextOf(orgId, systemActor("seed"), FEB), "e");
    expect(await quota(orgId)).toMatchObject({
      remaining: 99,
      credits: 1_000,
      periodStart: "2035-02-01T00:00:00.000Z",
    });
    expect(await db().transaction((tx) => revokeCredits(tx, orgId, 1_000, FEB, "ch_old"))).toBe(1_000);
    expect(await quota(orgId)).toMatchObject({ remaining: 99, credits: 0 });
    // Nothing left to take: nothing taken, nothing booked (the report's ledger still adds up).
    expect(await db().transaction((tx) => revokeCredits(tx, orgId, 500, FEB, "ch_again"))).toBe(0);
    expect(await quota(orgId)).toMatchObject({ remaining: 99, credits: 0 });
    expect(await monthlyUsageReport(contextOf(orgId, systemActor("seed")), "2035-02")).toMatchObject({
      drift: 0,
      credits: { adjustments_total: 0, drift: 0 },
    });
  });
});

describeEachDatabase("one plan sync for many orgs (a batch of Stripe events)", () => {
  const dailyAlert = (orgId: string, pausedReason: "plan_limit" | null, createdAt: Date) =>
    db()
      .insert(alerts)
      .values({ orgId, name: "Daily", frequency: "daily", deliveryEmail: "a@beacon.test", pausedReason, createdAt })
      .returning({ id: alerts.id })
      .then(([row]) => row!.id);
  const reasonOf = async (alertId: string) =>
    (await db().select({ reason: alerts.pausedReason }).from(alerts).where(eq(alerts.id, alertId)))[0]!.reason;

  it("decides each org as syncOrgPlan would, in the same few statements however many orgs", async () => {
    const [up, down, same] = [await makeEmptyOrg("free"), await makeEmptyOrg("free"), await makeEmptyOrg("free")];
    await subscribe(down, "pro", "active");
    await chargeApiCall(contextOf(down, systemActor("seed"), MID_JAN), "e");
    for (let i = 0; i < 30; i++) await chargeApiCall(contextOf(up, systemActor("seed"), MID_JAN), "e");
    // The free plan covers one alert, the oldest.
    await dailyAlert(up, null, new Date("2035-01-01T00:00:00Z"));
    const held = await dailyAlert(up, "plan_limit", new Date("2035-01-02T00:00:00Z"));
    await dailyAlert(down, null, new Date("2035-01-01T00:00:00Z"));
    const live = await dailyAlert(down, null, new Date("2035-01-02T00:00:00Z"));
    await db().transaction(async (tx) => {
      await tx
        .insert(subscriptions)
        .values({ orgId: up, stripeSubscriptionId: `sub_${up}`, status: "active", plan: "pro" });
      await tx.update(subscriptions).set({ status: "canceled" }).where(eq(subscriptions.orgId, down));
    });

    let plans = new Map<string, PlanId>();
    const sent = await messagesDuring(async () => {
      plans = await db().transaction((tx) => syncOrgPlans(tx, [up, down, same, up], MID_JAN));
    });
    expect(Object.fromEntries(plans)).toEqual({ [up]: "pro", [down]: "free", [same]: "free" });
    const stored = await db().select({ id: organizations.id, plan: organizations.plan }).from(organizations);
    expect(
      stored
        .filter((org) => [up, down, same].includes(org.id))
        .map((org) => [org.id, org.plan])
        .sort(),
    ).toEqual(
      [
        [up, "pro"],
        [down, "free"],
        [same, "free"],
      ].sort(),
    );
    expect(await quota(up)).toMatchObject({ monthly: 50_000, remaining: 50_000 - 30 });
    expect(await quota(down)).toMatchObject({ monthly: 100, remaining: 99 });
    // The upgrade resumes the alert the free plan held; the downgrade holds the newer one.
    expect(await reasonOf(held)).toBeNull();
    expect(await reasonOf(live)).toBe("plan_limit");
    for (const [orgId, ref] of [
      [up, "free→pro"],
      [down, "pro→free"],
    ] as const) {
      const report = await monthlyUsageReport(contextOf(orgId, systemActor("seed")), "2035-01");
      expect(report.adjustments.entries.filter((e) => e.reason === "plan_change").map((e) => e.ref)).toContain(ref);
      expect(report.drift).toBe(0);
    }
    if (sent.length > 0) {
      // Lock, subscriptions, plans, quotas, alerts, their holds and resumes: once each for all three orgs.
      expect(sent.filter((text) => /for no key update/i.test(text))).toHaveLength(1);
      expect(sent.length).toBeLessThanOrEqual(10);
    }
  });
});

describeEachDatabase(
  "the org lock beside rows that reference the org",
  () => {
    it("two subscriptions written at once, each then syncing the plan: both commit, the better plan wins", async () => {
      const orgId = await makeEmptyOrg("free");
      // Each transaction writes its subscription (a foreign-key check: KEY SHARE on the org row),
      // waits until the other has too, then takes the org lock. FOR UPDATE deadlocked here.
      let wrote = 0;
      let bothWrote!: () => void;
      const together = new Promise<void>((resolve) => (bothWrote = resolve));
      const writeThenSync = (n: number, plan: PlanId) =>
        db().transaction(async (tx) => {
          await tx
            .insert(subscriptions)
            .values({ orgId, stripeSubscriptionId: `sub_${n}_${orgId}`, status: "active", plan });
          if (++wrote === 2) bothWrote();
          await together;
          return syncOrgPlan(tx, orgId, MID_JAN);
        });
      const plans = await Promise.all([writeThenSync(1, "starter"), writeThenSync(2, "pro")]);
      // The second to lock reads the first one's committed row: it decides for both.
      expect(plans).toContain("pro");
      const [org] = await db()
        .select({ plan: organizations.plan })
        .from(organizations)
        .where(eq(organizations.id, orgId));
      expect(org!.plan).toBe("pro");
    });
  },
  // Two transactions at once need two connections: PGlite has one.
  availableDrivers().filter((driver) => driver === "postgres"),
);
