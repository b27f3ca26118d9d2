import { expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { database, db } from "@/db/client";
import { alerts, subscriptions } from "@/db/schema";
import { syncOrgPlan } from "@/lib/billing";
import { withTenant } from "@/db/tenant";
import { describeEachDatabase } from "@/tests/db";
import { appErrorOf } from "@/tests/app-error";
import { messagesDuring } from "@/tests/support/pg-messages";
import { alertUsage, createAlert, deleteAlert, getAlert, listAlerts, toApiAlert, updateAlert } from "./index";
import { addMember, makeOrg, contextOf } from "@/tests/support/factories";

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
    const row = await createAlert(contextOf(orgId, owner, NOW), input());
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
    expect(await getAlert(contextOf(orgId, owner), row.id)).toEqual(row);
    expect(await listAlerts(contextOf(orgId, owner))).toEqual([row]);
  });

  it("an API key's alert goes to the org owner's address unless one is given", async () => {
    const { orgId, ownerEmail } = await makeOrg("starter");
    const member = await addMember(orgId, "member");
    const byKey = await createAlert(contextOf(orgId, { apiKeyId: "key" }, NOW), {
      name: "From the API",
      frequency: "weekly",
    });
    expect(byKey).toMatchObject({
      deliveryEmail: ownerEmail,
      createdBy: null,
      q: null,
      naics: [],
      states: [],
      setAsides: [],
    });
    const explicit = await createAlert(contextOf(orgId, { apiKeyId: "key" }, NOW), {
      name: "Elsewhere",
      frequency: "instant",
      delivery_email: "Bids@Example.com",
    });
    expect(explicit.deliveryEmail).toBe("bids@example.com");
    const byMember = await createAlert(contextOf(orgId, member.actor, NOW), { name: "Mine", frequency: "daily" });
    expect(byMember.deliveryEmail).toBe(member.email);
  });

  it("createAlert validates its input itself (callers other than routes)", async () => {
    const { orgId, owner } = await makeOrg("starter");
    const error = await appErrorOf(
      createAlert(contextOf(orgId, owner, NOW), { name: "x", frequency: "daily", naics: ["5415x"] }),
    );
    expect(error.code).toBe("validation_failed");
    expect(error.extra.errors).toEqual([{ path: "naics.0", message: expect.stringContaining("NAICS") }]);
  });

  it("the free plan allows one active alert: the second is forbidden, pausing frees the slot, resuming re-checks", async () => {
    const { orgId, owner } = await makeOrg("free");
    const first = await createAlert(contextOf(orgId, owner, NOW), input("first"));
    const refused = await appErrorOf(createAlert(contextOf(orgId, owner, NOW), input("second")));
    expect(refused.code).toBe("forbidden");
    expect(refused.message).toMatch(/allows 1 active alert\b/);
    expect(await alertUsage(contextOf(orgId, owner))).toEqual({ used: 1, max: 1, plan: "Free", held: 0 });

    await updateAlert(contextOf(orgId, owner, NOW), first.id, { active: false });
    const second = await createAlert(contextOf(orgId, owner, NOW), input("second"));
    expect((await appErrorOf(updateAlert(contextOf(orgId, owner, NOW), first.id, { active: true }))).code).toBe(
      "forbidden",
    );
    expect((await getAlert(contextOf(orgId, owner), first.id)).active).toBe(false);
    // Editing a paused alert, or re-saving an active one as active, is not a new alert.
    await updateAlert(contextOf(orgId, owner, NOW), first.id, { name: "first, renamed" });
    await updateAlert(contextOf(orgId, owner, NOW), second.id, { active: true });
    expect(await alertUsage(contextOf(orgId, owner))).toEqual({ used: 1, max: 1, plan: "Free", held: 0 });
  });

  it("concurrent creates never exceed the plan (starter: 10)", async () => {
    const { orgId, owner } = await makeOrg("starter");
    for (let i = 0; i < 7; i++) await createAlert(contextOf(orgId, owner, NOW), input(`a${i}`));
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => createAlert(contextOf(orgId, owner, NOW), input(`b${i}`))),
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
    const a = await createAlert(contextOf(orgId, owner, NOW), input("a"));
    await updateAlert(contextOf(orgId, owner, NOW), a.id, { active: false });
    const b = await createAlert(contextOf(orgId, owner, NOW), input("b"));
    await updateAlert(contextOf(orgId, owner, NOW), b.id, { active: false });
    const results = await Promise.allSettled([
      updateAlert(contextOf(orgId, owner, NOW), a.id, { active: true }),
      updateAlert(contextOf(orgId, owner, NOW), b.id, { active: true }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect((await alertUsage(contextOf(orgId, owner))).used).toBe(1);
  });

  it("updateAlert changes name, filters and frequency; resuming starts a fresh window", async () => {
    const { orgId, owner } = await makeOrg("starter");
    const row = await createAlert(contextOf(orgId, owner, NOW), input());
    const later = new Date(NOW.getTime() + 3 * 86_400_000);
    const edited = await updateAlert(contextOf(orgId, owner, later), row.id, {
      name: "Renamed",
      frequency: "weekly",
      q: null,
      naics: ["31-33"],
      states: [],
      set_asides: ["8A"],
    });
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
    await updateAlert(contextOf(orgId, owner, later), row.id, { active: false });
    const resumedAt = new Date(later.getTime() + 86_400_000);
    const resumed = await updateAlert(contextOf(orgId, owner, resumedAt), row.id, { active: true });
    expect(resumed).toMatchObject({ active: true, lastWindowEnd: resumedAt });
  });

  it("deleteAlert removes it; a second delete is 404", async () => {
    const { orgId, owner } = await makeOrg("starter");
    const row = await createAlert(contextOf(orgId, owner, NOW), input());
    await deleteAlert(contextOf(orgId, owner), row.id);
    expect((await appErrorOf(getAlert(contextOf(orgId, owner), row.id))).code).toBe("not_found");
    expect((await appErrorOf(deleteAlert(contextOf(orgId, owner), row.id))).code).toBe("not_found");
  });

  it("another org's alert, an unknown id and a non-uuid all answer 404 and change nothing", async () => {
    const a = await makeOrg("starter", "Alpha");
    const b = await makeOrg("starter", "Bravo");
    const alertA = await createAlert(contextOf(a.orgId, a.owner, NOW), input());
    for (const id of [alertA.id, "00000000-0000-4000-8000-000000000000", "not-a-uuid", "1 or 1=1", ""]) {
      expect((await appErrorOf(getAlert(contextOf(b.orgId, b.owner), id))).code).toBe("not_found");
      expect((await appErrorOf(deleteAlert(contextOf(b.orgId, b.owner), id))).code).toBe("not_found");
      expect((await appErrorOf(updateAlert(contextOf(b.orgId, b.owner, NOW), id, { name: "stolen" }))).code).toBe(
        "not_found",
      );
      expect((await appErrorOf(updateAlert(contextOf(b.orgId, b.owner, NOW), id, { active: true }))).code).toBe(
        "not_found",
      );
    }
    expect(await listAlerts(contextOf(b.orgId, b.owner))).toEqual([]);
    expect(await getAlert(contextOf(a.orgId, a.owner), alertA.id)).toEqual(alertA);
  });

  it("row-level security hides another org's alerts even from a query that forgets org_id", async () => {
    const a = await makeOrg("starter", "Alpha");
    const b = await makeOrg("starter", "Bravo");
    const alertA = await createAlert(contextOf(a.orgId, a.owner, NOW), input());
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
    const row = await createAlert(contextOf(orgId, owner, NOW), input());
    expect((await listAlerts(contextOf(orgId, viewer.actor))).map((r) => r.id)).toEqual([row.id]);
    expect(await getAlert(contextOf(orgId, viewer.actor), row.id)).toEqual(row);
    expect((await appErrorOf(createAlert(contextOf(orgId, viewer.actor, NOW), input("mine")))).code).toBe("forbidden");
    expect((await appErrorOf(updateAlert(contextOf(orgId, viewer.actor, NOW), row.id, { active: false }))).code).toBe(
      "forbidden",
    );
    expect((await appErrorOf(deleteAlert(contextOf(orgId, viewer.actor), row.id))).code).toBe("forbidden");
    await updateAlert(contextOf(orgId, member.actor, NOW), row.id, { name: "by a member" });
    await deleteAlert(contextOf(orgId, member.actor), row.id);
  });

  it("after a downgrade the oldest alerts run; deleting or pausing a running one lets the oldest held one run, and resuming counts held ones", async () => {
    const { orgId, owner } = await makeOrg("free");
    await db().transaction(async (tx) => {
      await tx
        .insert(subscriptions)
        .values({ orgId, stripeSubscriptionId: `sub_${orgId}`, status: "active", plan: "starter" });
      await syncOrgPlan(tx, orgId, NOW);
    });
    const a = await createAlert(contextOf(orgId, owner, NOW), input("a"));
    const b = await createAlert(contextOf(orgId, owner, new Date(NOW.getTime() + 1)), input("b"));
    await createAlert(contextOf(orgId, owner, new Date(NOW.getTime() + 2)), input("c"));
    const later = new Date(NOW.getTime() + 3_600_000);
    const sent = await messagesDuring(() =>
      db().transaction(async (tx) => {
        await tx.update(subscriptions).set({ status: "canceled" }).where(eq(subscriptions.orgId, orgId));
        await syncOrgPlan(tx, orgId, later);
      }),
    );
    // The plan sync reads the org's alerts once, locked, and decides with the plan it just set
    // (PGlite counts nothing).
    if (database().driver === "postgres")
      expect(sent.filter((message) => /^select .* from "alerts"/s.test(message))).toHaveLength(1);
    const reasons = async () =>
      Object.fromEntries((await listAlerts(contextOf(orgId, owner))).map((row) => [row.name, row.pausedReason]));
    expect(await reasons()).toEqual({ a: null, b: "plan_limit", c: "plan_limit" });
    expect(toApiAlert(await getAlert(contextOf(orgId, owner), b.id)).paused_reason).toBe("plan_limit");
    expect((await appErrorOf(createAlert(contextOf(orgId, owner, later), input("d")))).code).toBe("forbidden");

    await deleteAlert(contextOf(orgId, owner, later), a.id);
    expect(await reasons()).toEqual({ b: null, c: "plan_limit" });
    // A resumed alert starts a fresh window: nothing from the held time is e-mailed.
    expect((await getAlert(contextOf(orgId, owner), b.id)).lastWindowEnd).toEqual(later);

    await updateAlert(contextOf(orgId, owner, later), b.id, { active: false });
    expect(await reasons()).toEqual({ b: null, c: null });
    expect((await appErrorOf(updateAlert(contextOf(orgId, owner, later), b.id, { active: true }))).code).toBe(
      "forbidden",
    );
    expect(await alertUsage(contextOf(orgId, owner))).toEqual({ used: 1, max: 1, plan: "Free", held: 0 });
  });
});
