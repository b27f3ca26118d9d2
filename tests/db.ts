import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import { openDatabase, setDatabase, type DatabaseHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";

export type Driver = "pglite" | "postgres";

/** The drivers every database suite runs on: PGlite always, PostgreSQL when DATABASE_URL is set. */
export function availableDrivers(): Driver[] {
  return process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh, migrated database of the given driver; PostgreSQL ones are created and dropped. */
export async function createTestDatabase(driver: Driver): Promise<DatabaseHandle & { url?: string }> {
  if (driver === "pglite") {
    const handle = openDatabase({});
    await migrateDatabase(handle);
    return handle;
  }
  const adminUrl = process.env.DATABASE_URL!;
  const name = `beacon_test_${Date.now()}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const handle = openDatabase({ url, poolMax: 5 });
  await migrateDatabase(handle);
  return {
    ...handle,
    url,
    close: async () => {
      await handle.close();
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists "${name}" with (force)`);
      await dropper.end();
    },
  };
}

/**
 * Runs `body` once per available driver against a fresh migrated database that is also the
 * process default (`db()`), so lib functions under test use it.
 */
export function describeEachDatabase(
  name: string,
  body: (ctx: { handle: () => DatabaseHandle; driver: Driver }) => void,
) {
  for (const driver of availableDrivers()) {
    describe(`${name} [${driver}]`, () => {
      let handle: DatabaseHandle | undefined;
      beforeAll(async () => {
        handle = await createTestDatabase(driver);
        setDatabase(handle);
      });
      afterAll(async () => {
        setDatabase(undefined);
        await handle?.close();
      });
      body({
        handle: () => {
          if (!handle) throw new Error("database not ready");
          return handle;
        },
        driver,
      });
    });
  }
}

/**
 * Like `describeEachDatabase`, but the process database acts as `beacon_app`, the role without
 * any policy: it cannot bypass row-level security (the test user is a superuser, which would),
 * so only `withTenant` and `withSystem` see tenant rows. Migrations run first, as the test user.
 */
export function describeEachDatabaseAsApp(name: string, body: (ctx: { driver: Driver }) => void) {
  for (const driver of availableDrivers()) {
    describe(`${name} [${driver}, as beacon_app]`, () => {
      let owner: (DatabaseHandle & { url?: string }) | undefined;
      let app: DatabaseHandle | undefined;
      beforeAll(async () => {
        owner = await createTestDatabase(driver);
        if (driver === "pglite") {
          // One embedded session: the role is the session's from here on.
          await owner.db.execute(sql`set role beacon_app`);
          app = owner;
        } else {
          app = openDatabase({ url: owner.url!, poolMax: 5 });
          const pool = (app.db as unknown as { $client: pg.Pool }).$client;
          // Queued on each new connection before anything else it runs.
          pool.on("connect", (client) => void client.query("set role beacon_app").catch(() => {}));
        }
        setDatabase(app);
      });
      afterAll(async () => {
        setDatabase(undefined);
        if (app && app !== owner) await app.close();
        await owner?.close();
      });
      body({ driver });
    });
  }
}
