// SPEC "Quality bars": every bad input gets a Problem+JSON 4xx and changes nothing. This sweep
// sends random and adversarial requests to every route handler under app/api (found by globbing,
// so a new route is swept or fails the catalogue check) with and without valid credentials.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import fc from "fast-check";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROBLEM_CONTENT_TYPE, PROBLEMS, type ProblemCode } from "@/lib/http";
import { describeEachDatabase, oneDriver } from "@/tests/db";
import { withTestEnv } from "@/tests/env";
import { callRoute, type RouteHandler } from "@/tests/route-helpers";
import { changedTables, databaseFingerprint } from "./db-fingerprint";
import { hostileHeaders, hostileJsonBody, hostileQuery, RAW_BODIES } from "./hostile-values";
import {
  buildFixtures,
  HTTP_METHODS,
  paramNames,
  ROUTE_CASES,
  routeFiles,
  SHAPE_ONLY_FIXTURES,
  urlPathFor,
  type Credential,
  type Fixtures,
  type HttpMethod,
  type RouteCase,
} from "./route-catalogue";
import { pointInngestClient, restoreInngestClient } from "@/tests/support/inngest";

// Configured as production requires (lib/env productionConfigProblems): without a webhook secret
// or an Inngest signing key those routes answer 500 by design (misconfiguration, not input).
withTestEnv({
  STRIPE_WEBHOOK_SECRET: "whsec_hostile_sweep_secret",
  INNGEST_SIGNING_KEY: `signkey-test-${"ab".repeat(32)}`,
  INNGEST_DEV: "0",
});

// `PUT /api/inngest` makes the SDK register with Inngest's API; this stands in for that API
// (`POST /fn/register`, answered as Inngest does) so the sweep does not depend on the internet.
let inngestApi: Server;
beforeAll(async () => {
  inngestApi = createServer((request, response) => {
    request.resume();
    const ok = request.method === "POST" && request.url?.startsWith("/fn/register");
    response
      .writeHead(ok ? 200 : 404, { "content-type": "application/json" })
      .end(JSON.stringify(ok ? { status: 200, modified: false } : { error: "not found" }));
  });
  await new Promise<void>((resolve) => inngestApi.listen(0, "127.0.0.1", resolve));
  await pointInngestClient({
    INNGEST_API_BASE_URL: `http://127.0.0.1:${(inngestApi.address() as AddressInfo).port}/`,
  });
});
afterAll(async () => {
  await restoreInngestClient();
  await new Promise<void>((resolve) => inngestApi.close(() => resolve()));
});

const ROOT = path.resolve(import.meta.dirname, "../..");
const FILES = routeFiles(ROOT);

// Credentials that get past authentication are where the interesting code runs: more runs there.
const RUNS: Record<Credential, number> = {
  none: 4,
  apiKeyA: 15,
  ownerA: 15,
  viewerA: 3,
  opsAdmin: 15,
  opsViewer: 3,
  opsUnverified: 2,
};
const runsFor = (file: string, credential: Credential) =>
  credential === "ownerA" && file.startsWith("app/api/admin/") ? 2 : RUNS[credential];

interface HostileRequest {
  params: Record<string, string | string[]>;
  query: string;
  headers: Record<string, string>;
  body: { kind: "none" } | { kind: "json"; value: unknown } | { kind: "raw"; index: number };
}

function requestArbitrary(spec: RouteCase, method: HttpMethod, f: Fixtures): fc.Arbitrary<HostileRequest> {
  const params = spec.params ? fc.record(spec.params(f)) : fc.constant({});
  const sample = spec.sample?.(f)[method];
  const body: fc.Arbitrary<HostileRequest["body"]> =
    method === "GET" || method === "HEAD"
      ? fc.constant({ kind: "none" })
      : fc.oneof(
          { weight: 4, arbitrary: hostileJsonBody(sample).map((value) => ({ kind: "json" as const, value })) },
          { weight: 3, arbitrary: fc.nat(RAW_BODIES.length - 1).map((index) => ({ kind: "raw" as const, index })) },
          { weight: 1, arbitrary: fc.constant({ kind: "none" as const }) },
        );
  return fc.record({ params, query: hostileQuery(spec.queryKeys ?? []), headers: hostileHeaders, body });
}

