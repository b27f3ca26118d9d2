import { sql } from "drizzle-orm";
import { db } from "@/db/client";

/**
 * Tables a rejected request may legitimately write, so they are left out of the fingerprint.
 * Everything else in the public schema (every tenant table, users, sessions, audit, outbox,
 * billing, jobs) must be byte-for-byte unchanged after a rejected request.
 */
export const BOOKKEEPING_TABLES = new Set([
  // Drizzle's migration journal: not application data.
  "__drizzle_migrations",
]);

/**
 * Columns any authenticated request may touch, rejected or not: reading a key or a session
 * is not a change of tenant data. The rest of those rows still counts.
 */
export const BOOKKEEPING_COLUMNS: Record<string, string[]> = {
  // Resolving an API key stamps when it was last used (at most once a minute), before the
  // route has looked at the request.
  api_keys: ["last_used_at"],
  // Sliding session expiry: resolving a session may push `expires` forward (lib/auth/sessions).
  sessions: ["expires"],
};

const tableLists = new WeakMap<object, string[]>();

/** Per table: row count and an md5 over every row's text form in a stable order (one round trip). */
export async function databaseFingerprint(exclude: ReadonlySet<string> = new Set()): Promise<Record<string, string>> {
  const database = db();
  let tables = tableLists.get(database);
  if (!tables) {
    const result = await database.execute<{ table_name: string }>(sql`
      select table_name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`);
    tables = result.rows.map((r) => r.table_name).filter((name) => !BOOKKEEPING_TABLES.has(name));
    tableLists.set(database, tables);
  }
  const parts = tables
    .filter((name) => !exclude.has(name))
    .map((name) => {
      const drop = BOOKKEEPING_COLUMNS[name] ?? [];
      const rowText = drop.length
        ? sql`(to_jsonb(t) - array[${sql.join(
            drop.map((c) => sql`${c}`),
            sql`, `,
          )}]::text[])::text`
        : sql`t::text`;
      return sql`select ${name}::text as name, count(*)::int || ':' || md5(coalesce(string_agg(${rowText}, '|' order by ${rowText}), '')) as sum from ${sql.identifier(name)} t`;
    });
  const result = await database.execute<{ name: string; sum: string }>(sql.join(parts, sql` union all `));
  return Object.fromEntries(result.rows.map((r) => [r.name, r.sum]));
}

/** The tables whose fingerprint differs between two snapshots. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name] !== after[name]).sort();
}
