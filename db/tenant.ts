import { sql } from "drizzle-orm";
import { NodePgSession, NodePgTransaction } from "drizzle-orm/node-postgres";
import { PgDialect } from "drizzle-orm/pg-core";
import type pg from "pg";
import { database, db, type Tx } from "./client";

/** Isolation level and access mode for `withTenant` / `withSystem` (drizzle's transaction config). */
export type TransactionConfig = Parameters<ReturnType<typeof db>["transaction"]>[1];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/**
 * Runs `fn` in a transaction scoped to one org: `app.org_id` is set for this transaction only
 * and the role switches to `beacon_tenant`, so row-level security hides every other org's rows
 * even if a query forgets its `org_id` filter.
 */
export async function withTenant<T>(orgId: string, fn: (tx: Tx) => Promise<T>, config?: TransactionConfig): Promise<T> {
  if (!isUuid(orgId)) throw new Error("withTenant needs an org uuid");
  return scopedTransaction(tenantSettings(orgId), fn, config);
}

function tenantSettings(orgId: string) {
  return `select set_config('app.org_id', ${sqlLiteral(orgId)}, true), set_config('role', 'beacon_tenant', true)`;
}

function systemSettings(reason: SystemReason) {
  return `select set_config('role', 'beacon_system', true), set_config('app.system_reason', ${sqlLiteral(reason)}, true)`;
}

const dialect = new PgDialect();

function transactionModes(config: TransactionConfig | undefined): string {
  if (!config) return "";
  const modes = [
    config.isolationLevel ? `isolation level ${config.isolationLevel}` : "",
    config.accessMode ?? "",
    config.deferrable === undefined ? "" : config.deferrable ? "deferrable" : "not deferrable",
  ].filter(Boolean);
  // Only drizzle's closed sets of words reach here (its types), never a caller's text.
  if (!modes.every((mode) => /^[a-z ]+$/.test(mode))) throw new Error("unknown transaction mode");
  return modes.length ? ` ${modes.join(" ")}` : "";
}

/**
 * A transaction whose first statement is `settings` (the role and org of withTenant and
 * withSystem). On PostgreSQL BEGIN and the settings go in ONE message, one round trip where
 * drizzle's `transaction()` takes two: every scoped transaction pays it, several per API call and
 * per Stripe event. The rest is drizzle's own transaction over the same checked-out client.
 * PGlite runs in-process (round trips are free): there it is drizzle's transaction.
 */
async function scopedTransaction<T>(
  settings: string,
  fn: (tx: Tx) => Promise<T>,
  config?: TransactionConfig,
): Promise<T> {
  const handle = database();
  if (handle.driver !== "postgres") {
    return handle.db.transaction(async (tx) => {
      await tx.execute(sql.raw(settings));
      return fn(tx);
    }, config);
  }
  const pool = (handle.db as unknown as { $client: pg.Pool }).$client;
  const client = await pool.connect();
  // Set when ROLLBACK fails: that connection is not given back to the pool for reuse. (One that
  // dies while checked out is discarded already, see releaseClientsThatDie in db/client.ts.)
  let broken: Error | undefined;
  try {
    await client.query(`begin${transactionModes(config)};\n${settings}`);
    const relations = handle.db._;
    const schema = {
      fullSchema: relations.fullSchema,
      schema: relations.schema!,
      tableNamesMap: relations.tableNamesMap,
    };
    const tx = new NodePgTransaction(dialect, new NodePgSession(client, dialect, schema), schema) as unknown as Tx;
    const lastWrites: string[] = [];
    WRITES_WITH_COMMIT.set(tx, lastWrites);
    const rollback = () =>
      client.query("rollback").catch((rollbackError: Error) => {
        broken = rollbackError;
      });
    let result: T;
    try {
      result = await fn(tx);
    } catch (error) {
      await rollback();
      throw error;
    }
    try {
      await client.query(lastWrites.length > 0 ? `${lastWrites.join(";\n")};\ncommit` : "commit");
    } catch (error) {
      // A last write that failed left the transaction aborted, its COMMIT unsent.
      if (lastWrites.length > 0) await rollback();
      throw error;
    }
    return result;
  } finally {
    client.release(broken);
  }
}

// The last writes each PostgreSQL scoped transaction sends with its COMMIT (writeWithCommit).
const WRITES_WITH_COMMIT = new WeakMap<Tx, string[]>();

/**
 * Makes `statement` the transaction's last write, sent with its COMMIT in one message on
 * PostgreSQL: one round trip fewer, for a write nothing in the transaction reads back and whose
 * answer no one waits on (marking a Stripe event processed). Should it fail, the transaction
 * rolls back and its caller gets the error, as for any other statement. PGlite (and a
 * transaction not opened by withTenant or withSystem) runs it at once. The simple protocol has
 * no parameters: build `statement` with `sqlLiteral` and `sqlTextLiteral` only.
 */
export async function writeWithCommit(tx: Tx, statement: string): Promise<void> {
  const lastWrites = WRITES_WITH_COMMIT.get(tx);
  if (lastWrites) lastWrites.push(statement);
  else await tx.execute(sql.raw(statement));
}

/**
 * Every reason the app crosses orgs. Each one names a kind of work that cannot be scoped to one
 * org up front; `grep -rn 'withSystem(\|actAsSystem(' lib db` lists every place that uses one.
 * Add a reason here (and to the README's list) rather than reusing one that does not fit.
 */
