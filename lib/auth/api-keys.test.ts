import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { generate } from "otplib";
import { db } from "@/db/client";
import { apiKeys, users } from "@/db/schema";
import {
  API_KEY_PATTERN,
  createApiKey,
  createOperator,
  listApiKeys,
  operatorRoleOf,
  resolveApiKey,
  revokeApiKey,
  verifyPassword,
  verifyTotpCode,
} from "@/lib/auth";
import type { ProblemCode } from "@/lib/http";
import { createOrganizationWithOwner, sha256, type OrgActor } from "@/lib/orgs";
import { describeEachDatabase } from "@/tests/db";
import { appErrorOf } from "@/tests/app-error";
import { contextOf } from "@/tests/support/factories";
import { systemActor } from "@/lib/context";

async function code(promise: Promise<unknown>): Promise<ProblemCode> {
  return (await appErrorOf(promise)).code;
}

async function newOrg(name: string) {
  const [user] = await db()
    .insert(users)
    .values({ email: `${name}-${randomUUID().slice(0, 8)}@keys.test`, name })
    .returning();
  const org = await createOrganizationWithOwner(db(), { name, ownerUserId: user!.id });
  return { orgId: org.id, owner: { userId: user!.id, role: "owner" } as OrgActor };
}

describeEachDatabase("API keys", () => {
  let a: Awaited<ReturnType<typeof newOrg>>;
  let b: Awaited<ReturnType<typeof newOrg>>;

  beforeAll(async () => {
    a = await newOrg("Alpha");
    b = await newOrg("Beta");
  });

  it("createApiKey returns a bk_test_ key once; the database keeps only its hash and prefix", async () => {
    const created = await createApiKey(contextOf(a.orgId, a.owner), { name: "CI" });
    expect(created.key).toMatch(/^bk_test_/);
    expect(created.key).toMatch(API_KEY_PATTERN);
    expect(created.prefix).toBe(created.key.slice(0, 12));
    const [row] = await db().select().from(apiKeys).where(eq(apiKeys.id, created.id));
    expect(row).toMatchObject({
      orgId: a.orgId,
      name: "CI",
      prefix: created.prefix,
      keyHash: sha256(created.key),
      createdBy: a.owner.userId,
    });
    for (const [column, value] of Object.entries(row!)) {
      expect(String(value instanceof Date ? value.toISOString() : value), column).not.toContain(created.key);
    }
    // The secret part after the prefix appears nowhere either.
    expect(JSON.stringify(await db().select().from(apiKeys))).not.toContain(created.key.slice(12));
  });

  it("listApiKeys shows prefixes, never keys or hashes", async () => {
    const created = await createApiKey(contextOf(a.orgId, a.owner), { name: "listed" });
    const list = await listApiKeys(contextOf(a.orgId, { userId: a.owner.userId, role: "viewer" }));
    const item = list.find((k) => k.id === created.id)!;
    expect(item).toMatchObject({ name: "listed", prefix: created.prefix, revokedAt: null });
    expect(Object.keys(item).sort()).toEqual(["createdAt", "id", "lastUsedAt", "name", "prefix", "revokedAt"]);
    expect(JSON.stringify(list)).not.toContain(created.key);
    expect(JSON.stringify(list)).not.toContain(sha256(created.key));
    expect(await listApiKeys(contextOf(b.orgId, b.owner))).toEqual([]);
  });

  it("resolveApiKey maps a key to its org and records last use", async () => {
    const created = await createApiKey(contextOf(a.orgId, a.owner), { name: "resolver" });
    const now = new Date("2030-01-01T12:00:00.000Z");
    expect(await resolveApiKey(created.key, now)).toEqual({
      keyId: created.id,
      orgId: a.orgId,
      prefix: created.prefix,
      name: "resolver",
      plan: "free",
    });
    const [row] = await db().select().from(apiKeys).where(eq(apiKeys.id, created.id));
    expect(row!.lastUsedAt!.toISOString()).toBe(now.toISOString());
    // Written at most once a minute: a use 10 s later leaves it, one 2 min later moves it.
    await resolveApiKey(created.key, new Date(now.getTime() + 10_000));
    const [same] = await db().select().from(apiKeys).where(eq(apiKeys.id, created.id));
    expect(same!.lastUsedAt!.toISOString()).toBe(now.toISOString());
    const later = new Date(now.getTime() + 120_000);
    await resolveApiKey(created.key, later);
    const [moved] = await db().select().from(apiKeys).where(eq(apiKeys.id, created.id));
    expect(moved!.lastUsedAt!.toISOString()).toBe(later.toISOString());
  });

  it("resolveApiKey answers each of many concurrent calls with its own key's org, grouped or not", async () => {
    const keys = [
      ...(await Promise.all([1, 2, 3].map((n) => createApiKey(contextOf(a.orgId, a.owner), { name: `a${n}` })))),
      ...(await Promise.all([1, 2, 3].map((n) => createApiKey(contextOf(b.orgId, b.owner), { name: `b${n}` })))),
    ];
    const revoked = keys[4]!;
    await revokeApiKey(contextOf(b.orgId, b.owner), revoked.id);
    const unknown = `bk_test_${"Z".repeat(32)}`;
    // Each key twice among unknown ones, all at once: lookups arriving together share statements.
    const presented = [...keys.map((k) => k.key), unknown, ...keys.map((k) => k.key)];
    const resolved = await Promise.all(presented.map((key) => resolveApiKey(key)));
    const expected = [...keys, null, ...keys].map((k) =>
      k === null || k.id === revoked.id ? null : { keyId: k.id, orgId: keys.indexOf(k) < 3 ? a.orgId : b.orgId },
    );
    expect(resolved.map((r) => r && { keyId: r.keyId, orgId: r.orgId })).toEqual(expected);
  });

  it("resolveApiKey answers null for revoked, unknown and malformed keys", async () => {
    const created = await createApiKey(contextOf(a.orgId, a.owner), { name: "doomed" });
    await revokeApiKey(contextOf(a.orgId, a.owner), created.id);
    expect(await resolveApiKey(created.key)).toBeNull();
    expect((await listApiKeys(contextOf(a.orgId, a.owner))).find((k) => k.id === created.id)!.revokedAt).toBeInstanceOf(
      Date,
    );
    expect(await resolveApiKey(`bk_test_${"A".repeat(32)}`)).toBeNull();
    for (const bad of [
      "",
      "bk_test_short",
      `bk_prod_${"A".repeat(32)}`,
      `${created.key} `,
      `bk_test_${"A".repeat(31)}!`,
      `Bearer ${created.key}`,
    ]) {
      expect(await resolveApiKey(bad), JSON.stringify(bad)).toBeNull();
    }
    expect(await code(revokeApiKey(contextOf(a.orgId, a.owner), created.id))).toBe("not_found");
  });

  it("only roles with api_keys:manage create or revoke keys", async () => {
    const viewer: OrgActor = { userId: a.owner.userId, role: "viewer" };
    const member: OrgActor = { userId: a.owner.userId, role: "member" };
    const before = (await listApiKeys(contextOf(a.orgId, a.owner))).length;
    expect(await code(createApiKey(contextOf(a.orgId, viewer), { name: "nope" }))).toBe("forbidden");
    expect(await code(createApiKey(contextOf(a.orgId, member), { name: "nope" }))).toBe("forbidden");
    expect((await listApiKeys(contextOf(a.orgId, a.owner))).length).toBe(before);
    const created = await createApiKey(contextOf(a.orgId, { userId: a.owner.userId, role: "admin" }), {
      name: "admin's",
    });
    expect(await code(revokeApiKey(contextOf(a.orgId, viewer), created.id))).toBe("forbidden");
    expect(await resolveApiKey(created.key)).not.toBeNull();
  });

  it("revoking another org's key id is not_found and leaves the key working", async () => {
    const foreign = await createApiKey(contextOf(b.orgId, b.owner), { name: "beta key" });
    expect(await code(revokeApiKey(contextOf(a.orgId, a.owner), foreign.id))).toBe("not_found");
    expect(await code(revokeApiKey(contextOf(a.orgId, a.owner), "not-a-uuid"))).toBe("not_found");
    expect((await resolveApiKey(foreign.key))!.orgId).toBe(b.orgId);
  });

  it("createApiKey for an unknown org is not_found", async () => {
    expect(await code(createApiKey(contextOf(randomUUID(), systemActor("seed")), { name: "ghost" }))).toBe("not_found");
    // An org id that is not one is refused as its context is built, before any query.
    expect(() => contextOf("nope", systemActor("seed"))).toThrow(expect.objectContaining({ code: "not_found" }));
  });

  describe("operators", () => {
    it("createOperator stores an operator with a TOTP secret and returns an otpauth URL", async () => {
      const email = `ops-${randomUUID().slice(0, 8)}@keys.test`;
      const op = await createOperator({ email, password: "operator password 1", role: "ops_support" });
      expect(op.totpSecret).toMatch(/^[A-Z2-7]+=*$/);
      expect(op.totpSecret.length).toBeGreaterThanOrEqual(16);
      const url = new URL(op.otpauthUrl);
      expect(url.protocol).toBe("otpauth:");
      expect(url.host).toBe("totp");
      expect(url.searchParams.get("secret")).toBe(op.totpSecret);
      expect(url.searchParams.get("issuer")).toBe("Beacon Ops");
      expect(decodeURIComponent(url.pathname)).toContain(email);
      expect(await operatorRoleOf(op.userId)).toBe("ops_support");
      const [row] = await db().select().from(users).where(eq(users.id, op.userId));
      expect(row!.totpSecret).toBe(op.totpSecret);
      expect(row!.totpEnrolledAt).toBeNull();
      expect(await verifyPassword(row!.passwordHash, "operator password 1")).toBe(true);
    });

    it("createOperator promotes an existing user instead of duplicating them", async () => {
      const { owner } = await newOrg("Promoted");
      const [existing] = await db().select().from(users).where(eq(users.id, owner.userId));
      // Stored with capitals (e.g. written before normalisation): still the same person.
      expect(existing!.email).not.toBe(existing!.email.toLowerCase());
      const op = await createOperator({
        email: existing!.email.toUpperCase(),
        password: "operator password 2",
        role: "ops_admin",
      });
      expect(op.userId).toBe(owner.userId);
      expect(await operatorRoleOf(owner.userId)).toBe("ops_admin");
      expect(await code(operatorRoleOf(randomUUID()))).toBe("not_found");
    });

    it("verifyTotpCode accepts a current code and rejects wrong or malformed ones", async () => {
      const op = await createOperator({
        email: `totp-${randomUUID().slice(0, 8)}@keys.test`,
        password: "operator password 3",
        role: "ops_viewer",
      });
      const current = await generate({ secret: op.totpSecret });
      expect(await verifyTotpCode(op.totpSecret, current)).toBe(true);
      const stale = await generate({ secret: op.totpSecret, epoch: Math.floor(Date.now() / 1000) - 600 });
      if (stale !== current) expect(await verifyTotpCode(op.totpSecret, stale)).toBe(false);
      for (const bad of ["000000", "abc", "", `${current}0`, ` ${current}`]) {
        if (bad === current) continue;
        expect(await verifyTotpCode(op.totpSecret, bad), JSON.stringify(bad)).toBe(false);
      }
      const other = await createOperator({
        email: `totp2-${randomUUID().slice(0, 8)}@keys.test`,
        password: "operator password 4",
        role: "ops_viewer",
      });
      const otherCode = await generate({ secret: other.totpSecret });
      if (otherCode !== current) expect(await verifyTotpCode(op.totpSecret, otherCode)).toBe(false);
    });
  });
});
