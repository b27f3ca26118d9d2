import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";

/**
 * Tables that carry an `org_id` but never show rows to a tenant, and why. Everything else with an
 * `org_id` (and `organizations`) is a tenant table: `tenantIsolation(...)` and `systemAccess()` in
 * db/schema, `.enableRLS()`.
 */
export const SYSTEM_ONLY_TABLES: Record<string, string> = {
  stripe_events: "Stripe's own events: stored before the org is known, read by webhooks and the cockpit only",
};

export interface TableSecurity {
  table: string;
  orgScoped: boolean;
  rls: boolean;
  forced: boolean;
  /** `policy:role:using-expression` for each policy and role. */
  policies: string[];
}

/** Every table of the public schema with its row-level security as the catalog has it. */
export async function tableSecurity(db: DbOrTx): Promise<TableSecurity[]> {
  const result = await db.execute<{
    table: string;
    org_scoped: boolean;
    rls: boolean;
    forced: boolean;
    policies: string[] | string;
  }>(sql`
    select c.relname as table,
           c.relname = 'organizations' or exists (
             select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'org_id' and not a.attisdropped
           ) as org_scoped,
           c.relrowsecurity as rls,
           c.relforcerowsecurity as forced,
           coalesce((
             select array_agg(p.polname || ':' || r.rolname || ':' || coalesce(pg_get_expr(p.polqual, p.polrelid), '')
                              order by p.polname, r.rolname)
               from pg_policy p
               join pg_roles r on r.oid = any (p.polroles)
              where p.polrelid = c.oid
           ), '{}') as policies
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p')
     order by c.relname`);
  return result.rows.map((row) => ({
    table: row.table,
    orgScoped: row.org_scoped,
    rls: row.rls,
    forced: row.forced,
    policies: typeof row.policies === "string" ? parsePgArray(row.policies) : row.policies,
  }));
}

/** node-postgres and PGlite both parse text[]; this is only for a driver that would not. */
function parsePgArray(text: string): string[] {
  const inner = text.replace(/^\{|\}$/g, "");
  return inner ? inner.split(",").map((s) => s.replace(/^"|"$/g, "")) : [];
}

/** What is missing, one line per problem; empty when every tenant table is walled. */
export function rowLevelSecurityGaps(tables: TableSecurity[]): string[] {
  const gaps: string[] = [];
  for (const t of tables) {
    const tenant = t.orgScoped && !(t.table in SYSTEM_ONLY_TABLES);
    if ((tenant || t.table in SYSTEM_ONLY_TABLES) && !t.rls) gaps.push(`${t.table}: row-level security is off`);
    // Without FORCE the tables' owner skips every policy: a DATABASE_URL that names the owner would.
    if ((tenant || t.table in SYSTEM_ONLY_TABLES) && !t.forced)
      gaps.push(
        `${t.table}: row-level security is not forced (alter table … force row level security in its migration)`,
      );
    const tenantPolicy = t.policies.find((p) => p.startsWith("tenant_isolation:beacon_tenant:"));
    const column = t.table === "organizations" ? "id" : "org_id";
    if (tenant && !(tenantPolicy?.includes(column) && tenantPolicy.includes("app.org_id")))
      gaps.push(`${t.table}: no tenant_isolation policy for beacon_tenant on ${column}`);
    if (!tenant && tenantPolicy) gaps.push(`${t.table}: listed as system-only but has a tenant policy`);
    if (
      (tenant || t.rls) &&
      !t.policies.some((p) => p.startsWith("system_access:beacon_system:") && p.includes("'beacon_system'"))
    )
      gaps.push(`${t.table}: no system_access policy for beacon_system`);
  }
  return gaps;
}
