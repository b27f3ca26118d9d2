import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { dropOutdatedTemplates } from "./db";

const adminUrl = process.env.DATABASE_URL ?? "";
const suffix = (at: number) => `${at}_${randomBytes(4).toString("hex")}`;
const DAY = 24 * 60 * 60_000;

async function withAdmin<T>(fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

/** What a test run killed half-way leaves on a long-lived PostgreSQL: swept by the next run's setup. */
describe.runIf(adminUrl)("the test run's sweep of what killed runs left [postgres]", () => {
  const abandoned = suffix(Date.now() - DAY);
  const current = suffix(Date.now());
  const names = {
    oldDatabase: `beacon_test_owned_${abandoned}`,
    oldRole: `beacon_owner_${abandoned}`,
    liveDatabase: `beacon_test_${current}`,
    liveRole: `beacon_owner_${current}`,
  };
  afterAll(() =>
    withAdmin(async (admin) => {
      for (const db of [names.oldDatabase, names.liveDatabase]) await admin.query(`drop database if exists "${db}"`);
      for (const role of [names.oldRole, names.liveRole]) await admin.query(`drop role if exists "${role}"`);
    }),
  );

  it("drops test databases and owner roles older than any run, and keeps those a running file may use", async () => {
    await withAdmin(async (admin) => {
      for (const role of [names.oldRole, names.liveRole]) await admin.query(`create role "${role}" login`);
      await admin.query(`create database "${names.oldDatabase}" owner "${names.oldRole}"`);
      await admin.query(`create database "${names.liveDatabase}"`);
    });
    await dropOutdatedTemplates(adminUrl);
    const left = await withAdmin(async (admin) => {
      const databases = await admin.query<{ name: string }>(
        "select datname as name from pg_database where datname = any($1)",
        [[names.oldDatabase, names.liveDatabase]],
      );
      const roles = await admin.query<{ name: string }>(
        "select rolname as name from pg_roles where rolname = any($1)",
        [[names.oldRole, names.liveRole]],
      );
      return [...databases.rows, ...roles.rows].map((r) => r.name).sort();
    });
    expect(left).toEqual([names.liveDatabase, names.liveRole].sort());
  });
});
