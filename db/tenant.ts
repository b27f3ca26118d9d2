import { sql } from "drizzle-orm";
import { db, type Tx } from "./client";

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
    await tx.execute(sql`select set_config('app.org_id', ${orgId}, true)`);
    await tx.execute(sql`set local role beacon_tenant`);
    return fn(tx);
  });
}
