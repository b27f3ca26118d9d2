import { expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { alerts, subscriptions } from "@/db/schema";
import { syncOrgPlan } from "@/lib/billing";
import { withTenant } from "@/db/tenant";
import { describeEachDatabase } from "@/tests/db";
import { appErrorOf } from "@/tests/app-error";
import { alertUsage, createAlert, deleteAlert, getAlert, listAlerts, toApiAlert, updateAlert } from "./index";
import { addMember, makeOrg } from "@/tests/support/factories";

const NOW = new Date("2030-03-01T09:30:00Z");
const input = (name = "Cyber in Virginia") => ({
  name,
  frequency: "daily" as const,
  q: "cyber",
  naics: ["5415"],
  states: ["VA"],
  set_asides: ["SBA"],
});

describeEachDatabase("alerts", () => {
  it("createAlert saves the alert, delivering to the member's own address; its first window starts now", async () => {
    const { orgId, owner, ownerEmail } = await makeOrg("starter");
    const row = await createAlert(orgId, owner, input(), NOW);
    expect(row).toMatchObject({
      orgId,
      createdBy: owner.userId,
      name: "Cyber in Virginia",
      frequency: "daily",
      active: true,
      deliveryEmail: ownerEmail,
    });
    expect(row.lastWindowEnd).toEqual(NOW);
    expect(toApiAlert(row)).toEqual({
      id: row.id,
      name: "Cyber in Virginia",
      frequency: "daily",
      q: "cyber",
      naics: ["5415"],
      states: ["VA"],
      set_asides: ["SBA"],
      prefer: { q: null, states: [], set_asides: [] },
      digest_limit: 25,
      nothing_new_email: false,
      delivery_email: ownerEmail,
      active: true,
      paused_reason: null,
      channel_ids: [],
      created_at: NOW.toISOString(),
      last_window_end: NOW.toISOString(),
    });
    expect(await getAlert(orgId, owner, row.id)).toEqual(row);
    expect(await listAlerts(orgId, owner)).toEqual([row]);
  });

  it("an API key's alert goes to the org owner's address unless one is given", async () => {
    const { orgId, ownerEmail } = await makeOrg("starter");
    const member = await addMember(orgId, "member");
    const byKey = await createAlert(orgId, { apiKeyId: "key" }, { name: "From the API", frequency: "weekly" }, NOW);
    expect(byKey).toMatchObject({
      deliveryEmail: ownerEmail,
      createdBy: null,
      q: null,
      naics: [],
      states: [],
      setAsides: [],
    });
    const explicit = await createAlert(
      orgId,
      { apiKeyId: "key" },
      { name: "Elsewhere", frequency: "instant", delivery_email: "Bids@Example.com" },
      NOW,
    );
    expect(explicit.deliveryEmail).toBe("bids@example.com");
    const byMember = await createAlert(orgId, member.actor, { name: "Mine", frequency: "daily" }, NOW);
    expect(byMember.deliveryEmail).toBe(member.email);
  });

  it("createAlert validates its input itself (callers other than routes)", async () => {
    const { orgId, owner } = await makeOrg("starter");
    const error = await appErrorOf(createAlert(orgId, owner, { name: "x", frequency: "daily", naics: ["5415x"] }, NOW));
    expect(error.code).toBe("validation_failed");
    expect(error.extra.errors).toEqual([{ path: "naics.0", message: expect.stringContaining("NAICS") }]);
  });

  it("the free plan allows one active alert: the second is forbidden, pausing frees the slot, resuming re-checks", async () => {
    const { orgId, owner } = await makeOrg("free");
    const first = await createAlert(orgId, owner, input("first"), NOW);
    const refused = await appErrorOf(createAlert(orgId, owner, input("second"), NOW));
    expect(refused.code).toBe("forbidden");
    expect(refused.message).toMatch(/allows 1 active alert\b/);
    expect(await alertUsage(orgId, owner)).toEqual({ used: 1, max: 1, plan: "Free", held: 0 });

    await updateAlert(orgId, owner, first.id, { active: false }, NOW);
    const second = await createAlert(orgId, owner, input("second"), NOW);
    expect((await appErrorOf(updateAlert(orgId, owner, first.id, { active: true }, NOW))).code).toBe("forbidden");
    expect((await getAlert(orgId, owner, first.id)).active).toBe(false);
    // Editing a paused alert, or re-saving an active one as active, is not a new alert.
    await updateAlert(orgId, owner, first.id, { name: "first, renamed" }, NOW);
    await updateAlert(orgId, owner, second.id, { active: true }, NOW);
    expect(await alertUsage(orgId, owner)).toEqual({ used: 1, max: 1, plan: "Free", held: 0 });
  });

  it("concurrent creates never exceed the plan (starter: 10)", async () => {
    const { orgId, owner } = await makeOrg("starter");
    for (let i = 0; i < 7; i++) await createAlert(orgId, owner, input(`a${i}`), NOW);
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => createAlert(orgId, owner, input(`b${i}`), NOW)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(rejected.map((r) => (r.reason as { code?: string }).code)).toEqual(Array(5).fill("forbidden"));
    const [row] = await db()
      .select({ n: sql<number>`count(*)::int` })
      .from(alerts)
      .where(and(eq(alerts.orgId, orgId), eq(alerts.active, true)));
    expect(Number(row!.n)).toBe(10);
  });

  it("concurrent resumes never exceed the plan either", async () => {
    const { orgId, owner } = await makeOrg("free");
    const a = await createAlert(orgId, owner, input("a"), NOW);
    await updateAlert(orgId, owner, a.id, { active: false }, NOW);
    const b = await createAlert(orgId, owner, input("b"), NOW);
    await updateAlert(orgId, owner, b.id, { active: false }, NOW);
    const results = await Promise.allSettled([
      updateAlert(orgId, owner, a.id, { active: true }, NOW),
      updateAlert(orgId, owner, b.id, { active: true }, NOW),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect((await alertUsage(orgId, owner)).used).toBe(1);
  });

  it("updateAlert changes name, filters and frequency; resuming starts a fresh window", async () => {
    const { orgId, owner } = await makeOrg("starter");
    const row = await createAlert(orgId, owner, input(), NOW);
    const later = new Date(NOW.getTime() + 3 * 86_400_000);
    const edited = await updateAlert(
      orgId,
      owner,
      row.id,
      { name: "Renamed", frequency: "weekly", q: null, naics: ["31-33"], states: [], set_asides: ["8A"] },
      later,
    );
    expect(edited).toMatchObject({
      name: "Renamed",
      frequency: "weekly",
      q: null,
      naics: ["31-33"],
      states: [],
      setAsides: ["8A"],
      lastWindowEnd: NOW,
      updatedAt: later,
    });
    await updateAlert(orgId, owner, row.id, { active: false }, later);
    const resumedAt = new Date(later.getTime() + 86_400_000);
    const resumed = await updateAlert(orgId, owner, row.id, { active: true }, resumedAt);
    expect(resumed).toMatchObject({ active: true, lastWindowEnd: resumedAt });
  });

  it("deleteAlert removes it; a second delete is 404", async () => {
    const { orgId, owner } = await makeOrg("starter");
    const row = await createAlert(orgId, owner, input(), NOW);
    await deleteAlert(orgId, owner, row.id);
    expect((await appErrorOf(getAlert(orgId, owner, row.id))).code).toBe("not_found");
    expect((await appErrorOf(deleteAlert(orgId, owner, row.id))).code).toBe("not_found");
  });

  it("another org's alert, an unknown id and a non-uuid all answer 404 and change nothing", async () => {
    const a = await makeOrg("starter", "Alpha");
    const b = await makeOrg("starter", "Bravo");
    const alertA = await createAlert(a.orgId, a.owner, input(), NOW);
    for (const id of [alertA.id, "00000000-0000-4000-8000-000000000000", "not-a-uuid", "1 or 1=1", ""]) {
      expect((await appErrorOf(getAlert(b.orgId, b.owner, id))).code).toBe("not_found");
      expect((await appErrorOf(deleteAlert(b.orgId, b.owner, id))).code).toBe("not_found");
      expect((await appErrorOf(updateAlert(b.orgId, b.owner, id, { name: "stolen" }, NOW))).code).toBe("not_found");
      expect((await appErrorOf(updateAlert(b.orgId, b.owner, id, { active: true }, NOW))).code).toBe("not_found");
    }
    expect(await listAlerts(b.orgId, b.owner)).toEqual([]);
    expect(await getAlert(a.orgId, a.owner, alertA.id)).toEqual(alertA);
  });

  it("row-level security hides another org's alerts even from a query that forgets org_id", async () => {
    const a = await makeOrg("starter", "Alpha");
    const b = await makeOrg("starter", "Bravo");
    const alertA = await createAlert(a.orgId, a.owner, input(), NOW);
    const seenByB = await withTenant(b.orgId, (tx) => tx.select().from(alerts).where(eq(alerts.id, alertA.id)));
    expect(seenByB).toEqual([]);
    const deletedByB = await withTenant(b.orgId, (tx) => tx.delete(alerts).where(eq(alerts.id, alertA.id)).returning());
    expect(deletedByB).toEqual([]);
    const seenByA = await withTenant(a.orgId, (tx) => tx.select().from(alerts).where(eq(alerts.id, alertA.id)));
    expect(seenByA).toHaveLength(1);
  });

  it("viewers read alerts but cannot change them; members can", async () => {
    const { orgId, owner } = await makeOrg("starter");
    const viewer = await addMember(orgId, "viewer");
    const member = await addMember(orgId, "member");
    const row = await createAlert(orgId, owner, input(), NOW);
    expect((await listAlerts(orgId, viewer.actor)).map((r) => r.id)).toEqual([row.id]);
    expect(await getAlert(orgId, viewer.actor, row.id)).toEqual(row);
    expect((await appErrorOf(createAlert(orgId, viewer.actor, input("mine"), NOW))).code).toBe("forbidden");
    expect((await appErrorOf(updateAlert(orgId, viewer.actor, row.id, { active: false }, NOW))).code).toBe("forbidden");
    expect((await appErrorOf(deleteAlert(orgId, viewer.actor, row.id))).code).toBe("forbidden");
    await updateAlert(orgId, member.actor, row.id, { name: "by a member" }, NOW);
    await deleteAlert(orgId, member.actor, row.id);
  });

  it("after a downgrade the oldest alerts run; deleting or pausing a running one lets the oldest held one run, and resuming counts held ones", async () => {
    const { orgId, owner } = await makeOrg("free");
    await db().transaction(async (tx) => {
      await tx
        .insert(subscriptions)
        .values({ orgId, stripeSubscriptionId: `sub_${orgId}`, status: "active", plan: "starter" });
      await syncOrgPlan(tx, orgId, NOW);
    });
    const a = await createAlert(orgId, owner, input("a"), NOW);
    const b = await createAlert(orgId, owner, input("b"), new Date(NOW.getTime() + 1));
    await createAlert(orgId, owner, input("c"), new Date(NOW.getTime() + 2));
    const later = new Date(NOW.getTime() + 3_600_000);
    await db().transaction(async (tx) => {
      await tx.update(subscriptions).set({ status: "canceled" }).where(eq(subscriptions.orgId, orgId));
      await syncOrgPlan(tx, orgId, later);
    });
    const reasons = async () =>
      Object.fromEntries((await listAlerts(orgId, owner)).map((row) => [row.name, row.pausedReason]));
    expect(await reasons()).toEqual({ a: null, b: "plan_limit", c: "plan_limit" });
    expect(toApiAlert(await getAlert(orgId, owner, b.id)).paused_reason).toBe("plan_limit");
    expect((await appErrorOf(createAlert(orgId, owner, input("d"), later))).code).toBe("forbidden");

    await deleteAlert(orgId, owner, a.id, later);
    expect(await reasons()).toEqual({ b: null, c: "plan_limit" });
    // A resumed alert starts a fresh window: nothing from the held time is e-mailed.
    expect((await getAlert(orgId, owner, b.id)).lastWindowEnd).toEqual(later);

    await updateAlert(orgId, owner, b.id, { active: false }, later);
    expect(await reasons()).toEqual({ b: null, c: null });
    expect((await appErrorOf(updateAlert(orgId, owner, b.id, { active: true }, later))).code).toBe("forbidden");
    expect(await alertUsage(orgId, owner)).toEqual({ used: 1, max: 1, plan: "Free", held: 0 });
  });
});
