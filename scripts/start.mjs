// `npm start`: the production server (`next start`) with WEB_CONCURRENCY workers behind one port.
// Node's cluster module hands each worker's listen() the primary's socket, so every worker is a
// whole `next start` and the connections are spread between them. Everything the workers share
// lives outside them: quotas, leases and the outbox in PostgreSQL, rate limits in Redis, so more
// than one worker needs DATABASE_URL and REDIS_URL (an embedded database and in-memory limits
// belong to one process). A worker that dies is replaced; SIGTERM or SIGINT stops them all.
import cluster from "node:cluster";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const port = process.env.PORT || "3000";
const NEXT_ARGS = ["start", "-p", port];

/** WEB_CONCURRENCY: a number of workers, or `auto` for one per core; 1 when unset. */
export function workerCount(value = process.env.WEB_CONCURRENCY, cores = os.availableParallelism()) {
  if (value === undefined || value === "") return 1;
  if (value === "auto") return cores;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new Error(`WEB_CONCURRENCY must be a whole number from 1 to 64, or "auto" (got "${value}")`);
  return n;
}

/** Why more than one worker cannot run here, or null when it can. */
export function clusterRefusal(env = process.env) {
  if (!env.DATABASE_URL) return "the embedded database (no DATABASE_URL) belongs to one process";
  if (!env.REDIS_URL) return "rate limits without REDIS_URL are counted in each process's memory";
  return null;
}

function runNextHere() {
  process.argv = [process.argv[0], "next", ...NEXT_ARGS];
  require("next/dist/bin/next");
}

function runPrimary(workers) {
  const refusal = clusterRefusal();
  if (refusal) {
    console.error(`WEB_CONCURRENCY=${workers} refused: ${refusal}. Set it to 1, or configure the service.`);
    process.exit(1);
  }
  cluster.setupPrimary({ exec: require.resolve("next/dist/bin/next"), args: NEXT_ARGS });
  let stopping = false;
  const restarts = [];
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    // A crash loop (five in a minute) stops the server rather than spinning.
    const now = Date.now();
    restarts.push(now);
    while (restarts.length > 0 && restarts[0] < now - 60_000) restarts.shift();
    if (restarts.length > 5) {
      console.error("workers keep exiting: stopping");
      process.exit(1);
    }
    console.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    cluster.fork();
  });
  const stop = (signal) => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  console.log(`Beacon: ${workers} workers on port ${port}`);
}

// Run as a program (`npm start`), not when a test imports the two functions above.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const workers = workerCount();
  if (workers === 1) runNextHere();
  else runPrimary(workers);
}
