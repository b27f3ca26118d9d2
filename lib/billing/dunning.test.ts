import { and, eq, like } from "drizzle-orm";
import type Stripe from "stripe";
import { expect, it } from "vitest";
import { db } from "@/db/client";
import { auditLog, jobRuns, organizations, outboxEvents, subscriptions } from "@/db/schema";
import { dunning } from "@/inngest/functions/dunning";
import { systemActor } from "@/lib/context";
import { addMember, contextOf, makeOrg, systemContextOf } from "@/tests/support/factories";
import { runFunctionLocally } from "@/lib/jobs";
import { env } from "@/lib/env";
import { runRetention } from "@/lib/retention";
import { describeEachDatabase } from "@/tests/db";
import { endDunningGrace, runDunningSweep, sendDunningNotice } from "./dunning";
import { DUNNING_GRACE_DAYS } from "@/lib/plans";
import { ingestStripeEvent } from "./webhook";

const DAY = 86_400_000;
const billingIn = (orgId: string, now?: Date) => contextOf(orgId, systemActor("billing"), now);

async function failingProOrg(failedAt: Date, invoiceId: string) {
  const org = await makeOrg("pro", "Dunning Co");
  const billing = await addMember(org.orgId, "billing");
  await addMember(org.orgId, "member");
  await db()
    .insert(subscriptions)
    .values({
      orgId: org.orgId,
      stripeSubscriptionId: `sub_${invoiceId}`,
      stripeCustomerId: `cus_${invoiceId}`,
      status: "past_due",
      plan: "pro",
      paymentFailedAt: failedAt,
      failedInvoiceId: invoiceId,
      stripeEventCreated: failedAt,
    });
  return { ...org, billingEmail: billing.email };
}

async function dunningMail(orgId: string, invoiceId: string) {
  return db()
    .select({ key: outboxEvents.dedupeKey, status: outboxEvents.status, payload: outboxEvents.payload })
    .from(outboxEvents)
    .where(and(eq(outboxEvents.orgId, orgId), like(outboxEvents.dedupeKey, `dunning:${invoiceId}:%`)));
}

async function planOf(orgId: string) {
  const [row] = await db().select({ plan: organizations.plan }).from(organizations).where(eq(organizations.id, orgId));
  return row!.plan;
}

describeEachDatabase("dunning", () => {
  it("e-mails owners and billing members once per step, keeps the plan through the grace period, then downgrades (audited)", async () => {
    const failedAt = new Date("2026-03-02T10:00:00Z");
    const org = await failingProOrg(failedAt, "in_dun1");

    expect(await sendDunningNotice(billingIn(org.orgId), { invoiceId: "in_dun1", day: 0 })).toEqual({
      status: "sent",
      emails: 2,
    });
    expect(await sendDunningNotice(billingIn(org.orgId), { invoiceId: "in_dun1", day: 0 })).toEqual({
      status: "sent",
      emails: 0,
    });
    const mail = await dunningMail(org.orgId, "in_dun1");
    expect(mail.map((m) => (m.payload as { to: string }).to).sort()).toEqual([org.ownerEmail, org.billingEmail].sort());
    expect(mail.every((m) => m.status === "delivered")).toBe(true);
    expect((mail[0]!.payload as { text: string }).text).toContain("/settings/billing");

    expect(
      await endDunningGrace(billingIn(org.orgId, new Date(failedAt.getTime() + 5 * DAY)), { invoiceId: "in_dun1" }),
    ).toMatchObject({
      status: "waiting",
    });
    expect(await planOf(org.orgId)).toBe("pro");
    expect(
      await endDunningGrace(billingIn(org.orgId, new Date(failedAt.getTime() + DUNNING_GRACE_DAYS * DAY)), {
        invoiceId: "in_dun1",
      }),
    ).toEqual({ status: "downgraded", plan: "free" });
    expect(await planOf(org.orgId)).toBe("free");
    const [audit] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.orgId, org.orgId), eq(auditLog.action, "billing.dunning.downgraded")));
    expect(audit).toMatchObject({
      actorType: "system",
      targetId: "in_dun1",
      before: { plan: "pro" },
      after: { plan: "free" },
    });
  });

  it("a paid invoice stops everything: no more e-mails, no downgrade", async () => {
    const failedAt = new Date("2026-03-02T10:00:00Z");
    const org = await failingProOrg(failedAt, "in_dun2");
    await db()
      .update(subscriptions)
      .set({ paymentFailedAt: null, failedInvoiceId: null })
      .where(eq(subscriptions.orgId, org.orgId));
    expect(await sendDunningNotice(billingIn(org.orgId), { invoiceId: "in_dun2", day: 3 })).toEqual({
      status: "resolved",
    });
    expect(
      await endDunningGrace(billingIn(org.orgId, new Date(failedAt.getTime() + 30 * DAY)), { invoiceId: "in_dun2" }),
    ).toEqual({
      status: "resolved",
    });
    expect(await dunningMail(org.orgId, "in_dun2")).toHaveLength(0);
    expect(await planOf(org.orgId)).toBe("pro");
  });

  it("the sweep sends only the latest due step once and downgrades after the grace period", async () => {
    const failedAt = new Date("2026-04-01T00:00:00Z");
    const org = await failingProOrg(failedAt, "in_dun3");
    await runDunningSweep(systemContextOf("billing", new Date(failedAt.getTime() + 4 * DAY)));
    await runDunningSweep(systemContextOf("billing", new Date(failedAt.getTime() + 5 * DAY)));
    expect((await dunningMail(org.orgId, "in_dun3")).map((m) => m.key.split(":")[2]).sort()).toEqual(["day3", "day3"]);
    await runDunningSweep(systemContextOf("billing", new Date(failedAt.getTime() + (DUNNING_GRACE_DAYS + 1) * DAY)));
    expect(await planOf(org.orgId)).toBe("free");
  });

  it("the Inngest function runs every step as one recorded run (sleeps elapse locally)", async () => {
    const failedAt = new Date(Date.now() - (DUNNING_GRACE_DAYS + 2) * DAY);
    const org = await failingProOrg(failedAt, "in_dun4");
    const result = await runFunctionLocally(dunning, {
      event: {
        name: "billing/invoice.payment_failed",
        data: { org_id: org.orgId, invoice_id: "in_dun4", occurred_at: failedAt.toISOString() },
      },
      trigger: "cli",
    });
    expect(result.status).toBe("succeeded");
    const [run] = await db().select().from(jobRuns).where(eq(jobRuns.id, result.jobRunId));
    expect(run).toMatchObject({
      functionId: "dunning",
      orgId: org.orgId,
      status: "succeeded",
      output: { status: "downgraded", plan: "free" },
    });
    expect((await dunningMail(org.orgId, "in_dun4")).map((m) => m.key.split(":")[2]).sort()).toEqual([
      "day0",
      "day0",
      "day3",
      "day3",
      "day7",
      "day7",
    ]);
    expect(await planOf(org.orgId)).toBe("free");
  });
});

