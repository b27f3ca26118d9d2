import type { PGlite, Transaction } from "@electric-sql/pglite";
import type pg from "pg";
import { currentRequestId, logger } from "@/lib/observability";

export const DEFAULT_SLOW_QUERY_MS = 1000;
const MAX_LOGGED_SQL = 500;

function sqlTextOf(query: unknown): string {
  const text =
    typeof query === "string"
      ? query
      : typeof query === "object" && query && "text" in query
        ? String((query as { text: unknown }).text)
        : "";
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > MAX_LOGGED_SQL ? `${flat.slice(0, MAX_LOGGED_SQL)}…` : flat;
}

/**
 * Watches one query's promise and logs it when it took `slowMs` or more. The request id is read
 * when the query is sent (a connection handed over from another request's release must not
 * lend it that request's id). Only the SQL text is logged, never the parameters (they can hold
 * password hashes or tokens).
 */
function watch<T>(result: T, query: unknown, slowMs: number): T {
  if (!result || typeof (result as { then?: unknown }).then !== "function") return result;
  const requestId = currentRequestId();
  const started = performance.now();
  const done = () => {
    const ms = Math.round(performance.now() - started);
    if (ms >= slowMs)
      logger.warn(
        { ...(requestId ? { requestId } : {}), ms, thresholdMs: slowMs, sql: sqlTextOf(query) },
        "slow query",
      );
  };
  (result as unknown as Promise<unknown>).then(done, done);
  return result;
}

/**
 * node-postgres: `pool.query` (timed from the call, so waiting for a free connection counts —
 * that is what the request felt) and each pooled client's own promise queries (transactions).
 * The pool's internal callback-style `client.query` is left alone so nothing is timed twice.
 */
export function timePgPool(pool: pg.Pool, slowMs: number) {
  const poolQuery = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  pool.query = ((...args: unknown[]) => watch(poolQuery(...args), args[0], slowMs)) as typeof pool.query;
  pool.on("connect", (client) => {
    const clientQuery = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((...args: unknown[]) => {
      const callbackStyle =
        args.some((a) => typeof a === "function") ||
        (typeof args[0] === "object" && args[0] !== null && "submit" in args[0]);
      const result = clientQuery(...args);
      return callbackStyle ? result : watch(result, args[0], slowMs);
    }) as typeof client.query;
  });
}

/** PGlite: its queries and those inside its transactions (drizzle uses `query` for both). */
export function timePglite(client: PGlite, slowMs: number) {
  const query = client.query.bind(client);
  client.query = ((...args: Parameters<PGlite["query"]>) => watch(query(...args), args[0], slowMs)) as PGlite["query"];
  const transaction = client.transaction.bind(client);
  client.transaction = (<T>(fn: (tx: Transaction) => Promise<T>) =>
    transaction((tx) => {
      // Same transaction object (its getters and rollback) with a timed query.
      const timed = Object.create(tx) as Transaction;
      const txQuery = tx.query.bind(tx);
      timed.query = ((...args: Parameters<Transaction["query"]>) =>
        watch(txQuery(...args), args[0], slowMs)) as Transaction["query"];
      return fn(timed);
    })) as PGlite["transaction"];
}
