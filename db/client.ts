import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePg, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import * as schema from "./schema";
import { acquireDataDirLock, recordServedAddress, servedAddressFor, type ServedDataDir } from "./data-dir-lock";
import { DEFAULT_SLOW_QUERY_MS, timePgPool, timePglite } from "./slow-queries";
import { readEnv } from "@/lib/env";

/** Both drivers expose the same query builder; we type against node-postgres's. */
export type Db = NodePgDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export interface DatabaseHandle {
  db: Db;
  driver: "pglite" | "postgres";
  /** A label safe to show (never the URL with its password). */
  label: string;
  /**
   * Runs `fn` as the connecting user (the tables' owner), for what only the owner may do:
   * migrations, a benchmark's scratch tables. The app's own queries never do (see `actAs`).
   */
  asOwner<T>(fn: (owner: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * The role the app's connections act as. No policy names it, so on its own it sees no tenant
 * row: only `withTenant` (beacon_tenant) and `withSystem` (beacon_system) do, whatever user
 * DATABASE_URL names (a superuser or BYPASSRLS user would otherwise skip row-level security,
 * and the owner would be held only by FORCE). Created by migration 0025.
 */
export const APP_ROLE = "beacon_app";

export interface DatabaseOptions {
  /** PostgreSQL URL. Without it, embedded PGlite is used. */
  url?: string;
  /** PGlite data directory; omit for an in-memory database (tests). */
  dataDir?: string;
  poolMax?: number;
  /** Queries taking at least this long are logged with the request id (SLOW_QUERY_MS). */
  slowQueryMs?: number;
  /** In-memory PGlite only: start from this data directory image (`dumpDataDir`) instead of an empty cluster. */
  image?: Blob;
  /**
   * Who the handle's queries act as: `app` (the default) is APP_ROLE on every connection;
   * `owner` is the connecting user itself, for tests' fixtures and tools that own the schema.
   */
  actAs?: "app" | "owner";
  /** A PGlite served over the wire: every connection shares its one session (and its role). */
  sharedSession?: boolean;
}

/** Switches a session to APP_ROLE once the role exists (an unmigrated database has no tenant table yet). */
const ACT_AS_APP = `do $$ begin
  if exists (select 1 from pg_roles where rolname = '${APP_ROLE}') then set role ${APP_ROLE}; end if;
end $$`;

/** PostgreSQL's startup `options` with the role added: a connection that cannot take it fails. */
function withAppRole(url: string): string {
  const u = new URL(url);
  const options = u.searchParams.get("options");
  u.searchParams.set("options", `${options ? `${options} ` : ""}-c role=${APP_ROLE}`);
  return u.toString();
}

/** A connection of its own as the connecting user (never the pool's, which act as APP_ROLE). */
async function asOwnerOnWire<T>(url: string, sharedSession: boolean, fn: (owner: Db) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  await client.connect();
  try {
    // A served PGlite has one session for every connection: take the owner for it, give it back.
    if (sharedSession) await client.query("set role none");
    return await fn(drizzlePg(client, { schema }) as unknown as Db);
  } finally {
    try {
      // Not swallowed: a shared session left as the owner would skip row-level security for everyone.
      if (sharedSession) await client.query(ACT_AS_APP);
    } finally {
      await client.end().catch(() => {});
    }
  }
}

/**
 * drizzle's node-postgres `transaction()` sends BEGIN before its try/finally, so a client whose
 * connection died while idle in the pool (failover, pg_terminate_backend) fails BEGIN and is never
 * released: a handful of those and every request waits forever for a pool slot. So a checked-out
 * client whose connection ends goes back to the pool (which discards it) at once, and releasing
 * it again later is a no-op. Callback-style checkouts (`pool.query`) always release and pass through.
 */
function releaseClientsThatDie(pool: pg.Pool) {
  const connect = pool.connect.bind(pool) as (callback?: unknown) => Promise<pg.PoolClient> | void;
  pool.connect = ((callback?: unknown) => {
    if (callback) return connect(callback);
    return (connect() as Promise<pg.PoolClient>).then((client) => {
      const release = client.release;
      let released = false;
      const onEnd = () => client.release(new Error("connection ended while checked out"));
      client.release = (err?: Error | boolean) => {
        if (released) return;
        released = true;
        client.removeListener("end", onEnd);
        release(err);
      };
      client.once("end", onEnd);
      return client;
    });
  }) as typeof pool.connect;
}

export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  const slowQueryMs = options.slowQueryMs ?? DEFAULT_SLOW_QUERY_MS;
  const asApp = (options.actAs ?? "app") === "app";
  if (options.url) {
    const ownUrl = options.url;
    // A served PGlite ignores startup options: its owner sets the role on the shared session.
    const connectionString = asApp && !options.sharedSession ? withAppRole(ownUrl) : ownUrl;
    const pool = new pg.Pool({ connectionString, max: options.poolMax ?? 10 });
    timePgPool(pool, slowQueryMs);
    // An idle client losing its connection (server restart) must not crash the process.
    pool.on("error", () => {});
    // A checked-out client whose connection dies between two statements (a transaction waiting
    // on the app, a terminated backend) emits "error" with no pool listener attached: without
    // one of its own that is an uncaught exception and the whole process dies. The error still
    // reaches the caller (its next query fails) and the pool drops the client on release.
    pool.on("connect", (client) => client.on("error", () => {}));
    releaseClientsThatDie(pool);
    const url = new URL(options.url);
    return {
      db: drizzlePg(pool, { schema }),
      driver: "postgres",
      label: `postgres://${url.hostname}:${url.port || 5432}${url.pathname}`,
      asOwner: (fn) => asOwnerOnWire(ownUrl, options.sharedSession ?? false, fn),
      close: () => pool.end(),
    };
  }
  let release: (() => void) | undefined;
  let client: PGlite;
  if (options.dataDir) {
    // PGlite calls a non-recursive mkdir on the data dir: the parent must exist.
    fs.mkdirSync(path.dirname(path.resolve(options.dataDir)), { recursive: true });
    // The owner (the app server) serves it: be one more client of the one database.
    const served = servedAddressFor(options.dataDir);
    if (served) return connectToServedDatabase(options.dataDir, served, options);
    release = acquireDataDirLock(options.dataDir);
    client = new PGlite(options.dataDir);
  } else {
    client = options.image ? new PGlite({ loadDataDir: options.image }) : new PGlite();
  }
  timePglite(client, slowQueryMs);
  // Queued before any other query of this one session; a session that cannot take it is closed.
  if (asApp) client.exec(ACT_AS_APP).catch(() => client.close());
  const pgliteDb = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db: pgliteDb,
    driver: "pglite",
    label: options.dataDir ? `pglite:${options.dataDir}` : "pglite:memory",
    asOwner: async (fn) => {
      await client.exec("set role none");
      try {
        return await fn(pgliteDb);
      } finally {
        if (asApp) await client.exec(ACT_AS_APP);
      }
    },
    close: async () => {
      await client.close();
      release?.();
    },
  };
}

function servedUrl(address: { host: string; port: number }) {
  return `postgres://postgres@${address.host}:${address.port}/postgres`;
}

function connectToServedDatabase(dataDir: string, served: ServedDataDir, options: DatabaseOptions): DatabaseHandle {
  const handle = openDatabase({
    url: servedUrl(served),
    poolMax: SERVED_POOL_MAX,
    slowQueryMs: options.slowQueryMs,
    sharedSession: true,
  });
  return { ...handle, label: `pglite:${dataDir} (served by pid ${served.pid} on ${served.host}:${served.port})` };
}

/** A free loopback port (the socket server needs a number up front to name in the lock). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const SERVE_HOST = "127.0.0.1";
/**
 * One connection per process. The socket server queues each client's protocol messages one by
 * one and keeps a client's turn only inside a transaction, so the Parse/Bind/Execute of two
 * connections' unnamed statements can interleave and bind one query's parameters to another's
 * statement. One connection per process serialises them, as PGlite in-process does anyway (it
 * runs one query or transaction at a time).
 */
const SERVED_POOL_MAX = 1;
/** The owner's own pool plus a few CLI runs and scripts at once. */
const SERVED_MAX_CONNECTIONS = 32;

/**
 * Opens the embedded database as its owner AND serves it on a loopback port over the PostgreSQL
 * wire protocol (long-lived processes: the app server). The address goes into the data-dir lock,
 * so a second local process (the CLI in another terminal) connects to it instead of failing.
 * This process talks to it through the same socket: the server's queue runs one client's
 * transaction at a time, which direct in-process queries would slip into the middle of.
 * When another live process already serves the dir, this one simply connects to it.
 */
export async function openServedDatabase(options: {
  dataDir: string;
  poolMax?: number;
  slowQueryMs?: number;
}): Promise<DatabaseHandle> {
  fs.mkdirSync(path.dirname(path.resolve(options.dataDir)), { recursive: true });
  const served = servedAddressFor(options.dataDir);
  if (served) return connectToServedDatabase(options.dataDir, served, options);
  const release = acquireDataDirLock(options.dataDir);
  const client = new PGlite(options.dataDir);
  try {
    await client.waitReady;
    // Every connection shares this session: it acts as the app from here on (see APP_ROLE).
    await client.exec(ACT_AS_APP);
    const port = await freePort(SERVE_HOST);
    const server = new PGLiteSocketServer({
      db: client,
      host: SERVE_HOST,
      port,
      maxConnections: SERVED_MAX_CONNECTIONS,
    });
    await server.start();
    recordServedAddress(options.dataDir, { host: SERVE_HOST, port });
    const pooled = openDatabase({
      url: servedUrl({ host: SERVE_HOST, port }),
      poolMax: SERVED_POOL_MAX,
      slowQueryMs: options.slowQueryMs,
      sharedSession: true,
    });
    return {
      ...pooled,
      label: `pglite:${options.dataDir} (served on ${SERVE_HOST}:${port})`,
      close: async () => {
        await pooled.close();
        await server.stop();
        await client.close();
        release();
      },
    };
  } catch (error) {
    await client.close().catch(() => {});
    release();
    throw error;
  }
}

export const DEFAULT_PGLITE_DIR = ".data/pglite";

export function databaseOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseOptions {
  const slowQueryMs = readEnv(env).SLOW_QUERY_MS;
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, slowQueryMs };
  return { dataDir: env.PGLITE_DATA_DIR || DEFAULT_PGLITE_DIR, slowQueryMs };
}

