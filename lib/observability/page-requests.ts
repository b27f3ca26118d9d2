import fs from "node:fs";
import path from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import { logger } from "./logger";
import { observeHttpRequest } from "./metrics";
import { onServerRequest } from "./server-requests";

const INSTALLED = Symbol.for("beacon.pageRequestsObserved");

/** Requests observed elsewhere: API routes (their `route()` wrapper logs and times them) and static files. */
const OBSERVED_ELSEWHERE = /^\/(?:api|_next)(?:\/|$)|^\/favicon\.ico$/;

export interface PageRouteTable {
  staticPages: Set<string>;
  dynamicPages: { page: string; regex: RegExp }[];
}

interface RoutesManifest {
  staticRoutes?: { page: string }[];
  dynamicRoutes?: { page: string; regex: string }[];
}

/**
 * The app's page patterns, from the routes manifest Next.js writes into its build directory
 * (`.next`, or `.next/dev` under `next dev`). Empty when there is none yet: every page is then
 * labelled "unmatched", never with its raw URL (which can carry an invitation token).
 */
export function loadPageRouteTable(root = process.cwd()): PageRouteTable {
  for (const dir of [".next", path.join(".next", "dev")]) {
    const file = path.join(/* turbopackIgnore: true */ root, dir, "routes-manifest.json");
    if (!fs.existsSync(file)) continue;
    const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as RoutesManifest;
    return {
      staticPages: new Set((manifest.staticRoutes ?? []).map((r) => r.page)),
      dynamicPages: (manifest.dynamicRoutes ?? []).map((r) => ({ page: r.page, regex: new RegExp(r.regex) })),
    };
  }
  return { staticPages: new Set(), dynamicPages: [] };
}

/** The page pattern (`/opportunities/[noticeId]`) a path renders, or "unmatched". */
export function pagePattern(pathname: string, table: PageRouteTable): string {
  const trimmed = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  if (table.staticPages.has(trimmed)) return trimmed;
  return table.dynamicPages.find((r) => r.regex.test(pathname))?.page ?? "unmatched";
}

/**
 * Page renders get what route handlers get from `route()`: one log line with the request id the
 * proxy gave them, the page pattern, status and duration, and the request-latency histogram
 * (label `page <pattern>`). Server actions are left to `runFormAction`, which does the same.
 */
export function observePageRequests(table: () => PageRouteTable = cachedTable) {
  // Once per process: a second call (a hot reload) would log every page twice.
  const installed = globalThis as { [INSTALLED]?: boolean };
  if (installed[INSTALLED]) return;
  installed[INSTALLED] = true;
  onServerRequest((request, response) => {
    const pathname = (request.url ?? "/").split("?")[0]!;
    if (OBSERVED_ELSEWHERE.test(pathname) || request.headers["next-action"]) return;
    const started = process.hrtime.bigint();
    response.once("finish", () => recordPage(request, response, pagePattern(pathname, table()), started));
  });
}

function recordPage(request: IncomingMessage, response: ServerResponse, pattern: string, started: bigint) {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const method = request.method ?? "GET";
  const status = response.statusCode;
  observeHttpRequest(`page ${pattern}`, method, status, seconds);
  const requestId = response.getHeader("x-request-id");
  const line = {
    requestId: typeof requestId === "string" ? requestId : undefined,
    method,
    route: pattern,
    status,
    durationMs: Math.round(seconds * 1000),
    // A client-side navigation fetches the page's React Server Components payload, not HTML.
    rsc: request.headers.rsc === "1" || undefined,
  };
  if (status >= 500) logger.error(line, "page request failed");
  else logger.info(line, "page request");
}

let table: PageRouteTable | undefined;
function cachedTable(): PageRouteTable {
  table ??= loadPageRouteTable();
  // Under `next dev` the manifest grows as pages compile: read it again until it names pages.
  const found = table;
  if (found.staticPages.size === 0 && found.dynamicPages.length === 0) table = undefined;
  return found;
}
