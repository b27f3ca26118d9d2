import { sql } from "drizzle-orm";
import { database } from "@/db/client";
import { migrationsAtHead } from "@/db/migrate";

export type CheckStatus = "ok" | "failing" | "skipped";

export interface Readiness {
  ready: boolean;
  checks: { database: CheckStatus; migrations: CheckStatus; heartbeats: CheckStatus };
}

const TIMEOUT_MS = 3_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms).unref())]);
}

/** Database reachable and migrations at head. Heartbeat checks arrive with background functions. */
export async function checkReadiness(): Promise<Readiness> {
  const handle = database();
  let databaseStatus: CheckStatus = "ok";
  let migrations: CheckStatus = "failing";
  try {
    await withTimeout(handle.db.execute(sql`select 1`), TIMEOUT_MS);
    migrations = (await withTimeout(migrationsAtHead(handle), TIMEOUT_MS)) ? "ok" : "failing";
  } catch {
    databaseStatus = "failing";
  }
  const checks = { database: databaseStatus, migrations, heartbeats: "skipped" as CheckStatus };
  return { ready: databaseStatus === "ok" && migrations === "ok", checks };
}
