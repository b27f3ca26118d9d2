import { randomBytes } from "node:crypto";
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
