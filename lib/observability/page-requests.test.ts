import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureLogs } from "./capture-logs";
import { metrics } from "./metrics";
import { loadPageRouteTable, observePageRequests, pagePattern } from "./page-requests";

// The shape Next.js writes to .next/routes-manifest.json (regexes as it writes them).
const MANIFEST = {
  staticRoutes: [{ page: "/" }, { page: "/dashboard" }, { page: "/pricing" }],
  dynamicRoutes: [
    { page: "/opportunities/[noticeId]", regex: "^/opportunities/([^/]+?)(?:/)?$" },
    { page: "/invitations/[token]", regex: "^/invitations/([^/]+?)(?:/)?$" },
  ],
};

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "beacon-routes-"));
  fs.mkdirSync(path.join(root, ".next"));
  fs.writeFileSync(path.join(root, ".next", "routes-manifest.json"), JSON.stringify(MANIFEST));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("pagePattern", () => {
  it("names the page a path renders, from the build's manifest", () => {
    const table = loadPageRouteTable(root);
    expect(pagePattern("/", table)).toBe("/");
    expect(pagePattern("/dashboard/", table)).toBe("/dashboard");
    expect(pagePattern("/opportunities/abc-123", table)).toBe("/opportunities/[noticeId]");
    expect(pagePattern("/invitations/secret-token", table)).toBe("/invitations/[token]");
    expect(pagePattern("/no/such/page", table)).toBe("unmatched");
  });

  it("labels every page unmatched, never by its URL, when there is no build yet", () => {
    const table = loadPageRouteTable(path.join(root, "missing"));
    expect(pagePattern("/invitations/secret-token", table)).toBe("unmatched");
  });
});

describe("observePageRequests on a real HTTP server", () => {
  let server: http.Server;
  let base = "";
  beforeAll(async () => {
    const table = loadPageRouteTable(root);
    observePageRequests(() => table);
    server = http.createServer((req, res) => {
      // As the proxy does for pages: the request id goes back as X-Request-Id.
      res.setHeader("x-request-id", String(req.headers["x-request-id"] ?? "req_none"));
      res.statusCode = req.url?.startsWith("/broken") ? 500 : 200;
      res.end("<html></html>");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("logs each page render once with its request id, pattern, status and duration, and times it", async () => {
    const logs = captureLogs("info");
    try {
      await fetch(`${base}/invitations/secret-token-123?x=1`, { headers: { "x-request-id": "req_page_test_1" } });
      await fetch(`${base}/opportunities/abc`, { headers: { "x-request-id": "req_page_test_2", rsc: "1" } });
      await fetch(`${base}/broken`, { headers: { "x-request-id": "req_page_test_3" } });
      // Observed elsewhere: API routes (route()), server actions (runFormAction) and static files.
      await fetch(`${base}/api/v1/opportunities`);
      await fetch(`${base}/dashboard`, { method: "POST", headers: { "next-action": "abc" } });
      await fetch(`${base}/_next/static/chunk.js`);
    } finally {
      logs.restore();
    }
    const pages = logs.lines.filter((l) => l.msg === "page request" || l.msg === "page request failed");
    expect(pages).toEqual([
      expect.objectContaining({
        requestId: "req_page_test_1",
        method: "GET",
        route: "/invitations/[token]",
        status: 200,
      }),
      expect.objectContaining({ requestId: "req_page_test_2", route: "/opportunities/[noticeId]", rsc: true }),
      expect.objectContaining({ requestId: "req_page_test_3", route: "unmatched", status: 500, level: 50 }),
    ]);
    expect(pages.every((l) => typeof l.durationMs === "number")).toBe(true);
    expect(JSON.stringify(logs.lines)).not.toContain("secret-token-123");

    const body = await metrics().registry.metrics();
    expect(body).toMatch(
      /beacon_http_request_duration_seconds_count\{route="page \/invitations\/\[token\]",method="GET",status_class="2xx"\} 1/,
    );
    expect(body).toMatch(/beacon_http_server_errors_total\{route="page unmatched",method="GET"\} 1/);
    expect(body).not.toContain("secret-token-123");
  });

  it("installing twice does not log twice", async () => {
    observePageRequests();
    const logs = captureLogs("info");
    try {
      await fetch(`${base}/pricing`, { headers: { "x-request-id": "req_page_test_4" } });
    } finally {
      logs.restore();
    }
    expect(logs.lines.filter((l) => l.requestId === "req_page_test_4")).toHaveLength(1);
  });
});
