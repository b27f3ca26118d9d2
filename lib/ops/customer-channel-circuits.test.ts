import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { expect, it } from "vitest";
import { db } from "@/db/client";
import { opsAlerts, outboxCircuits } from "@/db/schema";
import { env } from "@/lib/env";
import { describeEachDatabase } from "@/tests/db";
import { operatorContextOf, systemContextOf } from "@/tests/support/factories";
import { runOpsAlertDetector } from "./alerts";
import { healthSummary } from "./health-summary";

/**
 * An org's team channel that keeps failing is the org's to fix (its owners are e-mailed and it
 * switches itself off): the operators' views show it apart and never as a platform fault.
 */
describeEachDatabase("a customer's paused channel in the operators' views", () => {
  it("is neither a paused platform destination nor an ops alert, and is counted apart", async () => {
    const now = new Date();
    const channel = `channel:${randomUUID()}`;
    const platform = `webhook:https://ops-${randomUUID().slice(0, 8)}.example.com`;
    const open = {
      state: "open",
      consecutiveFailures: 5,
      trips: 1,
      openedAt: now,
      openUntil: new Date(now.getTime() + 60_000),
    };
    await db()
      .insert(outboxCircuits)
      .values([
        { destination: channel, ...open },
        { destination: platform, ...open },
      ]);
    try {
      const before = await healthSummary(operatorContextOf({}, { now }));
      expect(before.openCircuits).toContain(platform);
      expect(before.openCircuits).not.toContain(channel);
      expect(before.pausedCustomerChannels).toBeGreaterThanOrEqual(1);

      await runOpsAlertDetector(systemContextOf("ops-cockpit", now), { ...env(), OPS_ALERT_WEBHOOK_URL: undefined });
      const alerts = await db()
        .select({ subject: opsAlerts.subject })
        .from(opsAlerts)
        .where(and(eq(opsAlerts.kind, "outbox_circuit_open"), inArray(opsAlerts.subject, [channel, platform])));
      expect(alerts.map((a) => a.subject)).toEqual([platform]);

      await db().delete(outboxCircuits).where(eq(outboxCircuits.destination, channel));
      expect((await healthSummary(operatorContextOf({}, { now }))).pausedCustomerChannels).toBe(
        before.pausedCustomerChannels - 1,
      );
    } finally {
      await db()
        .delete(outboxCircuits)
        .where(inArray(outboxCircuits.destination, [channel, platform]));
      await db()
        .delete(opsAlerts)
        .where(inArray(opsAlerts.subject, [channel, platform]));
    }
  });
});
