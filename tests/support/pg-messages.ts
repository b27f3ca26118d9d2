import type pg from "pg";
import { database } from "@/db/client";

/**
 * Every message the pool's clients send while `fn` runs. PGlite has no wire and no pool: there
 * `fn` just runs, and nothing is counted.
 */
export async function messagesDuring(fn: () => Promise<unknown>): Promise<string[]> {
  if (database().driver !== "postgres") {
    await fn();
    return [];
  }
  const pool = (database().db as unknown as { $client: pg.Pool }).$client;
  const sent: string[] = [];
  const wrapped = new WeakSet<pg.PoolClient>();
  const onAcquire = (client: pg.PoolClient) => {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: unknown }).query = (...args: unknown[]) => {
      const first = args[0] as string | { text: string };
      sent.push(typeof first === "string" ? first : first.text);
      return query(...args);
    };
  };
  pool.on("acquire", onAcquire);
  try {
    await fn();
  } finally {
    pool.removeListener("acquire", onAcquire);
  }
  return sent;
}
