// Real HTTP answers of every /api/v1 endpoint against its declaration and the OpenAPI document:
// the success body parses to exactly itself under the declared schema (so an undeclared or
// missing field fails), the declared headers come with it, and Problem answers are Problem+JSON
// with a status the document lists for that operation.
import path from "node:path";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import type { z } from "zod";
import { createAlert } from "@/lib/alerts";
import { createApiKey } from "@/lib/auth";
import { PUBLIC_API, publicApiDocument } from "@/lib/endpoints";
import { PROBLEM_CONTENT_TYPE, problemBodySchema, type AnyEndpoint } from "@/lib/http";
import { MemoryRateLimiter, setRateLimiter } from "@/lib/ratelimit";
import { describeOnOneDatabase } from "@/tests/db";
import { routeFiles, routeTemplate } from "@/tests/hostile/route-catalogue";
import { insertOpportunity, makeOrg, contextOf } from "@/tests/support/factories";
import { startRouteServer, type RouteModule } from "@/tests/support/route-server";
import { systemActor } from "@/lib/context";

const ROOT = path.resolve(import.meta.dirname, "../..");
const doc = publicApiDocument();

interface Fixture {
  alertId: string;
  noticeId: string;
}

/** How to get each endpoint's success answer; a new v1 endpoint needs a row here. */
const SUCCESS: Record<string, (f: Fixture) => { path: string; body?: unknown }> = {
  searchOpportunities: () => ({ path: "/api/v1/opportunities?q=contractcheck&status=all" }),
  getOpportunity: (f) => ({ path: `/api/v1/opportunities/${f.noticeId}` }),
  listAlerts: () => ({ path: "/api/v1/alerts" }),
  createAlert: () => ({
    path: "/api/v1/alerts",
    body: { name: "Contract", frequency: "weekly", naics: ["5415"], states: ["va"] },
  }),
  getAlert: (f) => ({ path: `/api/v1/alerts/${f.alertId}` }),
  deleteAlert: (f) => ({ path: `/api/v1/alerts/${f.alertId}` }),
  getMe: () => ({ path: "/api/v1/me" }),
  getUsage: () => ({ path: "/api/v1/usage" }),
  getOpenApiDocument: () => ({ path: "/api/v1/openapi.json" }),
};

let server: Awaited<ReturnType<typeof startRouteServer>>;
let key = "";
let orgId = "";

beforeAll(async () => {
  const routes: Record<string, RouteModule> = {};
  for (const file of routeFiles(ROOT).filter((f) => f.startsWith("app/api/v1/")))
    routes[routeTemplate(file)] = (await import(path.join(ROOT, file))) as RouteModule;
  server = await startRouteServer(routes);
});
afterAll(async () => {
  await server.close();
  setRateLimiter(undefined);
});
beforeEach(() => setRateLimiter(new MemoryRateLimiter()));

function send(endpoint: AnyEndpoint, target: { path: string; body?: unknown }, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${target.path}`, {
    method: endpoint.method,
    headers: { ...(target.body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: target.body === undefined ? undefined : JSON.stringify(target.body),
  });
}

function documented(endpoint: AnyEndpoint) {
  return Object.keys(doc.paths[endpoint.path]![endpoint.method.toLowerCase()]!.responses as Record<string, unknown>);
}

async function expectProblem(endpoint: AnyEndpoint, response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(documented(endpoint)).toContain(String(status));
  expect(response.headers.get("content-type")).toBe(PROBLEM_CONTENT_TYPE);
  const body = await response.json();
  expect(problemBodySchema.parse(body)).toEqual(body);
  expect(body.status).toBe(status);
}

describeOnOneDatabase("the public API answers as declared", () => {
  let fixture: Fixture;
  beforeAll(async () => {
    const org = await makeOrg("pro", "Contract Co");
    orgId = org.orgId;
    key = (await createApiKey(contextOf(orgId, systemActor("seed")), { name: "contract" })).key;
    const now = new Date();
    const noticeId = await insertOpportunity({
      createdAt: now,
      title: "Contractcheck network services",
      agencyPath: "GENERAL SERVICES ADMINISTRATION.PUBLIC BUILDINGS SERVICE",
      naicsCode: "541512",
      popState: "VA",
      responseDeadline: new Date(now.getTime() + 20 * 86_400_000),
      contacts: [{ type: "primary", name: "Pat", title: null, email: "pat@example.gov", phone: null }],
    });
    const alert = await createAlert(contextOf(orgId, org.owner), { name: "Existing", frequency: "daily" });
    fixture = { alertId: alert.id, noticeId };
  });

  it("has a success case for every declared endpoint", () => {
    expect(Object.keys(SUCCESS).sort()).toEqual(PUBLIC_API.map((e) => e.name).sort());
  });

  it.each(PUBLIC_API.map((endpoint) => [endpoint.name, endpoint] as const))(
    "%s: the success answer is the declared schema, with its headers",
    async (name, endpoint) => {
      const response = await send(endpoint, SUCCESS[name]!(fixture), { authorization: `Bearer ${key}` });
      const { success } = endpoint;
      expect([success.status, success.alternate]).toContain(response.status);
      expect(documented(endpoint)).toContain(String(response.status));
      expect(response.headers.get("x-request-id")).toBeTruthy();
      for (const header of Object.keys(success.headers ?? {})) expect(response.headers.get(header)).toBeTruthy();
      if (endpoint.metered) {
        expect(response.headers.get("x-quota-remaining")).toMatch(/^\d+$/);
        expect(response.headers.get("ratelimit-remaining")).toMatch(/^\d+$/);
      }
      if (response.status === 204) {
        expect(await response.text()).toBe("");
        return;
      }
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      const body = await response.json();
      // Parsing strips what the schema does not declare: a body equal to its parse has nothing extra.
      expect((success.body as z.ZodType).parse(body)).toEqual(body);
      if (name === "searchOpportunities") expect(body.data.length).toBeGreaterThan(0);
      if (name === "getOpenApiDocument") expect(body).toEqual(JSON.parse(JSON.stringify(doc)));
    },
  );

  it.each(PUBLIC_API.filter((e) => e.auth === "apiKey").map((endpoint) => [endpoint.name, endpoint] as const))(
    "%s: without a key, 401 Problem+JSON as documented",
    async (name, endpoint) => {
      const response = await send(endpoint, SUCCESS[name]!(fixture));
      await expectProblem(endpoint, response, 401);
      expect(response.headers.get("www-authenticate")).toBe("Bearer");
    },
  );

  it("the handlers' and the edge's own Problems are documented: 404, 422 and 415", async () => {
    const byName = (name: string) => PUBLIC_API.find((e) => e.name === name)!;
    const auth = { authorization: `Bearer ${key}` };
    const getAlert = byName("getAlert");
    await expectProblem(
      getAlert,
      await send(getAlert, { path: "/api/v1/alerts/00000000-0000-4000-8000-000000000000" }, auth),
      404,
    );
    const search = byName("searchOpportunities");
    await expectProblem(search, await send(search, { path: "/api/v1/opportunities?limit=0" }, auth), 422);
    const create = byName("createAlert");
    await expectProblem(
      create,
      await send(create, { path: "/api/v1/alerts" }, { ...auth, "content-type": "text/plain" }),
      415,
    );
    await expectProblem(create, await send(create, { path: "/api/v1/alerts", body: { name: "" } }, auth), 422);
  });

  it("the description is public and cacheable: no key, not metered", async () => {
    const response = await fetch(`${server.url}/api/v1/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    expect(response.headers.get("x-quota-remaining")).toBeNull();
    expect((await response.json()).openapi).toBe("3.1.0");
  });
});
