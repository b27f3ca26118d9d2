import path from "node:path";
import fs from "node:fs";
import { sql } from "drizzle-orm";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import type { DatabaseHandle, DbOrTx } from "./client";

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");

interface Journal {
  entries: { idx: number; tag: string; when: number }[];
}

export function migrationJournal(): Journal {
  return JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as Journal;
}

/** How many migrations are recorded as applied, and the newest one's timestamp. */
export async function appliedMigrations(
  handle: DatabaseHandle,
): Promise<{ count: number; lastCreatedAt: number | null }> {
  return migrationsRecordedIn(handle.db);
}

async function migrationsRecordedIn(db: DbOrTx): Promise<{ count: number; lastCreatedAt: number | null }> {
  try {
    const result = await db.execute<{ count: string | number; last: string | number | null }>(
      sql`select count(*) as count, max(created_at) as last from drizzle.__drizzle_migrations`,
    );
    const row = result.rows[0];
    return { count: Number(row?.count ?? 0), lastCreatedAt: row?.last == null ? null : Number(row.last) };
  } catch {
    return { count: 0, lastCreatedAt: null };
  }
}

/**
 * Applies pending migrations as the tables' owner; returns how many were applied. Same folder
 * for both drivers. A migration that changes rows of a tenant table must act as beacon_system
 * for that statement (`set local role beacon_system`): FORCE ROW LEVEL SECURITY holds the owner
 * to the policies too, so as itself it would see no row (unless it is a superuser).
 */
export async function migrateDatabase(handle: DatabaseHandle): Promise<{ applied: number }> {
  return handle.asOwner(async (owner) => {
    const before = await migrationsRecordedIn(owner);
    if (handle.driver === "postgres") {
      await migratePg(owner, { migrationsFolder: MIGRATIONS_FOLDER });
    } else {
      await migratePglite(owner as unknown as PgliteDatabase<Record<string, never>>, {
        migrationsFolder: MIGRATIONS_FOLDER,
      });
    }
    const after = await migrationsRecordedIn(owner);
    return { applied: after.count - before.count };
  });
}

/** True when every migration in the journal has been applied. */
export async function migrationsAtHead(handle: DatabaseHandle): Promise<boolean> {
  const journal = migrationJournal();
  const last = journal.entries.at(-1);
  const applied = await appliedMigrations(handle);
  if (!last) return true;
  return (
    applied.lastCreatedAt !== null && applied.lastCreatedAt >= last.when && applied.count >= journal.entries.length
  );
}