// Cached on globalThis so `next dev` hot reloads reuse the one open database.
const globalForDb = globalThis as unknown as { __beaconDatabase?: DatabaseHandle };

/** The process's database, opened lazily on first use (never at import: `next build` imports routes). */
export function database(): DatabaseHandle {
  globalForDb.__beaconDatabase ??= openDatabase(databaseOptionsFromEnv());
  return globalForDb.__beaconDatabase;
}

export function db(): Db {
  return database().db;
}

/** Replaces the process's database (tests, CLI). Returns the previous one, not closed. */
export function setDatabase(handle: DatabaseHandle | undefined) {
  const previous = globalForDb.__beaconDatabase;
  globalForDb.__beaconDatabase = handle;
  return previous;
}

/**
 * The app server's database: on the embedded PGlite it is opened served (openServedDatabase),
 * so the CLI and scripts share it while the server runs. With DATABASE_URL, the usual pool.
 */
export async function openServerDatabase(env: NodeJS.ProcessEnv = process.env): Promise<DatabaseHandle> {
  if (globalForDb.__beaconDatabase) return globalForDb.__beaconDatabase;
  const options = databaseOptionsFromEnv(env);
  // Never in production: the socket has no authentication (loopback only, but shared hosts exist).
  const serve = options.dataDir && !options.url && readEnv(env).NODE_ENV !== "production";
  const handle = serve
    ? await openServedDatabase({ dataDir: options.dataDir!, slowQueryMs: options.slowQueryMs })
    : openDatabase(options);
  globalForDb.__beaconDatabase ??= handle;
  return globalForDb.__beaconDatabase;
}

export async function closeDatabase() {
  const handle = globalForDb.__beaconDatabase;
  globalForDb.__beaconDatabase = undefined;
  await handle?.close();
}
