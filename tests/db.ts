import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import { openDatabase, setDatabase, type DatabaseHandle } from "@/db/client";
import { MIGRATIONS_FOLDER, migrateDatabase } from "@/db/migrate";

export type Driver = "pglite" | "postgres";

/** The drivers every database suite runs on: PGlite always, PostgreSQL when DATABASE_URL is set. */
export function availableDrivers(): Driver[] {
  return process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

/**
 * One driver, PostgreSQL when there is one: for a suite whose property does not depend on the
 * driver and which is too slow to run twice (what it finds on one is kept as a plain test on both).
 */
export function oneDriver(): Driver[] {
  return availableDrivers().slice(-1);
}

function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Names the current migrations (and PGlite build): a migrated image is reused only while they do not change. */
function migrationsDigest(): string {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else hash.update(entry.name).update(fs.readFileSync(file));
    }
  };
  walk(MIGRATIONS_FOLDER);
  // An image is only valid for the PGlite build that wrote it.
  hash.update(fs.readFileSync(path.join(process.cwd(), "node_modules", "@electric-sql", "pglite", "package.json")));
  return hash.digest("hex").slice(0, 16);
}

/**
 * A migrated PGlite data directory, built once per set of migrations and shared by every test
 * process through a file: starting PGlite from it skips initdb, which costs several times more
 * than the migrations themselves (each test file runs in a fresh process).
 */
export async function migratedPgliteImage(): Promise<Blob> {
  const file = path.join(os.tmpdir(), `beacon-pglite-${migrationsDigest()}.tar`);
  if (!fs.existsSync(file)) {
    const client = new PGlite();
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
    const image = await client.dumpDataDir("none");
    await client.close();
    // Written aside and renamed: a concurrent test process never reads half a file.
    const partial = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
    fs.writeFileSync(partial, Buffer.from(await image.arrayBuffer()));
    fs.renameSync(partial, file);
  }
  return new Blob([fs.readFileSync(file)]);
}

/**
 * Fills `dataDir` (on disk) with the migrated image, for tests of what opens a data dir: a new one
 * would run initdb and every migration first, several seconds of each test.
 */
export async function migratedPgliteDataDir(dataDir: string): Promise<void> {
  const client = new PGlite(dataDir, { loadDataDir: await migratedPgliteImage() });
  await client.waitReady;
  await client.close();
}

/** An image unused for this long belongs to no running test run: another checkout may run its own. */
const TEMPLATE_IDLE_MS = 60 * 60_000;

/**
 * Drops the images of earlier migrations (a long-lived CI database would otherwise collect one
 * per migration ever written), once unused for an hour: a run from another checkout, with other
 * migrations, may be copying its own at this moment. Each run marks the images it uses.
 */
export async function dropOutdatedTemplates(adminUrl: string): Promise<void> {
  const current = migrationsDigest();
  const idleSince = Date.now() - TEMPLATE_IDLE_MS;
  for (const file of fs.readdirSync(os.tmpdir())) {
    if (!/^beacon-pglite-[0-9a-f]{16}\.tar$/.test(file)) continue;
    const full = path.join(os.tmpdir(), file);
    if (file.includes(current)) fs.utimesSync(full, new Date(), new Date());
    else if (fs.statSync(full).mtimeMs < idleSince) fs.rmSync(full, { force: true });
  }
  if (!adminUrl) return;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string; used_at: string | null }>(
      `select datname, shobj_description(oid, 'pg_database') as used_at from pg_database
       where datname like 'beacon\\_template\\_%'`,
    );
    for (const { datname, used_at } of rows) {
      if (datname === `beacon_template_${current}`) {
        await admin.query(`comment on database "${datname}" is '${Date.now()}'`);
      } else if (!(Number(used_at ?? /^beacon_template_build_(\d+)_/.exec(datname)?.[1]) > idleSince)) {
        // Never marked: a half-built image (named with the time it was started) or an old run's.
        await admin.query(`drop database if exists "${datname}"`).catch(() => undefined);
      }
    }
    await dropAbandonedTestDatabases(admin);
  } finally {
    await admin.end();
  }
}

/** No test file runs this long: a test database or owner role older than this was left by a killed run. */
const ABANDONED_AFTER_MS = 6 * 60 * 60_000;

/**
 * Test databases and their owner roles are named with the time they were made and dropped when
 * their file ends; a run killed half-way leaves them behind. Those older than any run could be
 * are dropped here, so a long-lived CI database does not collect them.
 */
async function dropAbandonedTestDatabases(admin: pg.Client) {
  const before = Date.now() - ABANDONED_AFTER_MS;
  const made = (name: string) => Number(/^beacon_(?:test_owned|test|owner)_(\d+)_[0-9a-f]+$/.exec(name)?.[1] ?? NaN);
  const { rows: databases } = await admin.query<{ datname: string }>(
    `select datname from pg_database where datname like 'beacon\\_test\\_%'`,
  );
  for (const { datname } of databases)
    if (made(datname) < before)
      await admin.query(`drop database if exists "${datname}" with (force)`).catch(() => undefined);
  const { rows: roles } = await admin.query<{ rolname: string }>(
    `select rolname from pg_roles where rolname like 'beacon\\_owner\\_%'`,
  );
  for (const { rolname } of roles)
    if (made(rolname) < before) await admin.query(`drop role if exists "${rolname}"`).catch(() => undefined);
}

