import { logger, observeHttpRequest, routePattern, runWithRequestContext } from "@/lib/observability";
import { AppError, isAppError } from "./errors";
import { appErrorResponse, problemResponse } from "./problem";
import { requestIdFrom } from "./request-id";

export interface RouteContext<Auth> {
  request: Request;
  requestId: string;
  url: URL;
  params: Record<string, string | string[]>;
  auth: Auth;
}

/** Resolves who is calling, or throws AppError (401/403/…). Lives in lib/auth; injected here. */
export type Authenticator<Auth> = (request: Request, requestId: string) => Promise<Auth>;

export type RouteResult = Response | { status?: number; body: unknown; headers?: Record<string, string> };

interface NextRouteContext {
  params: Promise<Record<string, string | string[]>>;
}

/**
 * The edge of every route handler: request id (carried by every log line inside the request),
 * authentication, errors → Problem+JSON, and the latency metric by route pattern.
 * Handlers stay thin: parse, authorise, call lib/, return `{ body }` or a Response.
 */
export function route<Auth = null>(
  handler: (ctx: RouteContext<Auth>) => Promise<RouteResult>,
  options: { authenticate?: Authenticator<Auth> } = {},
) {
  return async (request: Request, context?: NextRouteContext): Promise<Response> => {
    const requestId = requestIdFrom(request.headers);
    return runWithRequestContext({ requestId }, async () => {
      const started = performance.now();
      const url = new URL(request.url);
      let params: Record<string, string | string[]> = {};
      let status = 500;
      try {
        params = (await context?.params) ?? {};
        const auth = options.authenticate ? await options.authenticate(request, requestId) : (null as Auth);
        const result = await handler({ request, requestId, url, params, auth });
        const response = toResponse(result);
        response.headers.set("x-request-id", requestId);
        status = response.status;
        return response;
      } catch (error) {
        const response = errorResponse(error, requestId, request);
        status = response.status;
        return response;
      } finally {
        const seconds = (performance.now() - started) / 1000;
        // The pattern, never the path: a path can carry a secret (a calendar feed's token).
        const pattern = routePattern(url.pathname, params);
        observeHttpRequest(pattern, request.method, status, seconds);
        logger.debug({ method: request.method, route: pattern, status, ms: Math.round(seconds * 1000) }, "request");
      }
    });
  };
}

export function toResponse(result: RouteResult): Response {
  if (result instanceof Response) return result;
  const status = result.status ?? 200;
  if (status === 204) return new Response(null, { status, headers: result.headers });
  return Response.json(result.body, { status, headers: { "cache-control": "no-store", ...result.headers } });
}

export function errorResponse(error: unknown, requestId: string, request?: Request): Response {
  if (isAppError(error)) return appErrorResponse(error, requestId);
  // Unexpected: log once with context; the body says nothing about internals.
  logger.error(
    { err: error, requestId, method: request?.method, path: request ? new URL(request.url).pathname : undefined },
    "unhandled error in route",
  );
  return problemResponse(
    "internal",
    "Something went wrong on our side. Quote the request id if you contact support.",
    requestId,
  );
}

export function notFound(what = "resource"): never {
  throw new AppError("not_found", `No such ${what}.`);
}