function asNextHandler(handler: RouteHandler): RouteHandler {
  return (request, context) => handler(new NextRequest(request), context);
}

async function send(
  handler: RouteHandler,
  file: string,
  method: HttpMethod,
  credential: Record<string, string>,
  req: HostileRequest,
) {
  const headers = { ...req.headers, ...credential };
  let raw: string | Uint8Array | undefined;
  if (req.body.kind === "json") {
    raw = JSON.stringify(req.body.value) ?? "null";
    headers["content-type"] = "application/json";
  } else if (req.body.kind === "raw") {
    const chosen = RAW_BODIES[req.body.index]!;
    raw = chosen.body;
    if (chosen.contentType) headers["content-type"] = chosen.contentType;
    else delete headers["content-type"];
  }
  return callRoute(handler, {
    path: urlPathFor(file, req.params) + req.query,
    method,
    headers,
    raw,
    params: req.params,
  });
}

/** The Problem+JSON contract of API.md, checked on one 4xx/5xx response. */
async function expectProblem(response: Response, method: HttpMethod) {
  expect(response.headers.get("content-type")).toBe(PROBLEM_CONTENT_TYPE);
  const requestId = response.headers.get("x-request-id");
  expect(requestId).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
  if (method === "HEAD") return;
  const body = (await response.json()) as Record<string, unknown>;
  const code = body.code as ProblemCode;
  expect(Object.keys(PROBLEMS)).toContain(code);
  expect(body).toMatchObject({
    type: `https://beacon.dev/problems/${code}`,
    title: PROBLEMS[code].title,
    status: response.status,
    request_id: requestId,
  });
  expect(typeof body.detail).toBe("string");
}

describe("hostile input sweep: the catalogue covers every route", () => {
  it("finds the route files and describes each one (and nothing that is gone)", () => {
    expect(FILES.length).toBeGreaterThan(30);
    expect(FILES.filter((file) => !ROUTE_CASES[file])).toEqual([]);
    expect(Object.keys(ROUTE_CASES).filter((file) => !FILES.includes(file))).toEqual([]);
  });

  it("gives every dynamic segment a value generator", () => {
    const missing = FILES.flatMap((file) => {
      const given = Object.keys(ROUTE_CASES[file]?.params?.(SHAPE_ONLY_FIXTURES) ?? {});
      return paramNames(file)
        .filter((name) => !given.includes(name))
        .map((name) => `${file}: [${name}]`);
    });
    expect(missing).toEqual([]);
  });
});

