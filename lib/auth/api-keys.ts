import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import { groupCalls } from "@/db/group-calls";
import { isUuid, sqlLiteral, systemStatement, withSystem } from "@/db/tenant";
import { apiKeys, organizations } from "@/db/schema";
import type { MemberActor, OrgContext, SystemActor } from "@/lib/context";
import { isProduction } from "@/lib/env";
import { AppError } from "@/lib/http";
import { assertCan, sha256 } from "@/lib/orgs";

const PREFIX_LENGTH = 12;
// last_used_at is a hint for humans: write it at most once a minute per key.
const LAST_USED_RESOLUTION_MS = 60_000;

export function generateApiKey(environment: "live" | "test" = isProduction() ? "live" : "test") {
  return `bk_${environment}_${randomBytes(24).toString("base64url")}`;
}

export const API_KEY_PATTERN = /^bk_(live|test)_[A-Za-z0-9_-]{32}$/;

/**
 * Creates a key for the org: by a member (role-checked, and recorded as its creator), or by Beacon
 * itself (the CLI). The full key is in the result once and never again.
 */
export async function createApiKey(ctx: OrgContext<MemberActor | SystemActor>, input: { name: string }) {
  const { orgId, actor } = ctx;
  if (actor.kind === "member") assertCan(actor, "api_keys:manage");
  const key = generateApiKey();
  const prefix = key.slice(0, PREFIX_LENGTH);
  const row = await ctx.transaction(async (tx) => {
    const [org] = await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, orgId));
    if (!org) throw new AppError("not_found", "No such organisation.");
    const [inserted] = await tx
      .insert(apiKeys)
      .values({
        orgId,
        name: input.name,
        prefix,
        keyHash: sha256(key),
        createdBy: actor.kind === "member" ? actor.userId : null,
      })
      .returning({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt });
    return inserted!;
  });
  return { ...row, key };
}

export async function listApiKeys(ctx: OrgContext<MemberActor>) {
  const { orgId } = ctx;
  assertCan(ctx.actor, "api_keys:read");
  return ctx.transaction((tx) =>
    tx
      .select({
        id: apiKeys.id,
        name: apiKeys.name,
        prefix: apiKeys.prefix,
        createdAt: apiKeys.createdAt,
        lastUsedAt: apiKeys.lastUsedAt,
        revokedAt: apiKeys.revokedAt,
      })
      .from(apiKeys)
      .where(eq(apiKeys.orgId, orgId))
      .orderBy(desc(apiKeys.createdAt)),
  );
}

export async function revokeApiKey(ctx: OrgContext<MemberActor>, keyId: string) {
  const { orgId } = ctx;
  assertCan(ctx.actor, "api_keys:manage");
  if (!isUuid(keyId)) throw new AppError("not_found", "No such API key.");
  const now = ctx.now();
  const rows = await ctx.transaction((tx) =>
    tx
      .update(apiKeys)
      .set({ revokedAt: now })
      .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id }),
  );
  if (rows.length === 0) throw new AppError("not_found", "No such active API key.");
}

export interface ApiKeyPrincipal {
  keyId: string;
  orgId: string;
  prefix: string;
  name: string;
  /** The org's plan, read with the key: metered routes need it for the rate limit on every call. */
  plan: (typeof organizations.$inferSelect)["plan"];
}

interface KeyRow extends Record<string, unknown> {
  key_hash: string;
  key_id: string;
  org_id: string;
  prefix: string;
  name: string;
  last_used_at: string | Date | null;
  plan: ApiKeyPrincipal["plan"];
}

// Found by its hash before the org is known: the one cross-org read on every API call, sent with
// its role setting in one round trip, and the lookups of calls arriving together in one statement.
const keyByHash = groupCalls(async (hashes: string[]) => {
  const rows = await systemStatement<KeyRow>(
    "accounts",
    `select k.key_hash, k.id as key_id, k.org_id, k.prefix, k.name, k.last_used_at, o.plan
       from api_keys k join organizations o on o.id = k.org_id
      where k.key_hash in (${[...new Set(hashes)].map(sqlLiteral).join(", ")}) and k.revoked_at is null`,
  );
  const byHash = new Map(rows.map((row) => [row.key_hash, row]));
  return hashes.map((hash) => byHash.get(hash) ?? null);
});

/**
 * Resolves a presented key to its org and the org's plan, or null (unknown, malformed or
 * revoked). One query, shared with the calls that arrive with it: it runs on every API call.
 */
export async function resolveApiKey(key: string, now = new Date()): Promise<ApiKeyPrincipal | null> {
  if (!API_KEY_PATTERN.test(key)) return null;
  const found = await keyByHash(sha256(key));
  if (!found) return null;
  const row = {
    keyId: found.key_id,
    orgId: found.org_id,
    prefix: found.prefix,
    name: found.name,
    lastUsedAt: found.last_used_at === null ? null : new Date(found.last_used_at),
    plan: found.plan,
  };
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await withSystem("accounts", (tx) =>
      tx
        .update(apiKeys)
        .set({ lastUsedAt: now })
        .where(
          and(
            eq(apiKeys.id, row.keyId),
            or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(now.getTime() - LAST_USED_RESOLUTION_MS))),
          ),
        ),
    );
  }
  return { keyId: row.keyId, orgId: row.orgId, prefix: row.prefix, name: row.name, plan: row.plan };
}
