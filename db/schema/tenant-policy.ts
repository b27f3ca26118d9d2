import { sql, type SQL } from "drizzle-orm";
import { pgPolicy, pgRole, type AnyPgColumn } from "drizzle-orm/pg-core";

/**
 * Row-level security is the second wall behind `orgId`-scoped queries. Tenant transactions
 * switch to this role (`SET LOCAL ROLE beacon_tenant`) and set `app.org_id`; the policy then
 * only shows that org's rows. Without the setting a tenant query sees nothing.
 * The role is created by migration 0000 (it is cluster-wide, so drizzle only references it).
 */
export const tenantRole = pgRole("beacon_tenant").existing();

export const currentOrgId: SQL = sql`nullif(current_setting('app.org_id', true), '')::uuid`;

export function tenantIsolation(orgIdColumn: AnyPgColumn) {
  return pgPolicy("tenant_isolation", {
    as: "permissive",
    for: "all",
    to: tenantRole,
    using: sql`${orgIdColumn} = ${currentOrgId}`,
    withCheck: sql`${orgIdColumn} = ${currentOrgId}`,
  });
}
