import { randomUUID } from "node:crypto";
import { beforeAll, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { apiKeys, invitations, memberships, organizations, users } from "@/db/schema";
import { sqlLiteral, tenantStatement, withTenant } from "@/db/tenant";
import { describeEachDatabase } from "@/tests/db";

const TENANT_TABLES = ["memberships", "api_keys", "invitations", "organizations"] as const;

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

  /** The database's own message (drizzle wraps it as the error's cause). */
  async function failure(promise: Promise<unknown>): Promise<string> {
    const error = await promise.then(
      () => null,
      (e: unknown) => e as Error & { cause?: Error },
    );
    if (!error) throw new Error("expected the statement to be refused");
    return `${error.message}\n${error.cause?.message ?? ""}`;
  }

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
