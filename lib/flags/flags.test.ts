import { eq } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditLog, featureFlags } from "@/db/schema";
import { withSystem } from "@/db/tenant";
import { describeEachDatabase, describeEachDatabaseAsApp } from "@/tests/db";
import { operatorContextOf } from "@/tests/support/factories";
import {
  FLAG_CACHE_MS,
  FLAG_DEFINITIONS,
  FLAG_KEYS,
  flagEnabled,
  isFlagKey,
  listFlags,
  resetFlagCache,
  setFlag,
} from "./index";

const flagsOperator = { userId: "3f1c6a34-6b5e-4c57-9d0f-0f7f1f1f1f1f", email: "flags@beacon.test" };
const operator = operatorContextOf(flagsOperator);

beforeEach(() => resetFlagCache());

it("defines each flag once with a description and a default", () => {
  expect(FLAG_KEYS.sort()).toEqual(["incident_mode", "instant_alerts", "opportunity_ingestion", "signups"]);
  expect(FLAG_DEFINITIONS.incident_mode.default).toBe(false);
  expect(isFlagKey("signups")).toBe(true);
  expect(isFlagKey("toString")).toBe(false);
});

describeEachDatabase("feature flags", () => {
  it("unset flags read their default; setting one stores who, when and why, audited with before and after", async () => {
    const flags = await listFlags({ maxAgeMs: 0 });
    expect(flags.find((f) => f.key === "signups")).toMatchObject({ enabled: true, overridden: false, updatedBy: null });

    const now = new Date("2026-04-01T09:30:00Z");
    const flag = await setFlag(operatorContextOf(flagsOperator, { requestId: "req-flag", now }), "signups", {
      enabled: false,
      reason: "spam wave",
    });
    expect(flag).toMatchObject({
      key: "signups",
      enabled: false,
      overridden: true,
      reason: "spam wave",
      updatedBy: "flags@beacon.test",
      updatedAt: now,
    });
    expect(await flagEnabled("signups")).toBe(false);

    const [audit] = await db().select().from(auditLog).where(eq(auditLog.requestId, "req-flag"));
    expect(audit).toMatchObject({
      action: "ops.flag.updated",
      targetType: "feature_flag",
      targetId: "signups",
      actorEmail: "flags@beacon.test",
      reason: "spam wave",
      before: { enabled: true, overridden: false },
      after: { enabled: false },
    });

    await setFlag(operator, "signups", { enabled: true });
    expect(await flagEnabled("signups", { maxAgeMs: 0 })).toBe(true);
  });

  it("hot paths reuse values for FLAG_CACHE_MS, then read again (another process's change shows up)", async () => {
    await setFlag(operator, "instant_alerts", { enabled: true });
    const t0 = 1_000_000;
    expect(await flagEnabled("instant_alerts", { now: t0 })).toBe(true);
    // Another instance turns it off: this process keeps its cached value until the cache is old.
    await db().update(featureFlags).set({ enabled: false }).where(eq(featureFlags.key, "instant_alerts"));
    expect(await flagEnabled("instant_alerts", { now: t0 + FLAG_CACHE_MS - 1 })).toBe(true);
    expect(await flagEnabled("instant_alerts", { now: t0 + FLAG_CACHE_MS })).toBe(false);
    await db().update(featureFlags).set({ enabled: true }).where(eq(featureFlags.key, "instant_alerts"));
    expect(await flagEnabled("instant_alerts", { maxAgeMs: 0 })).toBe(true);
  });
});

/** Flags live in a table no tenant sees: as the app's own role they are read and set as the system role. */
describeEachDatabaseAsApp("feature flags under row-level security", () => {
  it("reads defaults, stores an override with its audit entry, and reads it back", async () => {
    expect(await flagEnabled("signups", { maxAgeMs: 0 })).toBe(true);
    await setFlag(operatorContextOf(flagsOperator, { requestId: "req-flag" }), "signups", {
      enabled: false,
      reason: "spam wave",
    });
    expect(await db().select().from(featureFlags)).toEqual([]);
    expect(await flagEnabled("signups", { maxAgeMs: 0 })).toBe(false);
    const audited = await withSystem("flags", (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.action, "ops.flag.updated")),
    );
    expect(audited).toMatchObject([{ targetId: "signups", before: { enabled: true }, after: { enabled: false } }]);
  });
});
