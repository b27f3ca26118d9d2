import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditLog, breakGlassSessions, outboxCircuits } from "@/db/schema";
import { withSystem } from "@/db/tenant";
import { createOperator } from "@/lib/auth";
import { setFlag } from "@/lib/flags";
import { describeEachDatabase, describeEachDatabaseAsApp } from "@/tests/db";
import { appErrorOf } from "@/tests/app-error";
import { operatorContextOf, systemContextOf } from "@/tests/support/factories";
import { perTestEnv } from "@/tests/env";
import { runOpsAlertDetector } from "./alerts";
import { healthSummary } from "./health-summary";
import {
  activeBreakGlassSessions,
  assertAdminWritable,
  cockpitWriteState,
  endBreakGlass,
  hashBreakGlassToken,
  incidentState,
  startBreakGlass,
  startBreakGlassSchema,
} from "./index";

describe("break-glass input", () => {
  it("needs a reason of at least 10 characters and a duration of 5–240 minutes (30 by default)", () => {
    expect(startBreakGlassSchema.safeParse({ reason: "too short" }).success).toBe(false);
    expect(startBreakGlassSchema.parse({ reason: "database failover in progress" }).ttl_minutes).toBe(30);
    expect(startBreakGlassSchema.safeParse({ reason: "database failover in progress", ttl_minutes: 4 }).success).toBe(
      false,
    );
    expect(startBreakGlassSchema.safeParse({ reason: "database failover in progress", ttl_minutes: 241 }).success).toBe(
      false,
    );
    expect(startBreakGlassSchema.safeParse({ reason: "database failover in progress", ttl_minutes: 240 }).success).toBe(
      true,
    );
  });
});

const setEnv = perTestEnv();

/** The context of an operator created below. */
const as = (operator: { id: string; email: string }, options: { requestId?: string; now?: Date } = {}) =>
  operatorContextOf({ userId: operator.id, email: operator.email }, options);

