import pg from "pg";
import { afterAll, beforeAll, type TestContext } from "vitest";
import { setDatabase, type DatabaseHandle } from "@/db/client";
import { createTestDatabase } from "@/tests/db";

declare module "vitest" {
  interface TaskMeta {
    /** What the scenario survived, one line each; printed by summary-reporter.ts. */
    survived?: string[];
  }
}

/** Records a line of the run's summary ("what survived") on the running test. */
export function survived(context: TestContext, line: string) {
  (context.task.meta.survived ??= []).push(line);
}

export type ScratchDatabase = DatabaseHandle & { url: string; name: string };

/** A fresh migrated PostgreSQL database for the file, as the process default (`db()`); dropped after. */
export function withScratchDatabase(): () => ScratchDatabase {
  let scratch: ScratchDatabase | undefined;
  beforeAll(async () => {
    const handle = await createTestDatabase("postgres");
    scratch = { ...handle, url: handle.url!, name: new URL(handle.url!).pathname.slice(1) };
    setDatabase(scratch);
  });
  afterAll(async () => {
    setDatabase(undefined);
    await scratch?.close();
  });
  return () => {
    if (!scratch) throw new Error("scratch database not ready");
    return scratch;
  };
}

/** Runs `sql` as the superuser on the server's maintenance database (never the scratch one). */
export async function admin<T extends pg.QueryResultRow = pg.QueryResultRow>(
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

const TERMINATE =
  "select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()";

/** Terminates every connection to `database` now; answers how many there were. */
export async function terminateConnections(database: string) {
  const [row] = await admin<{ n: number }>(TERMINATE, [database]);
  return row!.n;
}

/**
 * Kills every connection to `database` every `everyMs` until stopped, as failovers or an
 * operator's pg_terminate_backend would, while the app keeps working on it. With `stormMs` and
 * `calmMs` the database flaps: storms of kills with calm spells between them.
 */
export async function startConnectionKiller(
  database: string,
  everyMs: number,
  flapping?: { stormMs: number; calmMs: number },
) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  let rounds = 0;
  let killed = 0;
  let running = true;
  const started = Date.now();
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const loop = (async () => {
    while (running) {
      if (flapping) {
        const phase = (Date.now() - started) % (flapping.stormMs + flapping.calmMs);
        if (phase >= flapping.stormMs) {
          await sleep(flapping.stormMs + flapping.calmMs - phase);
          continue;
        }
      }
      const { rows } = await client.query<{ n: number }>(TERMINATE, [database]);
      rounds++;
      killed += rows[0]!.n;
      await sleep(everyMs);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await client.end();
      return { rounds, killed };
    },
  };
}

/**
 * Makes `database` unreachable (no new connection is accepted, superusers included, and the
 * open ones are terminated), or reachable again.
 */
export async function setDatabaseReachable(database: string, reachable: boolean) {
  await admin(`alter database "${database}" with allow_connections ${reachable ? "true" : "false"}`);
  if (!reachable) await terminateConnections(database);
}

/** Resolves when `check` answers true, polling every 50 ms; fails after `timeoutMs`. */
export async function eventually(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs `count` tasks with at most `concurrency` at once; answers their results in order. */
export async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

/** Status counts, e.g. { 200: 97, 402: 150, 500: 3 }. */
export function tally(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
  return counts;
}

/** Runs `fn` until it does not fail with a lost connection (the killer may hit it): at most `tries` times. */
export async function retrying<T>(fn: () => Promise<T>, tries = 20): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= tries) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
