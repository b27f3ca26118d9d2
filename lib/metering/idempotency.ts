import { and, eq, lte } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { sqlLiteral } from "@/db/tenant";
import { idempotencyKeys } from "@/db/schema";
import type { ApiKeyActor, OrgContext } from "@/lib/context";
import { AppError } from "@/lib/http";

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
export const IDEMPOTENCY_KEY_MAX = 255;

/** The first answer, kept exactly as sent so a replay is byte for byte the same. */
export interface StoredAnswer {
  status: number;
  body: string;
  /** Only the headers that belong to the answer (content-type, x-quota-remaining). */
  headers: Record<string, string>;
}

export type IdempotencyStart = { kind: "claimed"; id: string } | ({ kind: "replay" } & StoredAnswer);

/** `Idempotency-Key`: 1–255 visible ASCII characters; anything else is a 400. */
export function parseIdempotencyKey(headers: Headers): string | null {
  const key = headers.get("idempotency-key");
  if (key === null) return null;
  if (key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX || !/^[\x21-\x7e]+$/.test(key)) {
    throw new AppError("invalid_payload", `Idempotency-Key must be 1–${IDEMPOTENCY_KEY_MAX} visible ASCII characters.`);
  }
  return key;
}

/** What makes two requests "the same": method, path and query. */
export function requestFingerprint(request: Request): string {
  const url = new URL(request.url);
  return `${request.method} ${url.pathname}${url.search}`;
}

/**
 * Claims `key` for the API key that acts, or finds the first request's answer. The unique index
 * (api_key_id, key) decides who is first, not a check in code: a concurrent duplicate finds the
 * claim still open and gets 409 `conflict` (retry shortly) rather than holding a connection while
 * it waits. A key older than 24 h is taken over as new.
 */
export async function beginIdempotentRequest(
  ctx: OrgContext<ApiKeyActor>,
  key: string,
  fingerprint: string,
): Promise<IdempotencyStart> {
  const { orgId } = ctx;
  const apiKeyId = ctx.actor.keyId;
  const now = ctx.now();
  return ctx.transaction(async (tx) => {
    const [claimed] = await tx
      .insert(idempotencyKeys)
      .values({ orgId, apiKeyId, key, fingerprint, createdAt: now })
      .onConflictDoNothing({ target: [idempotencyKeys.apiKeyId, idempotencyKeys.key] })
      .returning({ id: idempotencyKeys.id });
    if (claimed) return { kind: "claimed", id: claimed.id };
    const [existing] = await tx
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.apiKeyId, apiKeyId), eq(idempotencyKeys.key, key)));
    if (!existing) throw inFlight();
    if (existing.createdAt.getTime() <= now.getTime() - IDEMPOTENCY_TTL_MS)
      return takeOverExpired(tx, existing.id, fingerprint, now);
    if (existing.fingerprint !== fingerprint) {
      throw new AppError("validation_failed", "This Idempotency-Key was already used for a different request.", {
        errors: [{ path: "Idempotency-Key", message: `already used for ${existing.fingerprint}` }],
      });
    }
    if (existing.responseStatus === null || existing.responseBody === null) throw inFlight();
    return {
      kind: "replay",
      status: existing.responseStatus,
      body: existing.responseBody,
      headers: existing.responseHeaders ?? {},
    };
  });
}

async function takeOverExpired(tx: Tx, id: string, fingerprint: string, now: Date): Promise<IdempotencyStart> {
  const [row] = await tx
    .update(idempotencyKeys)
    .set({
      fingerprint,
      createdAt: now,
      responseStatus: null,
      responseBody: null,
      responseHeaders: null,
      completedAt: null,
    })
    .where(
      and(eq(idempotencyKeys.id, id), lte(idempotencyKeys.createdAt, new Date(now.getTime() - IDEMPOTENCY_TTL_MS))),
    )
    .returning({ id: idempotencyKeys.id });
  if (!row) throw inFlight();
  return { kind: "claimed", id: row.id };
}

function inFlight() {
  return new AppError(
    "conflict",
    "A request with this Idempotency-Key is still in progress. Retry shortly to get its answer.",
    { headers: { "retry-after": "1" } },
  );
}

/** Stores the first answer so repeats get it back. */
export async function completeIdempotentRequest(tx: Tx, id: string, answer: StoredAnswer, now = new Date()) {
  await tx
    .update(idempotencyKeys)
    .set({
      responseStatus: answer.status,
      responseBody: answer.body,
      responseHeaders: answer.headers,
      completedAt: now,
    })
    .where(eq(idempotencyKeys.id, id));
}

/**
 * Frees a claim whose request was not served (402, 5xx), so a retry is a new attempt. One round
 * trip (`ctx.statement`): it often runs right after the database failed the request.
 */
export async function releaseIdempotentRequest(ctx: OrgContext, id: string) {
  await ctx.statement(`delete from idempotency_keys where id = ${sqlLiteral(id)}`);
}
