/**
 * The restore drill: a migrated, seeded PostgreSQL database with activity is backed up with
 * `db:backup` and restored with `db:restore` into a fresh database; every table must come back
 * with the same number of rows. Both scratch databases are dropped at the end.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, setDatabase, type DatabaseHandle } from "@/db/client";
import { migrateDatabase, migrationsAtHead } from "@/db/migrate";
import { seedDatabase } from "@/db/seed";
import { contextOf, makeOrg } from "@/tests/support/factories";
import { systemActor } from "@/lib/context";
import { recordAudit } from "@/lib/audit";
import { chargeApiCall } from "@/lib/metering";
import { appErrorOf } from "@/tests/app-error";
import { availableDrivers, createTestDatabase } from "@/tests/db";
import { perTestEnv } from "@/tests/env";
import { redactDatabaseUrl, redactSecrets } from "@/db/backup";
import { runCommand } from "./cli-commands";

// Trust authentication ignores it, so it can stand for a real password in every URL below.
const PASSWORD = `drill-${randomBytes(6).toString("hex")}`;

function withPassword(url: string, database?: string) {
  const u = new URL(url);
  u.password = PASSWORD;
  if (database) u.pathname = `/${database}`;
  return u.toString();
}

async function adminQuery(sqlText: string) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return await client.query(sqlText);
  } finally {
    await client.end();
  }
}

async function rowCounts(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(
      `select format('%I.%I', table_schema, table_name) as name from information_schema.tables
       where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema') order by 1`,
    );
    const counts: Record<string, number> = {};
    for (const { name } of tables)
      counts[name] = Number((await client.query<{ n: string }>(`select count(*) as n from ${name}`)).rows[0]!.n);
    return counts;
  } finally {
    await client.end();
  }
}

const noDeps = {
  database: () => {
    throw new Error("backups must not open the app database");
  },
  migrateDatabase,
  seedDatabase,
};

describe("redacting database URLs", () => {
  it("never shows a password, raw or URL-encoded", () => {
    const url = "postgres://app:p%40ss%2Fw0rd@db.internal:6432/beacon?sslmode=require";
    expect(redactDatabaseUrl(url)).toBe("postgres://app@db.internal:6432/beacon");
    const text = `could not connect to postgres://app:p%40ss%2Fw0rd@db.internal:6432/beacon (password p@ss/w0rd)`;
    expect(redactSecrets(text, url)).toBe(
      "could not connect to postgres://app:<redacted>@db.internal:6432/beacon (password <redacted>)",
    );
  });
});

describe("db:backup without PostgreSQL", () => {
  const setEnv = perTestEnv();
  it("explains how to back up the embedded database instead", async () => {
    setEnv({ DATABASE_URL: undefined });
    const error = await appErrorOf(
      runCommand("db:backup", { out: path.join(os.tmpdir(), "never-written.dump") }, noDeps),
    );
    expect(error.code).toBe("validation_failed");
    expect(error.message).toMatch(/PGLITE_DATA_DIR/);
    expect((await appErrorOf(runCommand("db:backup", {}, noDeps))).message).toMatch(/--out is required/);
    expect((await appErrorOf(runCommand("db:restore", { file: "x.dump" }, noDeps))).message).toMatch(
      /--database-url are required/,
    );
  });
});

if (availableDrivers().includes("postgres")) {
  describe("restore drill [postgres]", () => {
    let source: DatabaseHandle & { url?: string };
    const targetName = `beacon_restore_${Date.now()}_${randomBytes(4).toString("hex")}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "beacon-backup-"));
    const file = path.join(dir, "beacon.dump");
    let targetUrl = "";

    beforeAll(async () => {
      source = await createTestDatabase("postgres");
      setDatabase(source);
      await seedDatabase(source);
      // Activity beyond the seed: an org with metered calls and an audit entry.
      const { orgId } = await makeOrg("starter", "Restored Co");
      for (let i = 0; i < 3; i++)
        await chargeApiCall(contextOf(orgId, systemActor("seed")), "GET /api/v1/opportunities");
      await recordAudit(source.db, {
        actor: { type: "system" },
        action: "drill.marker",
        orgId,
        target: { type: "organization", id: orgId },
      });
      await adminQuery(`create database "${targetName}"`);
      targetUrl = withPassword(process.env.DATABASE_URL!, targetName);
    });

    afterAll(async () => {
      setDatabase(undefined);
      await source?.close();
      await adminQuery(`drop database if exists "${targetName}" with (force)`);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it("backs up with pg_dump and restores into a fresh database with every table's rows", async () => {
      const backup = await runCommand("db:backup", { out: file, "database-url": withPassword(source.url!) }, noDeps);
      expect(backup).toMatchObject({ file, bytes: expect.any(Number) });
      expect(JSON.stringify(backup)).not.toContain(PASSWORD);
      expect(fs.readFileSync(file).subarray(0, 5).toString("latin1")).toBe("PGDMP");

      const restored = await runCommand("db:restore", { file, "database-url": targetUrl }, noDeps);
      expect(JSON.stringify(restored)).not.toContain(PASSWORD);
      expect(restored.database).toBe(redactDatabaseUrl(targetUrl));

      const before = await rowCounts(source.url!);
      const after = await rowCounts(targetUrl);
      expect(Object.keys(after)).toEqual(Object.keys(before));
      expect(after).toEqual(before);
      expect(before["public.opportunities"]).toBeGreaterThan(0);
      // The demo org's three seeded calls and this test's three.
      expect(before["public.usage_events"]).toBe(6);
      expect(before["public.audit_log"]).toBeGreaterThan(0);
      expect(before["drizzle.__drizzle_migrations"]).toBeGreaterThan(0);

      // The restored database is at the head migration and serves tenant queries (role, grants, RLS).
      const restoredHandle = openDatabase({ url: targetUrl, poolMax: 1, actAs: "owner" });
      try {
        expect(await migrationsAtHead(restoredHandle)).toBe(true);
        const previous = setDatabase(restoredHandle);
        try {
          const [org] = (
            await restoredHandle.db.execute<{ id: string }>(
              sql`select id from organizations where name = 'Restored Co'`,
            )
          ).rows;
          const charge = await chargeApiCall(contextOf(org!.id, systemActor("seed")), "GET /api/v1/opportunities");
          expect(charge.quotaAfter).toBe(charge.quotaBefore - 1);
        } finally {
          setDatabase(previous);
        }
      } finally {
        await restoredHandle.close();
      }
    });

    it("refuses a non-empty target unless --force, never overwrites a backup file, and prints no password on failure", async () => {
      const refused = await appErrorOf(runCommand("db:restore", { file, "database-url": targetUrl }, noDeps));
      expect(refused.code).toBe("conflict");
      expect(refused.message).toMatch(/not empty/);
      expect(refused.message).not.toContain(PASSWORD);

      const forced = await runCommand(
        "db:restore",
        { file, "database-url": targetUrl, force: true as unknown as string },
        noDeps,
      );
      expect(forced).toMatchObject({ database: redactDatabaseUrl(targetUrl) });
      expect(await rowCounts(targetUrl)).toEqual(await rowCounts(source.url!));

      expect(
        (await appErrorOf(runCommand("db:backup", { out: file, "database-url": withPassword(source.url!) }, noDeps)))
          .code,
      ).toBe("conflict");

      const missing = withPassword(process.env.DATABASE_URL!, `${targetName}_missing`);
      const failed = await appErrorOf(runCommand("db:restore", { file, "database-url": missing }, noDeps));
      expect(failed.message).toMatch(/does not exist/);
      expect(failed.message).not.toContain(PASSWORD);
      const dumpFailed = await appErrorOf(
        runCommand("db:backup", { out: path.join(dir, "other.dump"), "database-url": missing }, noDeps),
      );
      expect(dumpFailed.message).toMatch(/does not exist/);
      expect(dumpFailed.message).not.toContain(PASSWORD);
    });

    it("refuses, before pg_dump runs, a user that row-level security holds (it would dump no tenant row)", async () => {
      const role = `beacon_backup_held_${randomBytes(4).toString("hex")}`;
      await adminQuery(`create role "${role}" login nosuperuser nobypassrls`);
      try {
        const held = new URL(withPassword(source.url!));
        held.username = role;
        const out = path.join(dir, "held.dump");
        const refused = await appErrorOf(runCommand("db:backup", { out, "database-url": held.toString() }, noDeps));
        expect(refused.message).toMatch(/BYPASSRLS/);
        expect(refused.message).not.toContain(PASSWORD);
        expect(fs.existsSync(out)).toBe(false);
      } finally {
        await adminQuery(`drop role if exists "${role}"`);
      }
    });
  });
}
