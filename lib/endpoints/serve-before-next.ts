import type { IncomingMessage, ServerResponse } from "node:http";
import { SECURITY_HEADERS, pathMatcher, serveWithFetchHandler, type AnyEndpoint, type FetchHandler } from "@/lib/http";
import { takeServerRequests } from "@/lib/observability";
import { PUBLIC_API } from "./catalogue";
import { endpointRoute } from "./route";

/**
 * A Node.js request listener's first look at a request: when it is one of `endpoints` (its
 * method, and its path by the declaration's template) it is answered here, by the same handler
 * its Next.js route file exports (`endpointRoute`), and true is returned; anything else (another
 * path, another method, HEAD, OPTIONS, a trailing slash, a path that is not valid
 * percent-encoding) returns false, for Next.js to answer as it always has.
 */
export function endpointsBeforeNext(
  endpoints: readonly AnyEndpoint[],
  headers: readonly { key: string; value: string }[] = SECURITY_HEADERS,
) {
  const routes = endpoints.map((endpoint) => ({
    method: endpoint.method as string,
    match: pathMatcher(endpoint.path),
    handler: endpointRoute(endpoint) as unknown as FetchHandler,
  }));
  return function take(req: IncomingMessage, res: ServerResponse): boolean {
    const target = req.url;
    if (!target?.startsWith("/")) return false;
    const query = target.indexOf("?");
    const pathname = query === -1 ? target : target.slice(0, query);
    for (const route of routes) {
      if (route.method !== req.method) continue;
      const params = route.match(pathname);
      if (!params) continue;
      void serveWithFetchHandler(req, res, route.handler, params, headers);
      return true;
    }
    return false;
  };
}

/**
 * The public API (`/api/v1`, the metered search above all) answered before Next.js's router:
 * every call still goes through its declaration's whole handler (authentication, rate limit,
 * quota, Problem+JSON, logs and metrics), but not through Next.js's routing, request wrapping and
 * response streaming, which cost as much CPU as the rest of a call (README, "Benchmarks").
 * Production servers only: under `next dev` the route files are recompiled on change, and this
 * copy would not be. The proxy (proxy.ts) never ran for these paths.
 */
export function servePublicApiBeforeNext() {
  takeServerRequests(publicApiTaker);
}

const publicApiTaker = endpointsBeforeNext(PUBLIC_API);
