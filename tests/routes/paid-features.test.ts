import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeEach, expect, it } from "vitest";
import * as searchRoute from "@/app/api/v1/opportunities/route";
import * as usageRoute from "@/app/api/v1/usage/route";
import { POST as stripeWebhook } from "@/app/api/webhooks/stripe/route";
import { db } from "@/db/client";
import { alertDigests, alerts } from "@/db/schema";
import {
  alertUsage,
  createAlert,
  listAlerts,
  runDueDigests,
  runInstantAlerts,
  type AlertFrequency,
} from "@/lib/alerts";
import { insertOpportunity, makeOrg, contextOf, systemContextOf } from "@/tests/support/factories";
import { createApiKey } from "@/lib/auth";
import { planById, type PlanId } from "@/lib/plans";
import { seatUsage } from "@/lib/orgs";
import { MemoryRateLimiter, setRateLimiter } from "@/lib/ratelimit";
import { describeOnOneDatabase } from "@/tests/db";
import { withTestEnv } from "@/tests/env";
import {
  invoiceFailedEventFor,
  signed,
  subscriptionEventFor,
  TEST_PRICES,
  TEST_WEBHOOK_SECRET,
} from "@/tests/fixtures/stripe/events";
import { systemActor } from "@/lib/context";

// Paid features end when payment ends: Stripe events go through the real webhook route, alerts
// through the real digest and instant runs, quota and rate tier through the real API routes.

withTestEnv({ STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, ...TEST_PRICES });
beforeEach(() => setRateLimiter(new MemoryRateLimiter()));
afterAll(() => setRateLimiter(undefined));

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const nowSeconds = () => Math.floor(Date.now() / 1000);
let seq = 0;

async function postStripe(event: unknown) {
  const { payload, header } = signed(event);
  const res = await stripeWebhook(
    new Request("http://localhost/api/webhooks/stripe", {
      method: "POST",
      body: payload,
      headers: { "content-type": "application/json", "stripe-signature": header },
    }),
  );
  expect(res.status).toBe(200);
}

function callApi(handler: (request: Request) => Promise<Response>, path: string, key: string) {
  return handler(new Request(`http://localhost:3000${path}`, { headers: { authorization: `Bearer ${key}` } }));
}

/** A free org whose owner subscribes to Pro (a live subscription event), with alerts created oldest first. */
async function proOrgWithAlerts(frequencies: AlertFrequency[], start: Date) {
  const org = await makeOrg("free", "Paid features Co");
  const sub = { orgId: org.orgId, subId: `sub_pf${seq}`, customer: `cus_pf${seq++}` };
  await postStripe(subscriptionEventFor({ ...sub, created: nowSeconds() - 1_000, status: "active" }));
  const ids: string[] = [];
  for (const [i, frequency] of frequencies.entries()) {
    ids.push(
      (
        await createAlert(contextOf(org.orgId, org.owner, new Date(start.getTime() + i)), {
          name: `alert ${i}`,
          frequency,
        })
      ).id,
    );
  }
  return { ...org, sub, alertIds: ids };
}

/** The alerts whose digests were e-mailed, one entry per e-mail. */
async function mailedAlerts(alertIds: string[]) {
  const rows = await db()
    .select({ alertId: alertDigests.alertId, email: alertDigests.emailMessageId })
    .from(alertDigests)
    .where(inArray(alertDigests.alertId, alertIds));
  return { mailed: rows.filter((r) => r.email).map((r) => r.alertId) };
}

