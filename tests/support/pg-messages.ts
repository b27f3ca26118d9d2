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
  // Each client's own query, put back afterwards so later tests see the pool as it was.
  const originals = new Map<pg.PoolClient, pg.PoolClient["query"]>();
  const onAcquire = (client: pg.PoolClient) => {
    if (originals.has(client)) return;
    const query = client.query;
    originals.set(client, query);
    (client as unknown as { query: unknown }).query = (...args: unknown[]) => {
      const first = args[0] as string | { text: string };
      sent.push(typeof first === "string" ? first : first.text);
      return (query as (...a: unknown[]) => unknown).apply(client, args);
    };
  };
  pool.on("acquire", onAcquire);
  try {
    await fn();
  } finally {
    pool.removeListener("acquire", onAcquire);
    for (const [client, query] of originals) client.query = query;
  }
  return sent;
}