export const SYSTEM_REASONS = [
  /**
   * Accounts before an org is known: sign-up (a user with a new org and its verification e-mail),
   * a user's orgs, an invitation found by its token, an API key found by its hash.
   */
  "accounts",
  /** Stripe webhooks, reconciliation and the dunning sweep: the org comes from a Stripe object, or every paying org is visited. */
  "billing",
  /** The digest run fans out over every org's due alerts. */
  "digest-fanout",
  /** The deadline-reminder sweep finds every org's tracked notices whose deadline is near. */
  "reminders",
  /** The "what changed" sweep finds every org's tracked notices and alert matches that changed in a window. */
  "change-notices",
  /** Notice ingestion announces each stored batch with an outbox event that belongs to no org. */
  "ingestion",
  /** Retention cleanup and data requests (export, deletion) picked up by the daily run. */
  "retention",
  /**
   * The operators' cockpit and metrics: lists, search, counts, ops alerts, a customer's timeline,
   * break-glass sessions and operators' second factor.
   */
  "ops-cockpit",
  /** Outbox delivery, sweeps and dead letters over every org's events. */
  "outbox",
  /** Period resets and usage reports over every org's quota, and the outcomes of metered calls ending together. */
  "metering",
  /**
   * Background jobs: each run's record, events and heartbeats (whatever org the run works for),
   * and the cockpit's controls over them (pause, cancel, re-run).
   */
  "jobs",
  /** Feature flags: global settings operators set in the cockpit and every process reads. */
  "flags",
  /** Seeding the demo org and benchmarks' fixtures. */
  "seed",
] as const;
export type SystemReason = (typeof SYSTEM_REASONS)[number];

/**
 * Runs `fn` in a transaction as `beacon_system`, the one role whose policies show every org's
 * rows. Only for work that must cross orgs; `reason` names which kind (see `SYSTEM_REASONS`).
 * Work about one org uses `withTenant` instead, even when an operator or a job asks for it.
 */
export async function withSystem<T>(
  reason: SystemReason,
  fn: (tx: Tx) => Promise<T>,
  config?: TransactionConfig,
): Promise<T> {
  if (!SYSTEM_REASONS.includes(reason)) throw new Error(`unknown system reason ${String(reason)}`);
  return scopedTransaction(systemSettings(reason), fn, config);
}

/**
 * `withSystem`'s switch, for a transaction already open on a database other than the process's
 * (seeding a database handed over by the CLI): the rest of `tx` acts as `beacon_system`.
 */
export async function actAsSystem(tx: Tx, reason: SystemReason): Promise<void> {
  if (!SYSTEM_REASONS.includes(reason)) throw new Error(`unknown system reason ${String(reason)}`);
  await tx.execute(sql.raw(systemSettings(reason)));
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
 * Any text written into SQL text, for values `sqlLiteral` refuses (JSON, text from outside): the
 * statement carries only its UTF-8 bytes as hex digits, which PostgreSQL decodes back to text,
 * so nothing in `value` can end the literal. Null stays null.
 */
export function sqlTextLiteral(value: string | null): string {
  if (value === null) return "null";
  return `convert_from(decode('${Buffer.from(value, "utf8").toString("hex")}', 'hex'), 'UTF8')`;
}

/**
 * One tenant-scoped statement in ONE round trip on PostgreSQL: withTenant's settings and the
 * statement go in one simple-protocol message, which PostgreSQL runs as one implicit
 * transaction (set_config(…, true) lasts until its end, as in withTenant). For writes on the
 * path of every API call: each round trip wakes two processes, and a row the statement locks
 * (an org's quota) stays locked until the commit, which here never waits on the client.
 * The simple protocol has no parameters: build `statement` with `sqlLiteral` (and `sqlTextLiteral`) only.
 * PGlite runs in-process (round trips are free): there it is a plain withTenant.
 */
export async function tenantStatement<Row extends Record<string, unknown>>(
  orgId: string,
  statement: string,
): Promise<Row[]> {
  if (!isUuid(orgId)) throw new Error("tenantStatement needs an org uuid");
  const settings = tenantSettings(orgId);
  const handle = database();
  if (handle.driver === "postgres") {
    const pool = (handle.db as unknown as { $client: pg.Pool }).$client;
    const results = (await pool.query(`${settings};\n${statement}`)) as unknown as pg.QueryResult<Row>[];
    return results.at(-1)!.rows;
  }
  return withTenant(orgId, async (tx) => (await tx.execute(sql.raw(statement))).rows as Row[]);
}

/**
 * `withSystem` for one statement in ONE round trip on PostgreSQL, like `tenantStatement` (same
 * rules: build `statement` with `sqlLiteral` and `sqlTextLiteral` only). For the API key lookup on every call
 * and storing each Stripe event.
 */
export async function systemStatement<Row extends Record<string, unknown>>(
  reason: SystemReason,
  statement: string,
): Promise<Row[]> {
  if (!SYSTEM_REASONS.includes(reason)) throw new Error(`unknown system reason ${String(reason)}`);
  const settings = systemSettings(reason);
  const handle = database();
  if (handle.driver === "postgres") {
    const pool = (handle.db as unknown as { $client: pg.Pool }).$client;
    const results = (await pool.query(`${settings};\n${statement}`)) as unknown as pg.QueryResult<Row>[];
    return results.at(-1)!.rows;
  }
  return withSystem(reason, async (tx) => (await tx.execute(sql.raw(statement))).rows as Row[]);
}