describeEachDatabase("dunning ends when it should", () => {
  it("a step is sent once even after retention deleted its delivered mail: the sweep never re-sends it", async () => {
    const failedAt = new Date(Date.now() - 8 * DAY);
    const org = await failingProOrg(failedAt, "in_end1");
    await runDunningSweep(systemContextOf("billing", new Date(failedAt.getTime() + 8 * DAY)));
    expect((await dunningMail(org.orgId, "in_end1")).map((m) => m.key.split(":")[2])).toEqual(["day7", "day7"]);

    const later = new Date(Date.now() + (env().RETENTION_OUTBOX_DAYS + 1) * DAY);
    await runRetention({ now: later });
    expect(await dunningMail(org.orgId, "in_end1")).toHaveLength(0);
    await runDunningSweep(systemContextOf("billing", later));
    await runDunningSweep(systemContextOf("billing", new Date(later.getTime() + 30 * DAY)));
    expect(await dunningMail(org.orgId, "in_end1")).toHaveLength(0);
  });

  it.each(["canceled", "incomplete_expired"])(
    "a %s subscription gets no dunning e-mail, from the run or the sweep",
    async (status) => {
      const failedAt = new Date(Date.now() - 4 * DAY);
      const org = await failingProOrg(failedAt, `in_end_${status}`);
      await db().update(subscriptions).set({ status }).where(eq(subscriptions.orgId, org.orgId));
      expect(await sendDunningNotice(billingIn(org.orgId), { invoiceId: `in_end_${status}`, day: 3 })).toEqual({
        status: "resolved",
      });
      await runDunningSweep(systemContextOf("billing", new Date(failedAt.getTime() + 8 * DAY)));
      expect(await dunningMail(org.orgId, `in_end_${status}`)).toHaveLength(0);
    },
  );

  it.each(["invoice.voided", "invoice.marked_uncollectible"])(
    "%s for the failing invoice ends dunning; for another invoice it changes nothing",
    async (type) => {
      const failedAt = new Date(Date.now() - 4 * DAY);
      const invoiceId = `in_${type.replace(/\W/g, "_")}`;
      const org = await failingProOrg(failedAt, invoiceId);
      const closeEvent = (id: string) =>
        ({
          id: `evt_${id}_${type}`,
          type,
          created: Math.floor(Date.now() / 1000),
          livemode: false,
          data: { object: { id, object: "invoice", customer: `cus_${invoiceId}`, subscription: `sub_${invoiceId}` } },
        }) as unknown as Stripe.Event;

      await ingestStripeEvent(systemContextOf("billing"), closeEvent("in_someone_else"));
      expect(await sendDunningNotice(billingIn(org.orgId), { invoiceId, day: 0 })).toEqual({
        status: "sent",
        emails: 2,
      });

      await ingestStripeEvent(systemContextOf("billing"), closeEvent(invoiceId));
      expect(await sendDunningNotice(billingIn(org.orgId), { invoiceId, day: 3 })).toEqual({ status: "resolved" });
      await runDunningSweep(systemContextOf("billing", new Date(failedAt.getTime() + 8 * DAY)));
      expect((await dunningMail(org.orgId, invoiceId)).map((m) => m.key.split(":")[2])).toEqual(["day0", "day0"]);
    },
  );
});
