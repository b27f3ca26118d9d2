import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "@/db/client";
import { jobRuns, opsAlerts, organizations, outboxEvents, subscriptions } from "@/db/schema";
import { contextOf, makeOrg, operatorContextOf, systemContextOf } from "@/tests/support/factories";
import { env } from "@/lib/env";
import { saveBusinessProfile } from "@/lib/onboarding";
import { describeEachDatabase } from "@/tests/db";
import { listOpsAlerts, runOpsAlertDetector } from "./alerts";

const received: { text: string }[] = [];
let receiver: http.Server;
let receiverUrl = "";

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push(JSON.parse(body));
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/services/T000/B000/secret`;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

const HOUR = 3_600_000;

describeEachDatabase("ops alerts (stuck customers and system thresholds)", () => {
  it("opens one alert per condition and subject, notifies once (not while muted), resolves when it clears, reopens when it recurs", async () => {
    // The detector's clock is a day and more after these customers signed up (none saves a profile).
    const now = new Date(Date.now() + 30 * HOUR);
    const config = { ...env(), OPS_ALERT_WEBHOOK_URL: receiverUrl };
    received.length = 0;

    const idle = await makeOrg("free", "Idle Co");
    const muted = await makeOrg("free", "Muted Co");
    await db()
      .update(organizations)
      .set({ opsAlertsMutedUntil: new Date(now.getTime() + 24 * HOUR) })
      .where(eq(organizations.id, muted.orgId));

    const unactivated = await makeOrg("free", "Paid Co");
    await db()
      .insert(subscriptions)
      .values({
        orgId: unactivated.orgId,
        stripeSubscriptionId: "sub_unactivated",
        status: "active",
        plan: "pro",
        updatedAt: new Date(now.getTime() - 20 * 60_000),
      });
    const fresh = await makeOrg("free", "Just Paid Co");
    await db()
      .insert(subscriptions)
      .values({
        orgId: fresh.orgId,
        stripeSubscriptionId: "sub_fresh",
        status: "active",
        plan: "pro",
        updatedAt: new Date(now.getTime() - 60_000),
      });
    const failing = await makeOrg("pro", "Failing Co");
    await db()
      .insert(subscriptions)
      .values({
        orgId: failing.orgId,
        stripeSubscriptionId: "sub_failing",
        status: "past_due",
        plan: "pro",
        paymentFailedAt: new Date(now.getTime() - 3 * HOUR),
        failedInvoiceId: "in_f",
      });

    await db().insert(outboxEvents).values({ kind: "email", dedupeKey: "dead-one", payload: {}, status: "dead" });
    for (const status of ["failed", "succeeded", "succeeded"]) {
      await db()
        .insert(jobRuns)
        .values({
          functionId: "alert-digests",
          runId: `r-${status}-${Math.random()}`,
          status,
          finishedAt: new Date(now.getTime() - 10 * 60_000),
          createdAt: new Date(now.getTime() - 10 * 60_000),
        });
    }

    const first = await runOpsAlertDetector(systemContextOf("ops-cockpit", now), config);
    const open = await db().select().from(opsAlerts).where(eq(opsAlerts.status, "open"));
    const bySubject = (kind: string) =>
      open
        .filter((a) => a.kind === kind)
        .map((a) => a.subject)
        .sort();
    expect(bySubject("onboarding_idle")).toEqual([idle.orgId, muted.orgId].sort());
    expect(bySubject("paid_not_activated")).toEqual([unactivated.orgId]);
    expect(bySubject("payment_failed")).toEqual([failing.orgId]);
    expect(bySubject("dead_letters")).toEqual(["system"]);
    expect(bySubject("job_failure_rate")).toEqual(["system"]);
    expect(first).toMatchObject({ opened: open.length, resolved: 0, open: open.length, notified: open.length - 1 });
    expect(received).toHaveLength(open.length - 1);
    expect(received.some((m) => m.text.includes("Idle Co"))).toBe(true);
    expect(received.some((m) => m.text.includes("Muted Co"))).toBe(false);

    // Same state: nothing new opened or sent.
    const second = await runOpsAlertDetector(systemContextOf("ops-cockpit", new Date(now.getTime() + 60_000)), config);
    expect(second).toMatchObject({ opened: 0, resolved: 0, open: open.length, notified: 0 });
    expect(received).toHaveLength(open.length - 1);

    // The profile is saved: that alert resolves; the others stay.
    await saveBusinessProfile(contextOf(idle.orgId, idle.owner), {
      companyName: "Idle Co",
      naicsCodes: ["5415"],
      keywords: ["cybersecurity"],
      setAsides: [],
      states: [],
    });
    const third = await runOpsAlertDetector(systemContextOf("ops-cockpit", new Date(now.getTime() + 120_000)), config);
    expect(third).toMatchObject({ opened: 0, resolved: 1, open: open.length - 1 });

    // A condition that clears and comes back: a new alert, notified again.
    await db().update(subscriptions).set({ paymentFailedAt: null }).where(eq(subscriptions.orgId, failing.orgId));
    expect(
      await runOpsAlertDetector(systemContextOf("ops-cockpit", new Date(now.getTime() + 150_000)), config),
    ).toMatchObject({
      opened: 0,
      resolved: 1,
    });
    await db()
      .update(subscriptions)
      .set({ paymentFailedAt: new Date(now.getTime() - 3 * HOUR) })
      .where(eq(subscriptions.orgId, failing.orgId));
    const fourth = await runOpsAlertDetector(systemContextOf("ops-cockpit", new Date(now.getTime() + 180_000)), config);
    expect(fourth).toMatchObject({ opened: 1, notified: 1 });
    const failingAlerts = await db().select().from(opsAlerts).where(eq(opsAlerts.subject, failing.orgId));
    expect(failingAlerts.map((a) => a.status).sort()).toEqual(["open", "resolved"]);

    // The mute ends while still stuck: notified then, once.
    const afterMute = await runOpsAlertDetector(
      systemContextOf("ops-cockpit", new Date(now.getTime() + 25 * HOUR)),
      config,
    );
    expect(received.filter((m) => m.text.includes("Muted Co"))).toHaveLength(1);
    expect(afterMute.notified).toBeGreaterThanOrEqual(1);
  });

  it("lists alerts filtered by severity and subject in the database", async () => {
    await db()
      .insert(opsAlerts)
      .values([
        { kind: "dead_letters", subject: "filter-test-system", summary: "dead" },
        { kind: "stale_heartbeat", subject: "filter-test-digests", summary: "late" },
        { kind: "stale_heartbeat", subject: "filter-test-heartbeat", summary: "late", status: "resolved" },
      ]);
    const critical = await listOpsAlerts(operatorContextOf(), {
      status: "open",
      severity: "critical",
      subject: "filter-test",
    });
    expect(critical.map((a) => [a.kind, a.subject, a.severity])).toEqual([
      ["stale_heartbeat", "filter-test-digests", "critical"],
    ]);
    const warnings = await listOpsAlerts(operatorContextOf(), {
      status: "open",
      severity: "warning",
      subject: "filter-test",
    });
    expect(warnings.map((a) => [a.kind, a.subject])).toEqual([["dead_letters", "filter-test-system"]]);
    expect(await listOpsAlerts(operatorContextOf(), { subject: "100%_" })).toEqual([]);
  });
});
