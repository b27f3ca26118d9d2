import { sql, type SQL } from "drizzle-orm";
import { pgPolicy, pgRole, type AnyPgColumn } from "drizzle-orm/pg-core";

/**
 * Row-level security is the second wall behind `orgId`-scoped queries. Tenant transactions
 * switch to this role (`SET LOCAL ROLE beacon_tenant`) and set `app.org_id`; the policy then
 * only shows that org's rows. Without the setting a tenant query sees nothing.
 * The role is created by migration 0000 (it is cluster-wide, so drizzle only references it).
 */
export const tenantRole = pgRole("beacon_tenant").existing();

/**
 * The one role for work that must cross orgs (digest fan-out, retention, the ops cockpit,
 * webhooks before the org is known). Only `withSystem` in db/tenant.ts switches to it, with a
 * reason from `SYSTEM_REASONS`, so every place that crosses tenants can be listed. Created by
 * migration 0023.
 */
export const systemRole = pgRole("beacon_system").existing();

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

/**
 * Every tenant table carries this next to `tenantIsolation`: `beacon_system` sees and writes
 * every org's rows. A policy rather than BYPASSRLS, which only a superuser can grant (managed
 * PostgreSQL often refuses it). Only while acting as the role (SET ROLE): a policy also applies
 * to the role's members, and the connecting user is one (PostgreSQL 15 has no grant without
 * inheritance). db/rls.test.ts fails for a tenant table without both.
 */
export function systemAccess() {
  return pgPolicy("system_access", {
    as: "permissive",
    for: "all",
    to: systemRole,
    using: sql`current_user = 'beacon_system'`,
    withCheck: sql`current_user = 'beacon_system'`,
  });
}
