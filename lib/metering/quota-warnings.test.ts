import { and, eq, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { outboxEvents, quotaWarnings, usageQuotas } from "@/db/schema";
import { describeFunction } from "@/inngest/functions";
import { quotaWarnings as quotaWarningsFunction } from "@/inngest/functions/quota-warnings";
import { addMember, contextOf, makeOrg, systemContextOf } from "@/tests/support/factories";
import { systemActor } from "@/lib/context";
import { describeEachDatabase } from "@/tests/db";
import { setQuotaRemaining } from "./quota";
import { reachedThreshold, runQuotaWarnings } from "./quota-warnings";

describe("reachedThreshold", () => {
  it.each([
    [1000, 1000, null],
    [1000, 201, null],
    [1000, 200, 80],
    [1000, 1, 80],
    [1000, 0, 100],
    [5, 1, 80],
    [5, 2, null],
    [0, 0, null],
  ])("allowance %i with %i left → %s", (monthly, remaining, expected) => {
    expect(reachedThreshold(monthly, remaining)).toBe(expected);
  });
});

it("runs every ten minutes", () => {
  expect(describeFunction(quotaWarningsFunction)).toMatchObject({ cron: "*/10 * * * *", scheduled: true });
});

async function warningMail(orgId: string) {
  const rows = await db()
    .select({ payload: outboxEvents.payload })
    .from(outboxEvents)
    .where(and(eq(outboxEvents.orgId, orgId), like(outboxEvents.dedupeKey, "quota-warning:%")));
  return rows.map((r) => r.payload as { kind: string; to: string; subject: string; text: string });
}

async function allowance(orgId: string) {
  const [row] = await db().select().from(usageQuotas).where(eq(usageQuotas.orgId, orgId));
  return row!;
}

describeEachDatabase("quota warnings", () => {
  it("warns owners and billing members once at 80 % and once at 100 % of the month's allowance", async () => {
    const org = await makeOrg("starter", "Meter Co");
    const billing = await addMember(org.orgId, "billing");
    await addMember(org.orgId, "member");
    await setQuotaRemaining(contextOf(org.orgId, systemActor("seed")), 10);
    const { quotaMonthly } = await allowance(org.orgId);
    const fifth = Math.floor(quotaMonthly / 5);

    await setQuotaRemaining(contextOf(org.orgId, systemActor("seed")), fifth + 1);
    expect(await runQuotaWarnings(systemContextOf("metering"))).toMatchObject({ emailed: 0 });
    expect(await warningMail(org.orgId)).toEqual([]);

    await setQuotaRemaining(contextOf(org.orgId, systemActor("seed")), fifth);
    expect(await runQuotaWarnings(systemContextOf("metering"))).toMatchObject({ emailed: 2 });
    const at80 = await warningMail(org.orgId);
    expect(at80.map((m) => m.to).sort()).toEqual([org.ownerEmail, billing.email].sort());
    expect(at80[0]).toMatchObject({
      kind: "quota_warning_80",
      subject: "Meter Co has used 80% of this month's API calls on Beacon",
    });
    expect(at80[0]!.text).toContain(`${fifth.toLocaleString("en-US")} API calls left`);
    expect(at80[0]!.text).toContain("/settings/billing");
    // The next sweeps, and further use below 100 %, send nothing more.
    await setQuotaRemaining(contextOf(org.orgId, systemActor("seed")), 1);
    expect(await runQuotaWarnings(systemContextOf("metering"))).toMatchObject({ emailed: 0 });

    await setQuotaRemaining(contextOf(org.orgId, systemActor("seed")), 0);
    expect(await runQuotaWarnings(systemContextOf("metering"))).toMatchObject({ emailed: 2 });
    expect(await runQuotaWarnings(systemContextOf("metering"))).toMatchObject({ emailed: 0 });
    const all = await warningMail(org.orgId);
    expect(all.filter((m) => m.kind === "quota_warning_100")).toHaveLength(2);
    expect(all.find((m) => m.kind === "quota_warning_100")!.text).toContain("refused (HTTP 402)");
  });

  it("an org that goes straight to 100 % hears once, of 100 %, and a new period warns again", async () => {
    const org = await makeOrg("starter", "Jump Co");
    await setQuotaRemaining(contextOf(org.orgId, systemActor("seed")), 0);
    await db().update(usageQuotas).set({ creditsRemaining: 50 }).where(eq(usageQuotas.orgId, org.orgId));
    expect(await runQuotaWarnings(systemContextOf("metering"))).toMatchObject({ emailed: 1 });
    const [mail] = await warningMail(org.orgId);
    expect(mail).toMatchObject({ kind: "quota_warning_100" });
    expect(mail!.text).toContain("Calls now spend your credits (50 API calls left)");
    expect(await runQuotaWarnings(systemContextOf("metering"))).toMatchObject({ emailed: 0 });

    // The month rolls over (as the reset does) and the new allowance is spent again.
    const before = await allowance(org.orgId);
    const nextStart = before.periodEnd;
    await db()
      .update(usageQuotas)
      .set({ periodStart: nextStart, periodEnd: new Date(nextStart.getTime() + 30 * 86_400_000), quotaRemaining: 0 })
      .where(eq(usageQuotas.orgId, org.orgId));
    expect(await runQuotaWarnings(systemContextOf("metering", new Date(nextStart.getTime() + 1000)))).toMatchObject({
      emailed: 1,
    });
    const claims = await db().select().from(quotaWarnings).where(eq(quotaWarnings.orgId, org.orgId));
    expect(claims.map((c) => `${c.periodStart.toISOString()}:${c.threshold}`).sort()).toEqual(
      [before.periodStart, nextStart]
        .flatMap((start) => [`${start.toISOString()}:100`, `${start.toISOString()}:80`])
        .sort(),
    );
  });

  it("orgs warned earlier never fill a sweep's batch: the one still waiting is told", async () => {
    for (let i = 0; i < 5; i++) {
      const warned = await makeOrg("starter", `Warned ${i}`);
      await setQuotaRemaining(contextOf(warned.orgId, systemActor("seed")), 1);
      await runQuotaWarnings(systemContextOf("metering"), { batch: 1 });
    }
    const waiting = await makeOrg("starter", "Waiting Co");
    await setQuotaRemaining(contextOf(waiting.orgId, systemActor("seed")), 1);
    expect(await runQuotaWarnings(systemContextOf("metering"), { batch: 1 })).toMatchObject({ orgs: 1, emailed: 1 });
    expect(await warningMail(waiting.orgId)).toEqual([expect.objectContaining({ kind: "quota_warning_80" })]);
  });
});
