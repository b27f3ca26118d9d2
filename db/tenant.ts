import { sql } from "drizzle-orm";
import type pg from "pg";
import { database, db, type Tx } from "./client";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/**
 * Runs `fn` in a transaction scoped to one org: `app.org_id` is set for this transaction only
 * and the role switches to `beacon_tenant`, so row-level security hides every other org's rows
 * even if a query forgets its `org_id` filter.
 */
export async function withTenant<T>(orgId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (!isUuid(orgId)) throw new Error("withTenant needs an org uuid");
  return db().transaction(async (tx) => {
    // One statement for both (set_config('role', …, true) is SET LOCAL ROLE): it runs twice
    // per metered API call, and each round trip to the database costs more than the statement.
    await tx.execute(sql`select set_config('app.org_id', ${orgId}, true), set_config('role', 'beacon_tenant', true)`);
    return fn(tx);
  });
}

// Nothing that can end a quoted SQL string (no quote, no backslash) can match this.
const INLINE_SAFE = /^[A-Za-z0-9 ._:/{}-]*$/;

/**
 * A value written into SQL text, for `tenantStatement`. Only what cannot end a literal is
 * accepted (uuids, ISO timestamps, request ids, endpoint names, safe integers); anything else
 * throws, so a caller can never inline untrusted text.
 */
export function sqlLiteral(value: string | number | null): string {
  if (value === null) return "null";
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new Error(`${value} cannot be written into SQL text`);
    return String(value);
  }
  if (!INLINE_SAFE.test(value)) throw new Error("this value cannot be written into SQL text");
  return `'${value}'`;
}

/**
 * One tenant-scoped statement in ONE round trip on PostgreSQL: withTenant's settings and the
 * statement go in one simple-protocol message, which PostgreSQL runs as one implicit
 * transaction (set_config(…, true) lasts until its end, as in withTenant). For writes on the
 * path of every API call: each round trip wakes two processes, and a row the statement locks
 * (an org's quota) stays locked until the commit, which here never waits on the client.
 * The simple protocol has no parameters: build `statement` with `sqlLiteral` only.
 * PGlite runs in-process (round trips are free): there it is a plain withTenant.
 */
export async function tenantStatement<Row extends Record<string, unknown>>(
  orgId: string,
  statement: string,
): Promise<Row[]> {
  if (!isUuid(orgId)) throw new Error("tenantStatement needs an org uuid");
  const settings = `select set_config('app.org_id', ${sqlLiteral(orgId)}, true), set_config('role', 'beacon_tenant', true)`;
  const handle = database();
  if (handle.driver === "postgres") {
    const pool = (handle.db as unknown as { $client: pg.Pool }).$client;
    const results = (await pool.query(`${settings};\n${statement}`)) as unknown as pg.QueryResult<Row>[];
    return results.at(-1)!.rows;
  }
  return withTenant(orgId, async (tx) => (await tx.execute(sql.raw(statement))).rows as Row[]);
}
