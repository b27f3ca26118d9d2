import { apiKeyAuth, endpointContexts, type ApiKeyPrincipal } from "@/lib/auth";
import type { ApiKeyActor, OrgContext } from "@/lib/context";
import { entitlementsFor } from "@/lib/plans";
import { AppError, isAppError, PROBLEM_CONTENT_TYPE, problemBody, route, type RouteContext } from "@/lib/http";
import { logger } from "@/lib/observability";
import { apiKeyRule, enforceRateLimit, type RateLimiter } from "@/lib/ratelimit";
import {
  beginIdempotentRequest,
  parseIdempotencyKey,
  releaseIdempotentRequest,
  requestFingerprint,
  type StoredAnswer,
} from "./idempotency";
import { chargeApiCall, finishMeteredCall, refundApiCall, type Charge } from "./quota";

export type MeteredContext = RouteContext<ApiKeyPrincipal>;

export interface MeteredSpec<Input> {
  /** Recorded on each usage event, e.g. "GET /api/v1/opportunities". */
  endpoint: string;
  /**
   * Validates the request. Runs BEFORE anything is charged: a 400/422 costs nothing. `ctx` is
   * the call's service context, the one the metering uses: the handler passes it on to lib.
   */
  parse: (http: MeteredContext, ctx: OrgContext<ApiKeyActor>) => Input | Promise<Input>;
  /** The work the customer pays for. Its answer must be JSON (it may be stored for replays). */
  handle: (
    input: Input,
    http: MeteredContext,
    ctx: OrgContext<ApiKeyActor>,
  ) => Promise<{ status?: number; body: unknown }>;
  /** Tests inject a limiter; the process's one otherwise. */
  limiter?: () => RateLimiter;
}

const CLEANUP_ATTEMPTS = 6;

/**
 * Runs a clean-up after a failed call (refund, freeing the Idempotency-Key). The database is
 * often why the call failed, and a lost connection is gone for good while a fresh one works:
 * so it is retried a few times, then logged. Both clean-ups are safe to repeat. Never throws, so
 * the caller still answers with the original error and the other clean-up still runs.
 */
async function cleanUp(what: string, requestId: string, fn: () => Promise<unknown>) {
  for (let attempt = 1; attempt <= CLEANUP_ATTEMPTS; attempt++) {
    try {
      await fn();
      return;
    } catch (error) {
      if (attempt === CLEANUP_ATTEMPTS)
        logger.error({ err: error, requestId }, `metered call failed and its ${what} failed too`);
      else await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
    }
  }
}

function withHeaders(error: unknown, headers: Record<string, string>): unknown {
  if (!isAppError(error)) return error;
  return new AppError(error.code, error.message, { ...error.extra, headers: { ...headers, ...error.extra.headers } });
}

/**
 * The answer as it goes on the wire: serialised once, so the text stored for an
 * Idempotency-Key is exactly what the first caller received.
 */
function answerOf(status: number, body: unknown, quotaRemaining: number): StoredAnswer {
  const contentType = status >= 400 ? PROBLEM_CONTENT_TYPE : "application/json";
  return {
    status,
    body: JSON.stringify(body),
    headers: { "content-type": contentType, "x-quota-remaining": String(quotaRemaining) },
  };
}

function respond(answer: StoredAnswer, headers: Record<string, string>) {
  return new Response(answer.body, {
    status: answer.status,
    headers: { "cache-control": "no-store", ...headers, ...answer.headers },
  });
}

/**
 * A metered `/api/v1` route: API key → rate limit (per key, plan tier) → validation →
 * Idempotency-Key → charge (1 unit, 402 when none left) → handler → `X-Quota-Remaining` and
 * `RateLimit-*` headers. Not charged: rate-limited, invalid (4xx before the handler) and
 * repeated (same Idempotency-Key) requests; a 5xx from our side is refunded. A handler 4xx
 * such as 404 for an unknown id is charged: the lookup was served.
 */
export function meteredRoute<Input>(spec: MeteredSpec<Input>) {
  return route<ApiKeyPrincipal>(
    async (http) => {
      const started = performance.now();
      const { auth, request, requestId } = http;
      // Built once for the call (no query): every charge, refund and claim below and the
      // handler act through this one context.
      const ctx = endpointContexts.apiKey(auth, requestId);
      // The plan came with the key (one query for both): no extra round trip per call.
      const entitlements = entitlementsFor({ plan: auth.plan });
      const { headers: rateHeaders } = await enforceRateLimit(
        `key:${auth.keyId}`,
        apiKeyRule(entitlements.requestsPerMinute),
        spec.limiter?.(),
      );
      let claimId: string | undefined;
      let charge: Charge | undefined;
      try {
        const input = await spec.parse(http, ctx);
        const key = parseIdempotencyKey(request.headers);
        if (key) {
          const start = await beginIdempotentRequest(ctx, key, requestFingerprint(request));
          // The first answer as sent (status, body, content-type, x-quota-remaining); the
          // RateLimit-* headers are this request's own: the replay counted against the limit.
          if (start.kind === "replay") return respond(start, { ...rateHeaders, "idempotent-replayed": "true" });
          claimId = start.id;
        }
        charge = await chargeApiCall(ctx, spec.endpoint);
        let status: number;
        let body: unknown;
        try {
          const result = await spec.handle(input, http, ctx);
          status = result.status ?? 200;
          body = result.body;
        } catch (error) {
          if (!isAppError(error) || error.status >= 500) throw error;
          const { headers: _headers, ...extra } = error.extra;
          status = error.status;
          body = problemBody(error.code, error.message, requestId, extra);
        }
        const durationMs = Math.round(performance.now() - started);
        const answer = answerOf(status, body, charge.available);
        await finishMeteredCall(ctx, charge.usageEventId, {
          status,
          durationMs,
          idempotency: claimId ? { id: claimId, answer } : undefined,
        });
        return respond(answer, rateHeaders);
      } catch (error) {
        // Not served: give back the unit (5xx) and free the Idempotency-Key for a retry.
        const durationMs = Math.round(performance.now() - started);
        if (charge) await cleanUp("refund", requestId, () => refundApiCall(ctx, charge!, 500, durationMs));
        if (claimId) await cleanUp("Idempotency-Key release", requestId, () => releaseIdempotentRequest(ctx, claimId!));
        throw withHeaders(error, rateHeaders);
      }
    },
    { authenticate: apiKeyAuth },
  );
}
