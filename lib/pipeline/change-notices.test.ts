import { createHash, randomUUID } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { alertDigests, alerts, memberships, outboxEvents } from "@/db/schema";
import { withTenant } from "@/db/tenant";
import { createUserWithOrganization } from "@/lib/auth";
import type { PlanId } from "@/lib/plans";
import { upsertOpportunities } from "@/lib/opportunities";
import { fromApi, runway, runwayAmended, runwayAward } from "@/tests/fixtures/amended-notices";
import { describeEachDatabaseAsApp } from "@/tests/db";
import { runChangeNotices } from "./change-notices";
import { trackNotice, updateTracked } from "./index";
import { contextOf, systemContextOf } from "@/tests/support/factories";

const at = (time: string) => new Date(`2031-03-04T${time}:00Z`);
const addressKey = (email: string) => createHash("sha256").update(email.toLowerCase()).digest("hex").slice(0, 24);

async function signUp(name: string, plan: PlanId) {
  const email = `${name.toLowerCase()}-${randomUUID().slice(0, 8)}@changes.test`;
  const user = await createUserWithOrganization({
    name,
    email,
    passwordHash: "x",
    organizationName: `${name} Co`,
    plan,
    sendVerification: false,
  });
  return { ...user, email, actor: { userId: user.userId, role: "owner" as const } };
}

/** The "what changed" e-mails queued for an org, oldest first (read as the org: row-level security applies). */
async function changeEmails(orgId: string) {
  const rows = await withTenant(orgId, (tx) =>
    tx
      .select({ payload: outboxEvents.payload, dedupeKey: outboxEvents.dedupeKey })
      .from(outboxEvents)
      .where(eq(outboxEvents.kind, "email"))
      .orderBy(asc(outboxEvents.createdAt), asc(outboxEvents.id)),
  );
  return rows
    .filter((r) => r.payload.kind === "notice_changes")
    .map((r) => ({ to: r.payload.to, subject: r.payload.subject, text: r.payload.text as string, key: r.dedupeKey }));
}

describeEachDatabaseAsApp("what changed e-mails for tracked notices and alert matches", () => {
  it("mails the amendment and the award once per window to the assignee of the tracked notice and to the alert that sent it", async () => {
    await upsertOpportunities([fromApi(runway)], at("10:05"));
    const org = await signUp("Runway", "starter");
    const member = await signUp("Mia", "free");
    await withTenant(org.orgId, (tx) =>
      tx.insert(memberships).values({ orgId: org.orgId, userId: member.userId, role: "member" }),
    );
    const { tracked } = await trackNotice(contextOf(org.orgId, org.actor, at("10:10")), {
      notice_id: runway.noticeId as string,
    });
    await updateTracked(contextOf(org.orgId, org.actor, at("10:11")), tracked.id, { assignee_id: member.userId });
    // An org that tracks nothing hears nothing.
    const bystander = await signUp("Bystander", "starter");
    // An org whose alert sent the notice hears at the alert's address when it is a member's (any case);
    // its paused alert and an alert to a shared inbox (nobody's address) do not.
    const alerted = await signUp("Alerted", "starter");
    const sharedInbox = `bids-${randomUUID().slice(0, 8)}@alerted.test`;
    // A free org's alert sent it too: its plan has no change tracking.
    const free = await signUp("Free", "free");
    const sentBy = async (org: typeof alerted, values: { name: string; deliveryEmail: string; active?: boolean }[]) =>
      withTenant(org.orgId, async (tx) => {
        const made = await tx
          .insert(alerts)
          .values(values.map((v) => ({ orgId: org.orgId, frequency: "daily" as const, ...v })))
          .returning({ id: alerts.id });
        await tx.insert(alertDigests).values(
          made.map((alert) => ({
            orgId: org.orgId,
            alertId: alert.id,
            windowStart: at("09:00"),
            windowEnd: at("10:00"),
            matchCount: 1,
            noticeIds: [runway.noticeId as string],
            createdAt: at("10:12"),
          })),
        );
      });
    await sentBy(alerted, [
      { name: "Runways", deliveryEmail: alerted.email.toUpperCase() },
      { name: "Shared", deliveryEmail: sharedInbox },
      { name: "Old", deliveryEmail: alerted.email, active: false },
    ]);
    await sentBy(free, [{ name: "Free runways", deliveryEmail: free.email }]);

    await upsertOpportunities([fromApi(runwayAmended)], at("10:20"));
    await upsertOpportunities([fromApi(runwayAward)], at("10:40"));
    // The same record again in the window: nothing more to say.
    await upsertOpportunities([fromApi(runwayAward)], at("10:50"));

    // The window 10:00–11:00 is still open (and settling) at 11:02.
    expect(await runChangeNotices(systemContextOf("change-notices", at("11:02")))).toEqual({
      changes: 0,
      emailed: 0,
      posted: 0,
    });
    expect(await runChangeNotices(systemContextOf("change-notices", at("11:06")))).toEqual({
      changes: 4,
      emailed: 2,
      posted: 0,
    });
    expect(await runChangeNotices(systemContextOf("change-notices", at("12:06")))).toEqual({
      changes: 4,
      emailed: 0,
      posted: 0,
    });

    const [email, ...others] = await changeEmails(org.orgId);
    expect(others).toEqual([]);
    expect(email).toMatchObject({
      to: member.email,
      subject: "2 notices you follow changed",
      key: `notice-changes:${addressKey(member.email)}:2031-03-04T11:00:00.000Z`,
    });
    expect(email!.text).toContain("  - Response deadline moved from Feb 3, 2025 to Feb 17, 2025");
    expect(email!.text).toContain("  - Attachment added: 0123456789abcdef");
    expect(email!.text).toContain("  - Notice type changed from Solicitation to Award Notice");
    expect(email!.text).toContain("  - Award: ACME Inc., $1,234,567.00, contract FA304725C0011");
    expect(email!.text).toContain(`/opportunities/${runwayAward.noticeId as string}`);
    expect(await changeEmails(bystander.orgId)).toEqual([]);
    const [alertEmail, ...moreAlertEmails] = await changeEmails(alerted.orgId);
    expect(moreAlertEmails).toEqual([]);
    expect(alertEmail).toMatchObject({ to: alerted.email, subject: "2 notices you follow changed" });
    expect(await changeEmails(free.orgId)).toEqual([]);
    expect(alertEmail!.text).toContain("  - Award: ACME Inc., $1,234,567.00, contract FA304725C0011");

    // A change in a later window is a later e-mail; once the notice is no-bid, none.
    await upsertOpportunities([fromApi({ ...runwayAward, active: "No" })], at("13:15"));
    expect(await runChangeNotices(systemContextOf("change-notices", at("14:06")))).toMatchObject({ emailed: 2 });
    expect((await changeEmails(org.orgId)).at(-1)).toMatchObject({
      subject: "Changed: Runway Rubber Removal",
      key: `notice-changes:${addressKey(member.email)}:2031-03-04T14:00:00.000Z`,
    });
    await updateTracked(contextOf(org.orgId, org.actor, at("14:10")), tracked.id, { stage: "no_bid" });
    await upsertOpportunities([fromApi(runwayAward)], at("14:15"));
    // The alert still follows it.
    expect(await runChangeNotices(systemContextOf("change-notices", at("15:06")))).toMatchObject({ emailed: 1 });
    expect(await changeEmails(org.orgId)).toHaveLength(2);
    expect(await changeEmails(alerted.orgId)).toHaveLength(3);
  });
});