// HTTP answers and unchanged tables do not depend on the driver, and the sweep is the slowest
// file: it runs on one (PostgreSQL when there is one); regressions.test.ts runs its finds on both.
describeEachDatabase(
  "hostile input sweep",
  () => {
    let f: Fixtures;

    beforeAll(async () => {
      f = await buildFixtures();
    });

    it("cross-tenant ids: org A's credentials get 404 for org B's alert, key, invitation, member, data request and channel, and B is untouched", async () => {
      const before = await databaseFingerprint();
      const cases: { file: string; method: HttpMethod; credential: Credential; id: string; body?: unknown }[] = [
        { file: "app/api/v1/alerts/[id]/route.ts", method: "GET", credential: "apiKeyA", id: f.foreign.alert },
        { file: "app/api/v1/alerts/[id]/route.ts", method: "DELETE", credential: "apiKeyA", id: f.foreign.alert },
        {
          file: "app/api/app/alerts/[id]/route.ts",
          method: "PATCH",
          credential: "ownerA",
          id: f.foreign.alert,
          body: { active: false },
        },
        { file: "app/api/app/alerts/[id]/route.ts", method: "DELETE", credential: "ownerA", id: f.foreign.alert },
        { file: "app/api/app/api-keys/[id]/route.ts", method: "DELETE", credential: "ownerA", id: f.foreign.apiKey },
        {
          file: "app/api/app/invitations/[id]/route.ts",
          method: "DELETE",
          credential: "ownerA",
          id: f.foreign.invitation,
        },
        {
          file: "app/api/app/members/[id]/route.ts",
          method: "PATCH",
          credential: "ownerA",
          id: f.foreign.member,
          body: { role: "viewer" },
        },
        { file: "app/api/app/members/[id]/route.ts", method: "DELETE", credential: "ownerA", id: f.foreign.member },
        {
          file: "app/api/app/data-requests/[id]/route.ts",
          method: "GET",
          credential: "ownerA",
          id: f.foreign.dataRequest,
        },
        {
          file: "app/api/app/data-requests/[id]/download/route.ts",
          method: "GET",
          credential: "ownerA",
          id: f.foreign.dataRequest,
        },
        {
          file: "app/api/app/channels/[id]/route.ts",
          method: "PATCH",
          credential: "ownerA",
          id: f.foreign.channel,
          body: { enabled: false },
        },
        { file: "app/api/app/channels/[id]/route.ts", method: "DELETE", credential: "ownerA", id: f.foreign.channel },
        {
          file: "app/api/app/channels/[id]/test/route.ts",
          method: "POST",
          credential: "ownerA",
          id: f.foreign.channel,
        },
      ];
      for (const c of cases) {
        const mod = (await import(path.join(ROOT, c.file))) as Record<string, RouteHandler>;
        const response = await callRoute(mod[c.method]!, {
          path: urlPathFor(c.file, { id: c.id }),
          method: c.method,
          headers: f.headers[c.credential],
          id: c.id,
          body: c.body,
        });
        expect({ case: `${c.method} ${c.file}`, status: response.status }).toEqual({
          case: `${c.method} ${c.file}`,
          status: 404,
        });
        await expectProblem(response, c.method);
      }
      expect(changedTables(before, await databaseFingerprint())).toEqual([]);
    });

    for (const file of FILES) {
      const spec = ROUTE_CASES[file];
      if (!spec) continue;
      it(`${file}: no 5xx, Problem+JSON 4xx, rejected requests change nothing`, async () => {
        const mod = (await import(path.join(ROOT, file))) as Record<string, unknown>;
        const methods = HTTP_METHODS.filter((m) => typeof mod[m] === "function");
        expect(methods.length).toBeGreaterThan(0);
        const exclude = new Set(spec.writesOnReject ?? []);
        for (const method of methods) {
          const raw = mod[method] as RouteHandler;
          const handler = spec.nextRequest ? asNextHandler(raw) : raw;
          // Reads must never write when refused: one snapshot around the whole batch suffices
          // (a served read may write, e.g. a metered charge or an export's audit entry).
          // Writes are checked request by request.
          const safe = method === "GET" || method === "HEAD";
          for (const credential of spec.credentials) {
            const start = await databaseFingerprint(exclude);
            let last = start;
            let served = false;
            await fc.assert(
              fc.asyncProperty(requestArbitrary(spec, method, f), async (req) => {
                const response = await send(handler, file, method, f.headers[credential], req);
                const label = `${method} ${file} as ${credential} → ${response.status}`;
                expect(response.status, label).toBeLessThan(500);
                if (!spec.foreignProtocol && response.status >= 400) await expectProblem(response, method);
                else await response.arrayBuffer();
                if (response.status < 400) served = true;
                if (safe) return;
                const now = await databaseFingerprint(exclude);
                if (response.status >= 400)
                  expect(changedTables(last, now), `${label} changed the database`).toEqual([]);
                last = now;
              }),
              { numRuns: runsFor(file, credential), endOnFailure: true },
            );
            if (safe && !served)
              expect(
                changedTables(start, await databaseFingerprint(exclude)),
                `refused ${method} ${file} as ${credential} changed the database`,
              ).toEqual([]);
          }
        }
      }, 120_000);
    }
  },
  oneDriver(),
);