/**
 * A migrated PostgreSQL database to copy (CREATE DATABASE … TEMPLATE), built once per set of
 * migrations. It is built under a scratch name and renamed when complete, so a concurrent run
 * never copies a half-migrated template; nothing connects to it afterwards.
 */
export async function migratedPostgresTemplate(adminUrl: string): Promise<string> {
  const template = `beacon_template_${migrationsDigest()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const found = await admin.query("select 1 from pg_database where datname = $1", [template]);
    if (found.rowCount) return template;
    const scratch = `beacon_template_build_${Date.now()}_${randomBytes(4).toString("hex")}`;
    await admin.query(`create database "${scratch}"`);
    const handle = openDatabase({ url: withDatabase(adminUrl, scratch), poolMax: 1 });
    await migrateDatabase(handle);
    await handle.close();
    try {
      await admin.query(`alter database "${scratch}" rename to "${template}"`);
      await admin.query(`comment on database "${template}" is '${Date.now()}'`);
    } catch {
      // Another process finished the same template first.
      await admin.query(`drop database if exists "${scratch}" with (force)`);
    }
    return template;
  } finally {
    await admin.end();
  }
}

/**
 * A fresh, migrated database of the given driver; PostgreSQL ones are created and dropped.
 * Its queries act as the owner by default, so fixtures write any org's rows directly; `app`
 * acts as the app does (describeEachDatabaseAsApp).
 */
export async function createTestDatabase(
  driver: Driver,
  actAs: "app" | "owner" = "owner",
): Promise<DatabaseHandle & { url?: string }> {
  if (driver === "pglite") {
    const handle = openDatabase({ image: await migratedPgliteImage(), actAs });
    await migrateDatabase(handle);
    return handle;
  }
  const adminUrl = process.env.DATABASE_URL!;
  const template = await migratedPostgresTemplate(adminUrl);
  const name = `beacon_test_${Date.now()}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${name}" template "${template}"`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const handle = openDatabase({ url, poolMax: 5, actAs });
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
 * `describeEachDatabase` on `oneDriver()`: for the HTTP edge (tests/routes, tests/security), whose
 * answers do not depend on the driver. The lib functions beneath it run on both in their own tests.
 */
export function describeOnOneDatabase(
  name: string,
  body: (ctx: { handle: () => DatabaseHandle; driver: Driver }) => void,
) {
  describeEachDatabase(name, body, oneDriver());
}

/**
 * Runs `body` once per available driver against a fresh migrated database that is also the
 * process default (`db()`), so lib functions under test use it.
 */
export function describeEachDatabase(
  name: string,
  body: (ctx: { handle: () => DatabaseHandle; driver: Driver }) => void,
  drivers: Driver[] = availableDrivers(),
) {
  for (const driver of drivers) {
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
 * A fresh PostgreSQL database as a managed service would have it: created, owned and migrated by
 * a login role that is neither superuser nor BYPASSRLS, so FORCE ROW LEVEL SECURITY holds it.
 * Its handle connects as that role and acts as the app; `asOwner` is the role itself.
 */
async function createOwnedTestDatabase(): Promise<DatabaseHandle> {
  const adminUrl = process.env.DATABASE_URL!;
  const suffix = `${Date.now()}_${randomBytes(4).toString("hex")}`;
  const role = `beacon_owner_${suffix}`;
  const name = `beacon_test_owned_${suffix}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create role "${role}" login nosuperuser nobypassrls`);
  // A managed database's owner creates these roles itself (migrations 0000, 0025), so it can
  // switch to them; here they already exist in the cluster, made by the superuser.
  await admin.query(`grant beacon_tenant, beacon_system, beacon_app to "${role}"`);
  await admin.query(`create database "${name}" owner "${role}"`);
  await admin.end();
  const url = new URL(withDatabase(adminUrl, name));
  url.username = role;
  url.password = "";
  const handle = openDatabase({ url: url.toString(), poolMax: 5 });
  await migrateDatabase(handle);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists "${name}" with (force)`);
      await dropper.query(`drop role if exists "${role}"`);
      await dropper.end();
    },
  };
}

/**
 * Like `describeEachDatabase`, but the process database acts as `beacon_app`, the role without
 * any policy: it cannot bypass row-level security (the test user is a superuser, which would),
 * so only `withTenant` and `withSystem` see tenant rows. Migrations run first, as the test user.
 * `ownedVariant` adds a run on PostgreSQL owned and migrated by a non-superuser role
 * (createOwnedTestDatabase): what a managed database gives, where FORCE is the owner's wall.
 */
export function describeEachDatabaseAsApp(
  name: string,
  body: (ctx: { driver: Driver; owned: boolean }) => void,
  options: { ownedVariant?: boolean } = {},
) {
  const variants = availableDrivers().map((driver) => ({ driver, owned: false }));
  if (options.ownedVariant && process.env.DATABASE_URL) variants.push({ driver: "postgres", owned: true });
  for (const { driver, owned } of variants) {
    const label = owned ? "postgres, owned by a non-superuser, as beacon_app" : `${driver}, as beacon_app`;
    describe(`${name} [${label}]`, () => {
      let app: DatabaseHandle | undefined;
      beforeAll(async () => {
        app = owned ? await createOwnedTestDatabase() : await createTestDatabase(driver, "app");
        setDatabase(app);
      });
      afterAll(async () => {
        setDatabase(undefined);
        await app?.close();
      });
      body({ driver, owned });
    });
  }
}
