import { sql } from "drizzle-orm";
import { database } from "@/db/client";
import { migrationsAtHead } from "@/db/migrate";
import { env } from "@/lib/env";
import { staleHeartbeats } from "@/lib/jobs";

export type CheckStatus = "ok" | "failing" | "skipped";

export interface Readiness {
  ready: boolean;
  checks: { database: CheckStatus; migrations: CheckStatus; heartbeats: CheckStatus };
  /** Scheduled functions whose last success (or, never run, registration) is older than twice their interval. */
  staleHeartbeats: string[];
}

const TIMEOUT_MS = 3_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms).unref()),
  ]);
}

/**
 * Database reachable, migrations at head, and scheduled functions' heartbeats fresh (the one
 * rule of lib/jobs heartbeat health, so a scheduler that never ran fails too). Stale heartbeats
 * are always reported; they make the app not ready only with
 * JOB_HEARTBEAT_REQUIRED=true (a web node can serve while the scheduler is down).
 */
export async function checkReadiness(options: { now?: Date; heartbeatRequired?: boolean } = {}): Promise<Readiness> {
  const handle = database();
  let databaseStatus: CheckStatus = "ok";
  let migrations: CheckStatus = "failing";
  let heartbeats: CheckStatus = "skipped";
  let stale: string[] = [];
  try {
    await withTimeout(handle.db.execute(sql`select 1`), TIMEOUT_MS);
    migrations = (await withTimeout(migrationsAtHead(handle), TIMEOUT_MS)) ? "ok" : "failing";
  } catch {
    databaseStatus = "failing";
  }
  if (migrations === "ok") {
    try {
      stale = await withTimeout(staleHeartbeats(options.now ?? new Date()), TIMEOUT_MS);
      heartbeats = stale.length > 0 ? "failing" : "ok";
    } catch {
      heartbeats = "failing";
    }
  }
  const heartbeatRequired = options.heartbeatRequired ?? env().JOB_HEARTBEAT_REQUIRED;
  const ready = databaseStatus === "ok" && migrations === "ok" && (!heartbeatRequired || heartbeats !== "failing");
  return { ready, checks: { database: databaseStatus, migrations, heartbeats }, staleHeartbeats: stale };
}
