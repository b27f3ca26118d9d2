/**
 * `opportunities:ingest` in-process, for the sources the child-process tests in cli.test.ts do
 * not cover (each CLI run there costs seconds): the bundled dataset and SAM.gov.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { ingestionCursors, opportunities, organizations, usageQuotas } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { chargeApiCall, usageReport } from "@/lib/metering";
import { systemActor } from "@/lib/context";
import { contextOf } from "@/tests/support/factories";
import { recordedApiRecords, startFakeSamServer, type FakeSamServer } from "@/tests/fakes/sam-server";
import { appErrorOf } from "@/tests/app-error";
import { describeEachDatabase } from "@/tests/db";
import { perTestEnv } from "@/tests/env";
import { runCommand } from "./cli-commands";

const API_KEY = "cli-test-key-8d1e";
let server: FakeSamServer;

beforeAll(async () => {
  server = await startFakeSamServer({ apiKey: API_KEY, records: recordedApiRecords().slice(0, 30) });
});
afterAll(async () => {
  await server.close();
});
const setEnv = perTestEnv();

describeEachDatabase("cli opportunities:ingest", ({ handle }) => {
  const ingest = (flags: Record<string, string | undefined> = {}) =>
    runCommand("opportunities:ingest", flags, { database: handle, migrateDatabase, seedDatabase });
  const count = async (table: typeof opportunities | typeof ingestionCursors) => {
    const [row] = await db()
      .select({ n: sql<number>`count(*)::int` })
      .from(table);
    return row!.n;
  };

  it("imports the bundled dataset when no file is given and no SAM_API_KEY is set", async () => {
    setEnv({ SAM_API_KEY: undefined });
    expect(await ingest()).toEqual({ inserted: 901, updated: 0, skipped: 0 });
    expect(await count(opportunities)).toBe(901);
  });

  it("fetches from SAM.gov (SAM_API_BASE_URL) when SAM_API_KEY is set", async () => {
    setEnv({ SAM_API_KEY: API_KEY, SAM_API_BASE_URL: server.url });
    server.reset();
    expect(await ingest()).toEqual({
      inserted: 30,
      updated: 0,
      skipped: 0,
      posted_from: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      posted_to: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(server.requests.map((r) => r.params.get("api_key"))).toEqual([API_KEY]);
    expect(await count(opportunities)).toBe(901 + 30);
    expect(await count(ingestionCursors)).toBe(1);
  });

  it("refuses an empty --file", async () => {
    expect((await appErrorOf(ingest({ file: " " }))).code).toBe("validation_failed");
  });
});

describeEachDatabase("cli quota:set", ({ handle }) => {
  const run = (flags: Record<string, string | undefined>) =>
    runCommand("quota:set", flags, { database: handle, migrateDatabase, seedDatabase });

  it("sets the org's remaining quota and prints { org_id, quota_remaining }", async () => {
    const [org] = await db()
      .insert(organizations)
      .values({ name: "Quota Co", plan: "starter" })
      .returning({ id: organizations.id });
    expect(await run({ org: org!.id, remaining: "7" })).toEqual({ org_id: org!.id, quota_remaining: 7 });
    expect(await usageReport(contextOf(org!.id, systemActor("seed")))).toMatchObject({
      plan: "starter",
      quota_monthly: 5_000,
      quota_remaining: 7,
    });
    expect(await run({ org: org!.id, remaining: "0" })).toEqual({ org_id: org!.id, quota_remaining: 0 });
  });

  it("refuses a missing org, an unknown org and a non-numeric or negative --remaining", async () => {
    expect((await appErrorOf(run({ remaining: "5" }))).code).toBe("validation_failed");
    expect((await appErrorOf(run({ org: "00000000-0000-4000-8000-000000000000", remaining: "5" }))).code).toBe(
      "not_found",
    );
    expect((await appErrorOf(run({ org: "00000000-0000-4000-8000-000000000000", remaining: "-1" }))).code).toBe(
      "validation_failed",
    );
    expect((await appErrorOf(run({ org: "00000000-0000-4000-8000-000000000000", remaining: "ten" }))).code).toBe(
      "validation_failed",
    );
  });
});

describeEachDatabase("cli usage:report, usage:drift and quota:reset", ({ handle }) => {
  const run = (command: string, flags: Record<string, string | undefined>) =>
    runCommand(command, flags, { database: handle, migrateDatabase, seedDatabase });

  it("reports an org's month, lists drifted orgs, and resets due quotas", async () => {
    const month = new Date().toISOString().slice(0, 7);
    const [org] = await db()
      .insert(organizations)
      .values({ name: "Drift Co", plan: "free" })
      .returning({ id: organizations.id });
    await chargeApiCall(contextOf(org!.id, systemActor("seed")), "e");
    expect(await run("usage:report", { org: org!.id })).toMatchObject({
      org_id: org!.id,
      used_recorded: 1,
      stored_remaining: 99,
      drift: 0,
    });
    expect(await run("usage:drift", { month })).toEqual({ month, orgs: [] });
    await db().update(usageQuotas).set({ quotaRemaining: 90 }).where(eq(usageQuotas.orgId, org!.id));
    expect(await run("usage:drift", {})).toEqual({
      month,
      orgs: [
        {
          org_id: org!.id,
          org_name: "Drift Co",
          expected_remaining: 99,
          stored_remaining: 90,
          drift: -9,
          credits: { expected_remaining: 0, stored_remaining: 0, drift: 0 },
        },
      ],
    });
    // Nothing is due in the middle of a period.
    expect(await run("quota:reset", { "batch-size": "10" })).toEqual({ rolled: 0, skipped: 0, batches: 0 });
  });

  it("refuses bad flags", async () => {
    expect((await appErrorOf(run("usage:report", {}))).code).toBe("validation_failed");
    expect(
      (await appErrorOf(run("usage:report", { org: "00000000-0000-4000-8000-000000000000", month: "2026-1" }))).code,
    ).toBe("validation_failed");
    expect((await appErrorOf(run("usage:drift", { month: "soon" }))).code).toBe("validation_failed");
    expect((await appErrorOf(run("quota:reset", { "batch-size": "0" }))).code).toBe("validation_failed");
  });
});