describeOnOneDatabase("paid features end when payment ends", () => {
  it("customer.subscription.deleted: the next digest run mails only what the free plan allows (the oldest alert), and a new subscription resumes the rest", async () => {
    const start = new Date();
    const org = await proOrgWithAlerts(["daily", "daily", "daily"], start);
    await insertOpportunity({ createdAt: new Date(start.getTime() + MINUTE) });

    await postStripe(
      subscriptionEventFor({
        ...org.sub,
        type: "customer.subscription.deleted",
        created: nowSeconds() - 500,
        status: "canceled",
      }),
    );
    const key = await createApiKey(contextOf(org.orgId, systemActor("seed")), { name: "usage" });
    expect(await (await callApi(usageRoute.GET, "/api/v1/usage", key.key)).json()).toMatchObject({ plan: "free" });

    const dayLater = new Date(start.getTime() + DAY + 2 * MINUTE);
    await runDueDigests(systemContextOf("digest-fanout", dayLater));
    expect((await mailedAlerts(org.alertIds)).mailed).toEqual([org.alertIds[0]]);
    const listed = await listAlerts(contextOf(org.orgId, org.owner));
    expect(listed.map((a) => [a.name, a.active, a.pausedReason])).toEqual([
      ["alert 2", true, "plan_limit"],
      ["alert 1", true, "plan_limit"],
      ["alert 0", true, null],
    ]);
    expect(await alertUsage(contextOf(org.orgId, org.owner))).toEqual({ used: 1, max: 1, plan: "Free", held: 2 });

    // Reactivation (a new subscription): the held alerts resume by themselves, with a fresh window.
    const resumedAt = new Date();
    await postStripe(
      subscriptionEventFor({
        ...org.sub,
        subId: `${org.sub.subId}_again`,
        created: nowSeconds() - 100,
        status: "active",
      }),
    );
    const after = await listAlerts(contextOf(org.orgId, org.owner));
    expect(after.map((a) => a.pausedReason)).toEqual([null, null, null]);
    for (const alert of after.filter((a) => a.name !== "alert 0"))
      expect(alert.lastWindowEnd!.getTime()).toBeGreaterThanOrEqual(resumedAt.getTime());
    await insertOpportunity({ createdAt: new Date(dayLater.getTime() + MINUTE) });
    await runDueDigests(systemContextOf("digest-fanout", new Date(start.getTime() + 2 * DAY + 4 * MINUTE)));
    const mailed = (await mailedAlerts(org.alertIds)).mailed;
    expect(mailed.filter((id) => id === org.alertIds[0])).toHaveLength(2);
    expect(mailed.filter((id) => id !== org.alertIds[0]).sort()).toEqual([org.alertIds[1], org.alertIds[2]].sort());
  });

  it("the digest checks at send time: alerts the plan does not cover are not mailed even when their hold was never recorded", async () => {
    const start = new Date();
    const org = await proOrgWithAlerts(["daily", "daily", "daily"], start);
    await postStripe(subscriptionEventFor({ ...org.sub, created: nowSeconds() - 500, status: "unpaid" }));
    // The bookkeeping lags (e.g. rows from before holds existed): every alert looks covered.
    await db().update(alerts).set({ pausedReason: null }).where(eq(alerts.orgId, org.orgId));
    await insertOpportunity({ createdAt: new Date(start.getTime() + MINUTE) });
    const summary = await runDueDigests(systemContextOf("digest-fanout", new Date(start.getTime() + DAY + 2 * MINUTE)));
    expect(summary.emails).toBeGreaterThanOrEqual(1);
    expect((await mailedAlerts(org.alertIds)).mailed).toEqual([org.alertIds[0]]);
    // …and the run records why, so the alerts page says so.
    const held = await db()
      .select({ id: alerts.id })
      .from(alerts)
      .where(and(eq(alerts.orgId, org.orgId), eq(alerts.pausedReason, "plan_limit")));
    expect(held.map((a) => a.id).sort()).toEqual([org.alertIds[1], org.alertIds[2]].sort());
  });

  // Every paid feature × every subscription status, each reached through the webhook.
  const CASES: { status: string; label: string; pauseCollection?: string; failedDaysAgo?: number; plan: PlanId }[] = [
    { status: "trialing", label: "trialing", plan: "pro" },
    { status: "active", label: "active", plan: "pro" },
    { status: "past_due", label: "past_due inside the grace period", failedDaysAgo: 1, plan: "pro" },
    { status: "past_due", label: "past_due after the grace period", failedDaysAgo: 15, plan: "free" },
    { status: "unpaid", label: "unpaid", plan: "free" },
    { status: "canceled", label: "canceled", plan: "free" },
    { status: "paused", label: "paused", plan: "free" },
    { status: "active", label: "active with collection paused", pauseCollection: "void", plan: "free" },
    { status: "incomplete", label: "incomplete", plan: "free" },
    { status: "incomplete_expired", label: "incomplete_expired", plan: "free" },
  ];

  it.each(CASES)(
    "$label → $plan: alerts, instant alerts, seats, API quota and rate tier",
    async ({ status, pauseCollection, failedDaysAgo, plan }) => {
      const start = new Date();
      const org = await proOrgWithAlerts(["daily", "daily", "instant"], start);
      if (failedDaysAgo)
        await postStripe(invoiceFailedEventFor({ ...org.sub, created: nowSeconds() - failedDaysAgo * 86_400 }));
      await postStripe(subscriptionEventFor({ ...org.sub, created: nowSeconds() - 500, status, pauseCollection }));
      const expected = planById(plan);

      // API quota and rate tier, as the API answers them.
      const key = await createApiKey(contextOf(org.orgId, systemActor("seed")), { name: "table" });
      expect(await (await callApi(usageRoute.GET, "/api/v1/usage", key.key)).json()).toMatchObject({
        plan,
        quota_monthly: expected.monthlyApiQuota,
      });
      const search = await callApi(searchRoute.GET, "/api/v1/opportunities?limit=1", key.key);
      expect(search.status).toBe(200);
      expect(search.headers.get("ratelimit-limit")).toBe(String(expected.requestsPerMinute));
      // Seats.
      expect((await seatUsage(contextOf(org.orgId, org.owner))).limit).toBe(expected.maxSeats);

      // Alerts: the oldest `maxAlerts` run, instant ones only where the plan includes them.
      const running = org.alertIds.filter((_, i) => i < expected.maxAlerts);
      const instantId = org.alertIds[2]!;
      const runningDaily = running.filter((id) => id !== instantId);
      const runningInstant = running.includes(instantId) && expected.instantAlerts ? [instantId] : [];
      expect(await alertUsage(contextOf(org.orgId, org.owner))).toMatchObject({
        used: running.length,
        max: expected.maxAlerts,
        held: 3 - running.length,
      });
      await insertOpportunity({ createdAt: new Date(start.getTime() + MINUTE) });
      await runInstantAlerts(systemContextOf("digest-fanout", new Date(start.getTime() + 2 * MINUTE)));
      await runDueDigests(systemContextOf("digest-fanout", new Date(start.getTime() + DAY + 2 * MINUTE)));
      expect((await mailedAlerts(org.alertIds)).mailed.sort()).toEqual([...runningDaily, ...runningInstant].sort());
    },
  );
});
