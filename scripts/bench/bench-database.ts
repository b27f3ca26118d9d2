import { randomBytes } from "node:crypto";
import type { SQL } from "drizzle-orm";
import pg from "pg";
import { database, openDatabase, setDatabase, type DatabaseHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";

/** A fresh, migrated PostgreSQL database for one benchmark; dropped by `drop()`. */
export async function createBenchDatabase(
  prefix: string,
): Promise<DatabaseHandle & { url: string; drop(): Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (!base)
    throw new Error(
      "Benchmarks run on PostgreSQL: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres).",
    );
  const name = `${prefix}_${Date.now()}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = openDatabase({ url: url.toString(), poolMax: 4 });
  await migrateDatabase(handle);
  setDatabase(handle);
  return {
    ...handle,
    url: url.toString(),
    async drop() {
      setDatabase(undefined);
      await handle.close();
      const dropper = new pg.Client({ connectionString: base });
      await dropper.connect();
      await dropper.query(`drop database if exists "${name}" with (force)`);
      await dropper.end();
    },
  };
}

/**
 * A benchmark's own setup statement (scratch tables, bulk rows, ANALYZE) as the tables' owner:
 * the app's role may neither create tables nor analyze them.
 */
export async function ownerExecute<Row extends Record<string, unknown> = Record<string, unknown>>(query: SQL) {
  return database().asOwner((owner) => owner.execute<Row>(query));
}

export function printTable(title: string, header: string[], rows: (string | number)[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells: (string | number)[]) => cells.map((c, i) => String(c).padStart(widths[i]!)).join("  ");
  console.log(`\n${title}\n${line(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}`);
  for (const row of rows) console.log(line(row));
}
