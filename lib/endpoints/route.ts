import { endpointAuthenticators, endpointContexts, type ApiKeyPrincipal } from "@/lib/auth";
import type { ApiKeyActor, OrgContext } from "@/lib/context";
import { notFound, parseJsonBody, parseQuery, route, type AnyEndpoint, type RouteContext } from "@/lib/http";
import { meteredRoute } from "@/lib/metering";

const GENERATED_FROM = Symbol.for("beacon.endpoint");

/**
 * The handler's call: path params, query and body checked by the declaration's schemas, then
 * `prepare`. Its service context is built by the edge's adapter, or given: a metered call's is
 * the one its metering acts through.
 */
async function callOf(endpoint: AnyEndpoint, ctx: RouteContext<unknown>, service?: OrgContext<ApiKeyActor>) {
  let params: Record<string, unknown> | undefined;
  if (endpoint.params) {
    const picked: Record<string, unknown> = {};
    for (const key of Object.keys(endpoint.params.shape)) picked[key] = ctx.params[key];
    const parsed = endpoint.params.safeParse(picked);
    if (!parsed.success) notFound();
    params = parsed.data as Record<string, unknown>;
  }
  const query = endpoint.query ? parseQuery(ctx.url, endpoint.query) : undefined;
  const body = endpoint.body ? await parseJsonBody(ctx.request, endpoint.body) : undefined;
  const contextOf = endpointContexts[endpoint.auth as keyof typeof endpointContexts] as (
    principal: unknown,
    requestId: string,
  ) => unknown;
  const call = { ...ctx, ctx: service ?? contextOf(ctx.auth, ctx.requestId), params, query, body, prepared: undefined };
  return endpoint.prepare ? { ...call, prepared: await endpoint.prepare(call) } : call;
}

/**
 * The Next.js route handler of a declared endpoint: `route()` (request id, authentication,
 * Problem+JSON, metrics) or, when metered, `meteredRoute()` (rate limit, Idempotency-Key,
 * quota) around the declaration's own checks and handler.
 */
export function endpointRoute(endpoint: AnyEndpoint) {
  const handler = endpoint.metered ? metered(endpoint) : plain(endpoint);
  return Object.assign(handler, { [GENERATED_FROM]: endpoint });
}

function plain(endpoint: AnyEndpoint) {
  return route(async (ctx) => endpoint.handle(await callOf(endpoint, ctx)), {
    authenticate: endpointAuthenticators[endpoint.auth as keyof typeof endpointAuthenticators],
  });
}

function metered(endpoint: AnyEndpoint) {
  if (endpoint.auth !== "apiKey")
    throw new Error(`${endpoint.method} ${endpoint.path}: only API-key calls are metered.`);
  return meteredRoute({
    endpoint: endpoint.metered!.usage,
    parse: (http, ctx) => callOf(endpoint, http as RouteContext<ApiKeyPrincipal> as RouteContext<unknown>, ctx),
    handle: async (call) => {
      const answer = await endpoint.handle(call);
      // A metered answer is stored for Idempotency-Key replays: JSON, never a streamed Response.
      if (answer instanceof Response) throw new Error(`${endpoint.method} ${endpoint.path}: a metered answer is JSON.`);
      return answer;
    },
  });
}

/** The declaration a route handler was generated from, if it was (the table test checks every customer route). */
export function endpointOfRoute(handler: unknown): AnyEndpoint | undefined {
  return (handler as { [GENERATED_FROM]?: AnyEndpoint } | null)?.[GENERATED_FROM];
}
