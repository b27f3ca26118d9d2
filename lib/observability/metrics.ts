import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";

/**
 * The process's Prometheus registry and the metrics observed in-process (HTTP, quota). Metrics
 * that describe shared state (job runs, Stripe events, outbox) are read from the database at
 * scrape time instead (database-metrics.ts), so every process reports the same truth.
 *
 * Kept on globalThis: `next dev` re-evaluates modules on hot reload, and registering a metric
 * name twice in one registry throws.
 */
function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "beacon_" });
  return {
    registry,
    httpDuration: new Histogram({
      name: "beacon_http_request_duration_seconds",
      help: "Time to answer an API request, by route pattern (never the raw URL), method and status class.",
      labelNames: ["route", "method", "status_class"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    httpServerErrors: new Counter({
      name: "beacon_http_server_errors_total",
      help: "API answers with a 5xx status, by route pattern and method.",
      labelNames: ["route", "method"] as const,
      registers: [registry],
    }),
    quotaDecrements: new Counter({
      name: "beacon_quota_decrements_total",
      help: "Metered API calls charged against an organisation's quota (one unit each).",
      registers: [registry],
    }),
    // Collectors reading the database are added once, on the first scrape (database-metrics.ts).
    databaseCollectorsRegistered: false,
  };
}

type Metrics = ReturnType<typeof createMetrics>;
const globalForMetrics = globalThis as unknown as { __beaconMetrics?: Metrics };

export function metrics(): Metrics {
  globalForMetrics.__beaconMetrics ??= createMetrics();
  return globalForMetrics.__beaconMetrics;
}

const HTTP_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** One answered API request. `route` must be a pattern (`/api/admin/job-runs/[id]`), not the URL. */
export function observeHttpRequest(routePattern: string, method: string, status: number, seconds: number) {
  const m = metrics();
  // Methods come from the client: anything unusual is folded into one label value.
  const methodLabel = HTTP_METHODS.has(method) ? method : "OTHER";
  m.httpDuration.observe(
    { route: routePattern, method: methodLabel, status_class: `${Math.floor(status / 100)}xx` },
    seconds,
  );
  if (status >= 500) m.httpServerErrors.inc({ route: routePattern, method: methodLabel });
}

export function countQuotaDecrement() {
  metrics().quotaDecrements.inc();
}

/**
 * The route pattern of a request: each path segment that carries a route parameter is put back
 * as `[name]` (`[...name]` for catch-alls), so the label set is bounded by the route files, not
 * by the URLs clients send. A path whose parameters cannot all be placed is reported as
 * "unmatched" rather than leaking raw values into a label.
 */
export function routePattern(pathname: string, params: Record<string, string | string[]>): string {
  const segments = pathname.split("/");
  const decoded = segments.map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  for (const [name, value] of Object.entries(params)) {
    if (Array.isArray(value)) {
      // A catch-all owns the tail of the path.
      const start = segments.length - value.length;
      if (value.length === 0 || start < 1 || value.some((v, i) => decoded[start + i] !== v)) return "unmatched";
      segments.splice(start, value.length, `[...${name}]`);
      decoded.splice(start, value.length, `[...${name}]`);
      continue;
    }
    const index = decoded.lastIndexOf(value);
    if (index < 1) return "unmatched";
    segments[index] = `[${name}]`;
    decoded[index] = `[${name}]`;
  }
  return segments.join("/");
}
