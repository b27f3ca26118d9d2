// The customer HTTP surface is declared once (lib/<capability>/endpoints.ts): every route file under
// app/api/v1 and app/api/app exports handlers generated from declarations, and the OpenAPI document
// lists exactly the v1 routes that exist. A route added by hand, a declaration without a route, or a
// document that drifted from the route files turns this table red.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { APP_API, endpointOfRoute, PUBLIC_API, publicApiDocument } from "@/lib/endpoints";
import type { AnyEndpoint } from "@/lib/http";
import { HTTP_METHODS, routeFiles, routeTemplate } from "@/tests/hostile/route-catalogue";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CUSTOMER_ROUTES = routeFiles(ROOT).filter((file) => /^app\/api\/(v1|app)\//.test(file));

interface Row {
  file: string;
  method: string;
  handler: unknown;
}

async function exportedHandlers(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const file of CUSTOMER_ROUTES) {
    const routeModule = (await import(path.join(ROOT, file))) as Record<string, unknown>;
    for (const method of HTTP_METHODS)
      if (method in routeModule) rows.push({ file, method, handler: routeModule[method] });
  }
  return rows;
}

const ROWS = await exportedHandlers();

describe("every customer route is generated from a declaration", () => {
  it("finds the route files (a glob that matched nothing would pass everything below)", () => {
    expect(CUSTOMER_ROUTES.filter((f) => f.startsWith("app/api/v1/")).length).toBeGreaterThanOrEqual(7);
    expect(CUSTOMER_ROUTES.filter((f) => f.startsWith("app/api/app/")).length).toBeGreaterThanOrEqual(23);
  });

  it.each(ROWS.map((row) => [`${row.method} ${row.file}`, row] as const))(
    "%s: its declaration has this method, this path and the surface's auth",
    (_name, { file, method, handler }) => {
      const endpoint = endpointOfRoute(handler);
      expect(endpoint, `${method} in ${file} is written by hand: declare it and use endpointRoute()`).toBeDefined();
      expect(endpoint!.method).toBe(method);
      expect(endpoint!.path).toBe(routeTemplate(file));
      const v1 = file.startsWith("app/api/v1/");
      expect(v1 ? ["apiKey", "public"] : ["session"]).toContain(endpoint!.auth);
      expect(v1 ? PUBLIC_API : APP_API).toContain(endpoint);
    },
  );

  it("every declaration is served by exactly one route, and names are unique", () => {
    const served = ROWS.map((row) => endpointOfRoute(row.handler));
    for (const endpoint of [...PUBLIC_API, ...APP_API])
      expect(
        served.filter((e) => e === endpoint),
        `${endpoint.name} has no route`,
      ).toHaveLength(1);
    const names = [...PUBLIC_API, ...APP_API].map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("the public API declares a JSON schema for every answer with a body", () => {
    const missing = PUBLIC_API.filter((e: AnyEndpoint) => e.success.status !== 204 && !e.success.body);
    expect(missing.map((e) => e.name)).toEqual([]);
  });
});

describe("the OpenAPI document matches the v1 route files", () => {
  it("has exactly the paths and methods the route files export", () => {
    const fromRoutes = ROWS.filter((row) => row.file.startsWith("app/api/v1/"))
      .map((row) => `${row.method} ${routeTemplate(row.file)}`)
      .sort();
    const paths = publicApiDocument().paths;
    const fromDocument = Object.entries(paths)
      .flatMap(([p, operations]) => Object.keys(operations).map((m) => `${m.toUpperCase()} ${p}`))
      .sort();
    expect(fromDocument).toEqual(fromRoutes);
  });
});
