import { stripeWebhookRoute } from "@/lib/billing";
import type { AnyEndpoint, FetchHandler, RouteBeforeNext } from "@/lib/http";
import { PUBLIC_API } from "./catalogue";
import { endpointRoute } from "./route";

/**
 * Declared endpoints as routes to answer before Next.js (`serveBeforeNext` in lib/http): each
 * with the very handler its route file exports (`endpointRoute`), so authentication, rate
 * limit, quota, Problem+JSON, logs and metrics are the route's own.
 */
export function endpointsBeforeNext(endpoints: readonly AnyEndpoint[]): RouteBeforeNext[] {
  return endpoints.map((endpoint) => ({
    method: endpoint.method,
    path: endpoint.path,
    handler: endpointRoute(endpoint) as unknown as FetchHandler,
  }));
}

/**
 * What `next start` answers before Next.js's router (instrumentation-node.ts): the public API
 * (`/api/v1`, the metered search above all) and Stripe's webhooks, each with its route file's
 * own handler.
 */
export function hotPathsBeforeNext(): RouteBeforeNext[] {
  return [
    ...endpointsBeforeNext(PUBLIC_API),
    { method: "POST", path: "/api/webhooks/stripe", handler: stripeWebhookRoute as unknown as FetchHandler },
  ];
}
