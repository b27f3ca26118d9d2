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
 * A route's answer before it becomes a Fetch `Response`: status, headers and the serialised
 * body. The Node.js adapter (`serveWithFetchHandler`) writes it as it is, skipping the Fetch
 * objects a `Response` costs; Next.js gets it as a `Response`.
 */
export interface PlainAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

export type RouteAnswer = Response | PlainAnswer;

type Answering = (request: Request, context?: NextRouteContext) => Promise<RouteAnswer>;
const ANSWERING = Symbol.for("beacon.route.answering");

/** The answering function behind a handler `route()` made, or undefined for any other handler. */
export function answeringOf(handler: unknown): Answering | undefined {
  return typeof handler === "function" ? (handler as { [ANSWERING]?: Answering })[ANSWERING] : undefined;
}

/**
 * The edge of every route handler: request id (carried by every log line inside the request),
 * authentication, errors → Problem+JSON, and the latency metric by route pattern.
 * Handlers stay thin: parse, authorise, call lib/, return `{ body }` or a Response. The function
 * returned is the route file's Fetch handler; the same work is reachable without the Fetch
 * `Response` (`answeringOf`), for the Node.js adapter.
 */
export function route<Auth = null>(
  handler: (ctx: RouteContext<Auth>) => Promise<RouteResult>,
  options: { authenticate?: Authenticator<Auth> } = {},
) {
  const answering: Answering = (request, context) => {
    const requestId = requestIdFrom(request.headers);
    return runWithRequestContext({ requestId }, async () => {
      const started = performance.now();
      const url = new URL(request.url);
      let params: Record<string, string | string[]> = {};
      let status = 500;
      try {
        params = (await context?.params) ?? {};
        const auth = options.authenticate ? await options.authenticate(request, requestId) : (null as Auth);
        const answer = toAnswer(await handler({ request, requestId, url, params, auth }), requestId);
        status = answer.status;
        return answer;
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
  const fetchHandler = async (request: Request, context?: NextRouteContext): Promise<Response> =>
    fetchResponseOf(await answering(request, context));
  return Object.assign(fetchHandler, { [ANSWERING]: answering });
}

/** A handler's result with the request id: a `Response` stays one, `{ body }` becomes plain JSON. */
function toAnswer(result: RouteResult, requestId: string): RouteAnswer {
  if (result instanceof Response) {
    result.headers.set("x-request-id", requestId);
    return result;
  }
  const status = result.status ?? 200;
  if (status === 204) return { status, headers: { ...result.headers, "x-request-id": requestId }, body: null };
  return {
    status,
    headers: {
      "content-type": "application/json",
      "cache-control": "no-store",
      ...result.headers,
      "x-request-id": requestId,
    },
    body: jsonOf(result.body),
  };
}

function jsonOf(body: unknown): string {
  const json = JSON.stringify(body);
  // As Response.json() refuses it: the route answers 500.
  if (json === undefined) throw new TypeError("The route's answer is not JSON-serialisable.");
  return json;
}

/** What Next.js gets: the answer as a Fetch `Response`. */
function fetchResponseOf(answer: RouteAnswer): Response {
  if (answer instanceof Response) return answer;
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
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
