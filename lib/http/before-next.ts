import type { IncomingMessage, ServerResponse } from "node:http";
import { takeServerRequests } from "@/lib/observability";
import { pathMatcher, serveWithFetchHandler, type FetchHandler } from "./node-adapter";
import { SECURITY_HEADERS } from "./security-headers";

/** A route answered before Next.js: its method, its path template (`{name}` segments) and its handler. */
export interface RouteBeforeNext {
  method: string;
  path: string;
  handler: FetchHandler;
}

/**
 * A Node.js request listener's first look at a request: when it is one of `routes` (its method,
 * and its path by the template) it is answered here with that handler, and true is returned;
 * anything else (another path or method, HEAD, OPTIONS, a trailing slash, a path that is not
 * valid percent-encoding) returns false, for Next.js to answer as it always has.
 */
export function routesTaker(
  routes: readonly RouteBeforeNext[],
  headers: readonly { key: string; value: string }[] = SECURITY_HEADERS,
) {
  const table = routes.map((route) => ({ ...route, match: pathMatcher(route.path) }));
  return function take(req: IncomingMessage, res: ServerResponse): boolean {
    const target = req.url;
    if (!target?.startsWith("/")) return false;
    const query = target.indexOf("?");
    const pathname = query === -1 ? target : target.slice(0, query);
    for (const route of table) {
      if (route.method !== req.method) continue;
      const params = route.match(pathname);
      if (!params) continue;
      // Served in the turn's check phase, after every I/O callback of the turn: the answers of
      // statements already in flight (a webhook batch, a charge) carry their work on before new
      // requests start theirs, and the requests that arrived together start together (their
      // claims and charges then share statements). The body waits unread in the meantime; a
      // request its client gave up on meanwhile is not started (its body would never end).
      setImmediate(() => {
        if (!req.destroyed) void serveWithFetchHandler(req, res, route.handler, params, headers);
      });
      return true;
    }
    return false;
  };
}

/**
 * `routes` answered before Next.js's router by every HTTP server of this process (`next start`):
 * the hot paths (the metered API, Stripe's webhooks) skip Next.js's routing, request wrapping
 * and response streaming, which cost as much CPU as the rest of a call (README, "Benchmarks"),
 * and still run their route file's own handler. Production servers only: under `next dev` the
 * route files recompile on change and this copy would not. Called once, by instrumentation-node.ts;
 * the function returned stops it.
 */
export function serveBeforeNext(routes: readonly RouteBeforeNext[]): () => void {
  return takeServerRequests(routesTaker(routes));
}
