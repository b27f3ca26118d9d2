import { randomUUID } from "node:crypto";
import { beforeAll, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { database, db, type Tx } from "@/db/client";
import { alertDigests, alerts, apiKeys, invitations, memberships, organizations, users } from "@/db/schema";
import {
  SYSTEM_REASONS,
  sqlLiteral,
  sqlTextLiteral,
  systemStatement,
  tenantStatement,
  withSystem,
  withTenant,
} from "@/db/tenant";
import { describeEachDatabase, describeEachDatabaseAsApp } from "@/tests/db";
import { rowLevelSecurityGaps, tableSecurity } from "@/tests/rls-catalog";
import { createAlert, deleteAlert, getAlert, listAlerts, runAlertDigest, updateAlert } from "@/lib/alerts";
import { createApiKey, createUserWithOrganization, resolveApiKey } from "@/lib/auth";
import { billingOverview } from "@/lib/billing";
import { serviceContext } from "@/lib/context";
import { chargeApiCall, usageReport } from "@/lib/metering";
import { saveBusinessProfile } from "@/lib/onboarding";
import { customerDetail } from "@/lib/ops/customers";
import { searchCustomers } from "@/lib/ops/customer-search";
import { getOrganization, listOrganizationsForUser } from "@/lib/orgs";
import { requestAndBuildExport, runRetention } from "@/lib/retention";
import { contextOf, operatorContextOf, systemContextOf } from "@/tests/support/factories";

const TENANT_TABLES = ["memberships", "api_keys", "invitations", "organizations"] as const;

/** The database's own message (drizzle wraps it as the error's cause). */
async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e as Error & { cause?: Error },
  );
  if (!error) throw new Error("expected the statement to be refused");
  return `${error.message}\n${error.cause?.message ?? ""}`;
}