describeEachDatabase("incident mode and break-glass", () => {
  const admin = { id: "", email: "" };
  const other = { id: "", email: "" };
  const system = operatorContextOf({ email: "setup@beacon.test" });

  beforeAll(async () => {
    for (const [who, email] of [
      [admin, `bg-admin-${Date.now()}@beacon.test`],
      [other, `bg-other-${Date.now()}@beacon.test`],
    ] as const) {
      const op = await createOperator({ email, password: "correct horse battery staple 42", role: "ops_admin" });
      Object.assign(who, { id: op.userId, email });
    }
  });

  it("is writable by default; the incident_mode flag or ADMIN_READ_ONLY=true make it read-only", async () => {
    await setFlag(system, "incident_mode", { enabled: false });
    expect(await assertAdminWritable(admin, null)).toEqual({ type: "operator", id: admin.id, email: admin.email });
    setEnv({ ADMIN_READ_ONLY: "true" });
    expect(await incidentState()).toMatchObject({ readOnly: true, source: "env" });
    expect((await appErrorOf(assertAdminWritable(admin, null))).code).toBe("read_only");
    setEnv({ ADMIN_READ_ONLY: undefined });
    await setFlag(system, "incident_mode", { enabled: true, reason: "payments provider outage" });
    expect(await incidentState()).toMatchObject({
      readOnly: true,
      source: "flag",
      reason: "payments provider outage",
      by: "setup@beacon.test",
    });
    expect((await appErrorOf(assertAdminWritable(admin, null))).code).toBe("read_only");
  });

  it("keeps only the SHA-256 of the token, audits the start with its reason, and lets its operator write", async () => {
    await setFlag(system, "incident_mode", { enabled: true });
    const now = new Date("2026-03-01T10:00:00Z");
    const session = await startBreakGlass(as(admin, { requestId: "req-bg", now }), {
      reason: "replaying webhooks after outage",
      ttl_minutes: 15,
    });
    expect(session.token).toMatch(/^bg_[A-Za-z0-9_-]{43}$/);
    expect(session.expiresAt).toEqual(new Date("2026-03-01T10:15:00Z"));

    const [row] = await db().select().from(breakGlassSessions).where(eq(breakGlassSessions.id, session.id));
    expect(row!.tokenHash).toBe(hashBreakGlassToken(session.token));
    expect(JSON.stringify(row)).not.toContain(session.token);
    const [audit] = await db().select().from(auditLog).where(eq(auditLog.targetId, session.id));
    expect(audit).toMatchObject({
      action: "ops.break_glass.started",
      actorId: admin.id,
      reason: "replaying webhooks after outage",
      requestId: "req-bg",
    });
    expect(JSON.stringify(audit)).not.toContain(session.token);

    const actor = await assertAdminWritable(admin, session.token, new Date("2026-03-01T10:14:59Z"));
    expect(actor).toEqual({ type: "operator", id: admin.id, email: admin.email, breakGlassSessionId: session.id });
    expect((await cockpitWriteState(admin.id, session.token, new Date("2026-03-01T10:05:00Z"))).writable).toBe(true);
  });

  it("refuses an expired, ended, unknown or another operator's token", async () => {
    await setFlag(system, "incident_mode", { enabled: true });
    const now = new Date("2026-03-02T10:00:00Z");
    const session = await startBreakGlass(as(admin, { now }), {
      reason: "manual credit grant during outage",
      ttl_minutes: 5,
    });

    expect((await appErrorOf(assertAdminWritable(admin, session.token, new Date("2026-03-02T10:05:00Z")))).code).toBe(
      "read_only",
    );
    expect((await appErrorOf(assertAdminWritable(other, session.token, now))).code).toBe("forbidden");
    expect((await cockpitWriteState(other.id, session.token, now)).writable).toBe(false);
    expect((await appErrorOf(assertAdminWritable(admin, "bg_not-a-real-token", now))).code).toBe("read_only");

    const live = await startBreakGlass(as(admin), { reason: "manual credit grant during outage" });
    expect((await assertAdminWritable(admin, live.token)).breakGlassSessionId).toBe(live.id);
    const ended = await endBreakGlass(as(other, { requestId: "req-end" }), live.id);
    expect(ended.endedBy).toBe(other.email);
    expect((await appErrorOf(assertAdminWritable(admin, live.token))).code).toBe("read_only");
    expect((await appErrorOf(endBreakGlass(as(admin), live.id))).code).toBe("conflict");
    expect((await appErrorOf(endBreakGlass(as(admin), "not-a-uuid"))).code).toBe("not_found");
    const trail = await db().select().from(auditLog).where(eq(auditLog.targetId, live.id));
    expect(trail.map((a) => a.action).sort()).toEqual(["ops.break_glass.ended", "ops.break_glass.started"]);
  });

  // That the incident_mode flag itself stays switchable while read-only is the flags.set
  // command's rule: lib/ops/commands/commands.test.ts walks it through both edges.
  it("outside incident mode a token changes nothing", async () => {
    await setFlag(system, "incident_mode", { enabled: false });
    const session = await startBreakGlass(as(admin), { reason: "checking the guard is a no-op" });
    expect(await assertAdminWritable(admin, session.token)).toEqual({
      type: "operator",
      id: admin.id,
      email: admin.email,
    });
  });
});

/** Incident mode, break-glass and the cockpit's health numbers as the app's own role. */
describeEachDatabaseAsApp("incident mode and break-glass under row-level security", () => {
  const system = operatorContextOf({ email: "setup@beacon.test" });

  it("starts, uses, lists and ends a session while read-only; the health numbers and ops alerts see a paused destination", async () => {
    const email = `bg-app-${Date.now()}@beacon.test`;
    const op = await createOperator({ email, password: "correct horse battery staple 42", role: "ops_admin" });
    const admin = { id: op.userId, email };
    await setFlag(system, "incident_mode", { enabled: true, reason: "outage" });
    expect((await appErrorOf(assertAdminWritable(admin, null))).code).toBe("read_only");
    const session = await startBreakGlass(as(admin), { reason: "replaying webhooks after outage" });
    expect((await assertAdminWritable(admin, session.token)).breakGlassSessionId).toBe(session.id);
    expect((await activeBreakGlassSessions(as(admin))).map((s) => s.id)).toEqual([session.id]);
    await endBreakGlass(as(admin), session.id);
    expect((await appErrorOf(assertAdminWritable(admin, session.token))).code).toBe("read_only");
    expect(await activeBreakGlassSessions(as(admin))).toEqual([]);
    await setFlag(system, "incident_mode", { enabled: false });

    const now = new Date();
    await withSystem("outbox", (tx) =>
      tx.insert(outboxCircuits).values({ destination: "smtp", state: "open", consecutiveFailures: 5, openedAt: now }),
    );
    expect(await healthSummary(operatorContextOf({}, { now }))).toMatchObject({ openCircuits: ["smtp"] });
    expect(await runOpsAlertDetector(systemContextOf("ops-cockpit", now))).toMatchObject({ opened: 1 });
    expect((await healthSummary(operatorContextOf({}, { now }))).criticalAlerts).toBe(1);
  });
});