describeEachDatabase("row-level security", ({ handle }) => {
  const orgA = randomUUID();
  const orgB = randomUUID();
  let userA = "";
  let userB = "";

  beforeAll(async () => {
    const db = handle().db;
    const [a, b] = await db
      .insert(users)
      .values([{ email: "owner-a@rls.test" }, { email: "owner-b@rls.test" }])
      .returning({ id: users.id });
    userA = a!.id;
    userB = b!.id;
    await db.insert(organizations).values([
      { id: orgA, name: "Org A" },
      { id: orgB, name: "Org B" },
    ]);
    await db.insert(memberships).values([
      { orgId: orgA, userId: userA, role: "owner" },
      { orgId: orgA, userId: userB, role: "viewer" },
      { orgId: orgB, userId: userB, role: "owner" },
    ]);
    const expiresAt = new Date(Date.now() + 86_400_000);
    await db.insert(apiKeys).values([
      { orgId: orgA, name: "a1", prefix: "bk_test_aaaa", keyHash: "hash-a1" },
      { orgId: orgA, name: "a2", prefix: "bk_test_aaab", keyHash: "hash-a2" },
      { orgId: orgB, name: "b1", prefix: "bk_test_bbbb", keyHash: "hash-b1" },
    ]);
    await db.insert(invitations).values([
      { orgId: orgA, email: "x@rls.test", role: "member", tokenHash: "inv-a", expiresAt },
      { orgId: orgB, email: "y@rls.test", role: "member", tokenHash: "inv-b1", expiresAt },
      { orgId: orgB, email: "z@rls.test", role: "viewer", tokenHash: "inv-b2", expiresAt },
    ]);
  });

  async function count(tx: Tx, table: string) {
    const result = await tx.execute<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table)}`);
    return Number(result.rows[0]!.n);
  }

  /** A transaction as beacon_tenant, with app.org_id set to `orgId` unless it is null. Always rolled back. */
  async function asTenant<T>(orgId: string | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
    let out: T;
    const rollback = new Error("rollback");
    await handle()
      .db.transaction(async (tx) => {
        if (orgId) await tx.execute(sql`select set_config('app.org_id', ${orgId}, true)`);
        await tx.execute(sql`set local role beacon_tenant`);
        out = await fn(tx);
        throw rollback;
      })
      .catch((error: unknown) => {
        if (error !== rollback) throw error;
      });
    return out!;
  }

  it("the unscoped owner connection sees every org's rows (the fixture is real)", async () => {
    await handle().db.transaction(async (tx) => {
      expect(await count(tx, "memberships")).toBe(3);
      expect(await count(tx, "api_keys")).toBe(3);
      expect(await count(tx, "invitations")).toBe(3);
      expect(await count(tx, "organizations")).toBe(2);
    });
  });

  it("as beacon_tenant without app.org_id, every tenant table looks empty", async () => {
    const counts = await asTenant(null, async (tx) =>
      Object.fromEntries(await Promise.all(TENANT_TABLES.map(async (t) => [t, await count(tx, t)] as const))),
    );
    expect(counts).toEqual({ memberships: 0, api_keys: 0, invitations: 0, organizations: 0 });
  });

  it("as beacon_tenant with an empty app.org_id, every tenant table looks empty", async () => {
    const counts = await asTenant(null, async (tx) => {
      await tx.execute(sql`select set_config('app.org_id', '', true)`);
      const out: Record<string, number> = {};
      for (const t of TENANT_TABLES) out[t] = await count(tx, t);
      return out;
    });
    expect(counts).toEqual({ memberships: 0, api_keys: 0, invitations: 0, organizations: 0 });
  });

  it("with app.org_id = A only A's rows are visible", async () => {
    const seen = await asTenant(orgA, async (tx) => ({
      memberships: (await tx.select().from(memberships)).map((r) => r.orgId),
      apiKeys: (await tx.select().from(apiKeys)).map((r) => r.name).sort(),
      invitations: (await tx.select().from(invitations)).map((r) => r.tokenHash),
      organizations: (await tx.select().from(organizations)).map((r) => r.name),
    }));
    expect(seen.memberships).toEqual([orgA, orgA]);
    expect(seen.apiKeys).toEqual(["a1", "a2"]);
    expect(seen.invitations).toEqual(["inv-a"]);
    expect(seen.organizations).toEqual(["Org A"]);
  });

  it("with app.org_id = B only B's rows are visible", async () => {
    const counts = await asTenant(orgB, async (tx) => {
      const out: Record<string, number> = {};
      for (const t of TENANT_TABLES) out[t] = await count(tx, t);
      return out;
    });
    expect(counts).toEqual({ memberships: 1, api_keys: 1, invitations: 2, organizations: 1 });
  });

  it.each([
    ["memberships", (tx: Tx, userId: string) => tx.insert(memberships).values({ orgId: orgB, userId, role: "member" })],
    [
      "api_keys",
      (tx: Tx) =>
        tx
          .insert(apiKeys)
          .values({ orgId: orgB, name: "sneaky", prefix: "bk_test_zzzz", keyHash: `hash-${randomUUID()}` }),
    ],
    [
      "invitations",
      (tx: Tx) =>
        tx.insert(invitations).values({
          orgId: orgB,
          email: "sneaky@rls.test",
          role: "owner",
          tokenHash: `inv-${randomUUID()}`,
          expiresAt: new Date(Date.now() + 60_000),
        }),
    ],
    ["organizations", (tx: Tx) => tx.insert(organizations).values({ id: randomUUID(), name: "Rogue" })],
  ])("inserting into %s for another org while scoped to A is refused (WITH CHECK)", async (_table, insert) => {
    expect(await failure(asTenant(orgA, (tx) => insert(tx, userA)))).toMatch(/violates row-level security policy/);
  });

  it("inserting for the scoped org itself is allowed", async () => {
    const inserted = await asTenant(orgA, (tx) =>
      tx
        .insert(apiKeys)
        .values({ orgId: orgA, name: "ok", prefix: "bk_test_okok", keyHash: `hash-${randomUUID()}` })
        .returning({ id: apiKeys.id }),
    );
    expect(inserted).toHaveLength(1);
  });

  it("moving an own row to another org is refused, and other orgs' rows cannot be updated or deleted", async () => {
    expect(
      await failure(asTenant(orgA, (tx) => tx.update(apiKeys).set({ orgId: orgB }).where(eq(apiKeys.name, "a1")))),
    ).toMatch(/violates row-level security policy/);
    const touched = await asTenant(orgA, async (tx) => ({
      updated: (await tx.update(apiKeys).set({ name: "pwned" }).where(eq(apiKeys.orgId, orgB)).returning()).length,
      deleted: (await tx.delete(memberships).where(eq(memberships.orgId, orgB)).returning()).length,
    }));
    expect(touched).toEqual({ updated: 0, deleted: 0 });
  });

  it("withTenant(A) returns only A's rows from a query with no where clause", async () => {
    const rows = await withTenant(orgA, (tx) => tx.select().from(memberships));
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.orgId))).toEqual(new Set([orgA]));
    const keys = await withTenant(orgB, (tx) => tx.select().from(apiKeys));
    expect(keys.map((k) => k.name)).toEqual(["b1"]);
    const invites = await withTenant(orgB, (tx) => tx.select().from(invitations));
    expect(invites.map((i) => i.tokenHash).sort()).toEqual(["inv-b1", "inv-b2"]);
  });

  it("withTenant's role and org setting end with its transaction", async () => {
    await withTenant(orgA, (tx) => tx.select().from(memberships));
    const result = await handle().db.execute<{ role: string; org: string | null }>(
      sql`select current_user as role, nullif(current_setting('app.org_id', true), '') as org`,
    );
    expect(result.rows[0]!.role).not.toBe("beacon_tenant");
    expect(result.rows[0]!.org).toBeNull();
    expect((await handle().db.select().from(memberships)).length).toBe(3);
  });

  it("withTenant refuses a non-uuid org id", async () => {
    await expect(withTenant("not-a-uuid", (tx) => tx.select().from(memberships))).rejects.toThrow(/uuid/);
  });

  it("tenantStatement (one round trip) sees only its org's rows, and its settings end with it", async () => {
    const rows = await tenantStatement<{ org_id: string }>(orgA, "select org_id from api_keys");
    expect(rows.map((r) => r.org_id)).toEqual([orgA, orgA]);
    expect(await tenantStatement(orgB, "select org_id from api_keys")).toEqual([{ org_id: orgB }]);
    const after = await handle().db.execute<{ role: string; org: string | null }>(
      sql`select current_user as role, nullif(current_setting('app.org_id', true), '') as org`,
    );
    expect(after.rows[0]!.role).not.toBe("beacon_tenant");
    expect(after.rows[0]!.org).toBeNull();
  });

  it("tenantStatement cannot write another org's rows", async () => {
    expect(
      await tenantStatement(orgA, `update api_keys set name = 'moved' where org_id = ${sqlLiteral(orgB)} returning id`),
    ).toEqual([]);
    expect((await handle().db.select().from(apiKeys).where(eq(apiKeys.name, "moved"))).length).toBe(0);
  });

  it("every table with an org_id has RLS, the tenant policy and the system policy; every RLS table has the system policy", async () => {
    expect(rowLevelSecurityGaps(await tableSecurity(handle().db))).toEqual([]);
  });

  it("the catalog check names a table that lacks either policy or FORCE", async () => {
    const rollback = new Error("rollback");
    const gaps: string[][] = [];
    await handle()
      .db.transaction(async (tx) => {
        await tx.execute(sql`create table rls_probe (id int primary key, org_id uuid)`);
        gaps.push(rowLevelSecurityGaps(await tableSecurity(tx)));
        await tx.execute(sql`alter table rls_probe enable row level security`);
        await tx.execute(
          sql`create policy tenant_isolation on rls_probe to beacon_tenant using (org_id = nullif(current_setting('app.org_id', true), '')::uuid) with check (org_id = nullif(current_setting('app.org_id', true), '')::uuid)`,
        );
        gaps.push(rowLevelSecurityGaps(await tableSecurity(tx)));
        await tx.execute(
          sql`create policy system_access on rls_probe to beacon_system using (current_user = 'beacon_system')`,
        );
        gaps.push(rowLevelSecurityGaps(await tableSecurity(tx)));
        await tx.execute(sql`alter table rls_probe force row level security`);
        gaps.push(rowLevelSecurityGaps(await tableSecurity(tx)));
        throw rollback;
      })
      .catch((error: unknown) => {
        if (error !== rollback) throw error;
      });
    const notForced =
      "rls_probe: row-level security is not forced (alter table … force row level security in its migration)";
    expect(gaps[0]).toEqual([
      "rls_probe: row-level security is off",
      notForced,
      "rls_probe: no tenant_isolation policy for beacon_tenant on org_id",
      "rls_probe: no system_access policy for beacon_system",
    ]);
    expect(gaps[1]).toEqual([notForced, "rls_probe: no system_access policy for beacon_system"]);
    expect(gaps[2]).toEqual([notForced]);
    expect(gaps[3]).toEqual([]);
  });

  it("withSystem sees every org's rows, writes any org's, and its role ends with its transaction", async () => {
    const seen = await withSystem("ops-cockpit", async (tx) => ({
      role: (await tx.execute<{ role: string }>(sql`select current_user as role`)).rows[0]!.role,
      orgs: new Set((await tx.select().from(memberships)).map((m) => m.orgId)),
    }));
    expect(seen).toEqual({ role: "beacon_system", orgs: new Set([orgA, orgB]) });
    const after = await handle().db.execute<{ role: string }>(sql`select current_user as role`);
    expect(after.rows[0]!.role).not.toBe("beacon_system");
    const [row] = await withSystem("ops-cockpit", (tx) =>
      tx
        .insert(apiKeys)
        .values({ orgId: orgB, name: "system", prefix: "bk_test_sys1", keyHash: `hash-${randomUUID()}` })
        .returning({ id: apiKeys.id }),
    );
    await withSystem("ops-cockpit", (tx) => tx.delete(apiKeys).where(eq(apiKeys.id, row!.id)));
  });

  it("sqlTextLiteral carries any text into a one-round-trip statement unchanged, and none of it runs", async () => {
    const hostile = [
      "it's",
      "'); drop table api_keys; --",
      "back\\slash \\' and $$dollars$$ and E'\\x27'",
      '{"json": "with \\"quotes\\"", "n": 1}',
      "émoji 🚀 and ü",
      "",
    ];
    for (const text of hostile) {
      expect(sqlTextLiteral(text)).toMatch(/^convert_from\(decode\('[0-9a-f]*', 'hex'\), 'UTF8'\)$/);
      const rows = await systemStatement<{ text: string }>("accounts", `select ${sqlTextLiteral(text)} as text`);
      expect(rows).toEqual([{ text }]);
    }
    expect(sqlTextLiteral(null)).toBe("null");
    // The table the injection attempt names is still there, whole.
    const rows = await systemStatement<{ n: number }>("accounts", "select count(*)::int as n from api_keys");
    expect(Number(rows[0]!.n)).toBe(3);
  });

  it("withSystem and systemStatement take only a listed reason", async () => {
    expect(SYSTEM_REASONS).toContain("digest-fanout");
    await expect(withSystem("anything" as never, async () => 1)).rejects.toThrow(/unknown system reason/);
    await expect(systemStatement("anything" as never, "select 1")).rejects.toThrow(/unknown system reason/);
    const rows = await systemStatement<{ n: number }>("accounts", "select count(*)::int as n from api_keys");
    expect(Number(rows[0]!.n)).toBe(3);
  });

  it("sqlLiteral writes only values that cannot end a SQL string", () => {
    expect(sqlLiteral("2026-01-15T12:00:00.000Z")).toBe("'2026-01-15T12:00:00.000Z'");
    expect(sqlLiteral("GET /api/v1/opportunities/{notice_id}")).toBe("'GET /api/v1/opportunities/{notice_id}'");
    expect(sqlLiteral(42)).toBe("42");
    expect(sqlLiteral(null)).toBe("null");
    for (const unsafe of ["it's", "a\\b", "x'; drop table api_keys; --", "line\nbreak"])
      expect(() => sqlLiteral(unsafe)).toThrow();
    expect(() => sqlLiteral(1.5)).toThrow();
  });
});

/**
 * The product's main paths with the process database acting as beacon_app: no policy names it,
 * so a path that reads or writes a tenant table outside withTenant / withSystem sees nothing or
 * is refused here (the superuser the other suites connect as would bypass it).
 */
describeEachDatabaseAsApp(
  "main paths under row-level security",
  ({ owned }) => {
    const NOW = new Date();
    let a: { userId: string; orgId: string; email: string };
    let b: { userId: string; orgId: string; email: string };
    const ownerOf = (who: { userId: string }) => ({ userId: who.userId, role: "owner" as const });

    beforeAll(async () => {
      const tag = randomUUID().slice(0, 8);
      a = await createUserWithOrganization({
        name: "Ann",
        email: `ann-${tag}@rls.test`,
        passwordHash: "x",
        organizationName: "Ann Co",
      });
      b = await createUserWithOrganization({
        name: "Bob",
        email: `bob-${tag}@rls.test`,
        passwordHash: "x",
        organizationName: "Bob Co",
      });
    });

    it("the app role alone sees no tenant row and cannot write one", async () => {
      expect(await db().select().from(organizations)).toEqual([]);
      expect(await db().select().from(memberships)).toEqual([]);
      expect(
        await failure(db().insert(apiKeys).values({ orgId: a.orgId, name: "x", prefix: "bk_test_xxxx", keyHash: "h" })),
      ).toMatch(/violates row-level security policy/);
      const role = await db().execute<{ role: string; bypass: boolean }>(
        sql`select current_user as role, rolbypassrls as bypass from pg_roles where rolname = current_user`,
      );
      expect(role.rows[0]).toEqual({ role: "beacon_app", bypass: false });
    });

    it("the tables' owner is held by the policies too (FORCE), as itself or when it skips the app role", async () => {
      const owner = await database().asOwner(async (ownerDb) => {
        const [role] = (
          await ownerDb.execute<{ superuser: boolean }>(
            sql`select rolsuper as superuser from pg_roles where rolname = current_user`,
          )
        ).rows;
        // The suites' own PostgreSQL user is a superuser, which no policy holds: only the owned run shows FORCE.
        if (role!.superuser) return null;
        return {
          orgs: await ownerDb.select().from(organizations),
          members: await ownerDb.select().from(memberships),
          refused: await failure(
            ownerDb.insert(apiKeys).values({ orgId: a.orgId, name: "x", prefix: "bk_test_xxxy", keyHash: "h2" }),
          ),
        };
      });
      if (!owned) return expect(owner).toBeNull();
      expect(owner).toEqual({
        orgs: [],
        members: [],
        refused: expect.stringMatching(/violates row-level security policy/),
      });
    });

    it("sign-up made each user the owner of their own org, and a user lists only their orgs", async () => {
      expect((await listOrganizationsForUser(a.userId)).map((o) => [o.id, o.role])).toEqual([[a.orgId, "owner"]]);
      expect((await getOrganization(contextOf(b.orgId, ownerOf(b)))).name).toBe("Bob Co");
    });

    it("onboarding and alerts CRUD work for the org, and another org's alert is not found", async () => {
      await saveBusinessProfile(contextOf(a.orgId, ownerOf(a), NOW), {
        companyName: "Ann Co",
        naicsCodes: ["541511"],
        keywords: ["cloud"],
      });
      const alert = await createAlert(contextOf(a.orgId, ownerOf(a), NOW), { name: "Cloud work", frequency: "daily" });
      await updateAlert(contextOf(a.orgId, ownerOf(a), NOW), alert.id, { name: "Cloud contracts" });
      expect((await listAlerts(contextOf(a.orgId, ownerOf(a)))).map((x) => x.name)).toEqual(["Cloud contracts"]);
      expect(await listAlerts(contextOf(b.orgId, ownerOf(b)))).toEqual([]);
      await expect(getAlert(contextOf(b.orgId, ownerOf(b)), alert.id)).rejects.toMatchObject({ code: "not_found" });
      const doomed = await createAlert(contextOf(b.orgId, ownerOf(b), NOW), { name: "Gone soon", frequency: "weekly" });
      await expect(deleteAlert(contextOf(a.orgId, ownerOf(a), NOW), doomed.id)).rejects.toMatchObject({
        code: "not_found",
      });
      await deleteAlert(contextOf(b.orgId, ownerOf(b), NOW), doomed.id);
      expect(await listAlerts(contextOf(b.orgId, ownerOf(b)))).toEqual([]);
    });

    it("a metered API call resolves its key, charges its own org's quota and nobody else's", async () => {
      const { key } = await createApiKey(contextOf(a.orgId, ownerOf(a)), { name: "ci" });
      const principal = await resolveApiKey(key, NOW);
      expect(principal).toMatchObject({ orgId: a.orgId });
      const before = await usageReport(contextOf(b.orgId, ownerOf(b), NOW));
      const charge = await chargeApiCall(
        contextOf(principal!.orgId, { apiKeyId: principal!.keyId }, NOW),
        "GET /api/v1/opportunities",
      );
      expect(charge.quotaAfter).toBe(charge.quotaBefore - 1);
      expect((await usageReport(contextOf(b.orgId, ownerOf(b), NOW))).quota_remaining).toBe(before.quota_remaining);
    });

    it("the billing page shows the org's own plan and usage", async () => {
      const overview = await billingOverview(contextOf(a.orgId, ownerOf(a), NOW));
      expect(overview).toMatchObject({ plan: "free", hasBillingAccount: false, subscription: null });
      expect(overview.usage.used).toBe(1);
      expect((await billingOverview(contextOf(b.orgId, ownerOf(b), NOW))).usage.used).toBe(0);
    });

    it("the digest run fans out over every org's due alerts as the system role", async () => {
      const alert = await withSystem("digest-fanout", async (tx) => (await tx.select().from(alerts))[0]!);
      const result = await runAlertDigest(
        systemContextOf("digest-fanout"),
        alert.id,
        new Date(NOW.getTime() + 86_400_000),
      );
      expect(result).toMatchObject({ alertId: alert.id, duplicate: false });
      expect(result.digestId).not.toBeNull();
      const digests = await withSystem("digest-fanout", (tx) => tx.select().from(alertDigests));
      expect(digests.map((d) => d.orgId)).toEqual([a.orgId]);
    });

    it("retention runs across orgs, and an owner's export holds only their org", async () => {
      await runRetention({ now: NOW });
      const { request } = await requestAndBuildExport(contextOf(a.orgId, ownerOf(a)));
      expect(request.status).toBe("completed");
      const bundle = JSON.stringify(request.result);
      expect(bundle).toContain(a.orgId);
      expect(bundle).not.toContain(b.orgId);
    });

    it("the cockpit lists every customer and shows one customer's own members", async () => {
      const found = await searchCustomers(operatorContextOf({}, { now: NOW }), { q: "Co" });
      expect(found.items.map((c) => c.id)).toEqual(expect.arrayContaining([a.orgId, b.orgId]));
      const detail = await customerDetail(serviceContext({ kind: "operator", userId: "op-1", email: null }), b.orgId);
      expect(detail.members.map((m) => m.userId)).toEqual([b.userId]);
      expect(detail.usage.quota_remaining).toBe(
        (await usageReport(contextOf(b.orgId, ownerOf(b), NOW))).quota_remaining,
      );
    });

    it("withTenant(A) cannot read or write B even when the query asks for B", async () => {
      const seen = await withTenant(a.orgId, (tx) =>
        tx.select().from(memberships).where(eq(memberships.orgId, b.orgId)),
      );
      expect(seen).toEqual([]);
      expect(
        await failure(
          withTenant(a.orgId, (tx) =>
            tx.insert(memberships).values({ orgId: b.orgId, userId: a.userId, role: "owner" }),
          ),
        ),
      ).toMatch(/violates row-level security policy/);
    });
  },
  { ownedVariant: true },
);
