// The public API answered before Next.js (what `next start` does once instrumentation installs
// it): a real HTTP server whose own handler stands in for Next.js, with the production taker
// installed on every server of this process, as instrumentation-node.ts does.
import http from "node:http";
import type net from "node:net";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as searchRoute from "@/app/api/v1/opportunities/route";
import { db } from "@/db/client";
import { organizations } from "@/db/schema";
import { createApiKey } from "@/lib/auth";
import { systemActor } from "@/lib/context";
import { SECURITY_HEADERS, acceptsGzip, serveBeforeNext } from "@/lib/http";
import { MemoryRateLimiter, setRateLimiter } from "@/lib/ratelimit";
import { describeOnOneDatabase } from "@/tests/db";
import { withTestEnv } from "@/tests/env";
import { fixture, signed, TEST_WEBHOOK_SECRET } from "@/tests/fixtures/stripe/events";
import { contextOf, insertOpportunity } from "@/tests/support/factories";
import { routeFiles, routeTemplate } from "@/tests/hostile/route-catalogue";
import { endpointOfRoute } from "./route";
import { hotPathsBeforeNext } from "./serve-before-next";

withTestEnv({ STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET });

const NEXT_ANSWERED = 299;
let server: http.Server;
let base = "";
let connections = 0;
let stopServingBeforeNext: () => void = () => {};
const reachedNext: string[] = [];

beforeAll(async () => {
  stopServingBeforeNext = serveBeforeNext(hotPathsBeforeNext());
  server = http.createServer((req, res) => {
    reachedNext.push(`${req.method} ${req.url}`);
    res.writeHead(NEXT_ANSWERED, { "content-type": "text/plain" }).end("next");
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});
afterAll(async () => {
  // The next test file in this worker starts its own servers: they must see every request.
  stopServingBeforeNext();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  setRateLimiter(undefined);
});
beforeEach(() => {
  setRateLimiter(new MemoryRateLimiter());
  reachedNext.length = 0;
});

/** One request on a fresh keep-alive agent, raw: headers and body bytes as sent. */
function send(
  agent: http.Agent,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const request = http.request(`${base}${path}`, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    request.on("error", reject);
    request.end(body);
  });
}

describe("acceptsGzip", () => {
  it("reads the codings and their weights", () => {
    expect(acceptsGzip("gzip")).toBe(true);
    expect(acceptsGzip("br, gzip;q=0.5")).toBe(true);
    expect(acceptsGzip("*")).toBe(true);
    expect(acceptsGzip("gzip;q=0")).toBe(false);
    expect(acceptsGzip("gzip; q=0.000, br")).toBe(false);
    expect(acceptsGzip("identity, br")).toBe(false);
    expect(acceptsGzip("")).toBe(false);
  });
});

describe("the hot paths served before Next.js", () => {
  it("are each the handler its route file exports for that method, so the two ways in cannot differ", async () => {
    const root = path.resolve(import.meta.dirname, "../..");
    const files = new Map(routeFiles(root).map((file) => [routeTemplate(file), file]));
    const paths = hotPathsBeforeNext();
    expect(paths.map((route) => `${route.method} ${route.path}`)).toEqual(
      expect.arrayContaining(["GET /api/v1/opportunities", "POST /api/webhooks/stripe"]),
    );
    for (const route of paths) {
      const file = files.get(route.path);
      expect(file, route.path).toBeDefined();
      const exported = ((await import(path.join(root, file!))) as Record<string, unknown>)[route.method];
      const declared = endpointOfRoute(exported);
      if (declared) expect(endpointOfRoute(route.handler), `${route.method} ${route.path}`).toBe(declared);
      else expect(route.handler, `${route.method} ${route.path}`).toBe(exported);
    }
  });
});

describeOnOneDatabase("the public API before Next.js", () => {
  let key = "";
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  afterAll(() => agent.destroy());

  beforeAll(async () => {
    const [org] = await db().insert(organizations).values({ name: "Before Next", plan: "pro" }).returning();
    key = (await createApiKey(contextOf(org!.id, systemActor("seed")), { name: "test" })).key;
    const now = new Date();
    for (let i = 0; i < 12; i++)
      await insertOpportunity({
        createdAt: new Date(now.getTime() - i * 60_000),
        title: `Boiler maintenance lot ${i}`,
        description: `Boiler maintenance and repair services for building ${i}. `.repeat(20),
      });
  });

  it("answers a metered search with the route file's own handler: same notices, security headers, a request id", async () => {
    const path = "/api/v1/opportunities?q=boiler&limit=10";
    const answered = await send(agent, "GET", path, { authorization: `Bearer ${key}` });
    expect(answered.status).toBe(200);
    expect(reachedNext).toEqual([]);
    const direct = await searchRoute.GET(
      new Request(`http://localhost${path}`, { headers: { authorization: `Bearer ${key}` } }),
    );
    const body = JSON.parse(answered.body.toString()) as { data: { notice_id: string }[] };
    expect(body.data).toHaveLength(10);
    expect(body).toEqual(await direct.json());
    for (const { key: name, value } of SECURITY_HEADERS) expect(answered.headers[name.toLowerCase()]).toBe(value);
    expect(answered.headers["content-type"]).toBe("application/json");
    expect(answered.headers["x-request-id"]).toMatch(/^req_/);
    expect(answered.headers["x-quota-remaining"]).toMatch(/^\d+$/);
    expect(Number(answered.headers["content-length"])).toBe(answered.body.length);
  });

  it("gzips the answer when the client accepts it, as Next.js does", async () => {
    const path = "/api/v1/opportunities?q=boiler&limit=10";
    const plain = await send(agent, "GET", path, { authorization: `Bearer ${key}` });
    const zipped = await send(agent, "GET", path, { authorization: `Bearer ${key}`, "accept-encoding": "gzip" });
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.headers.vary).toMatch(/accept-encoding/i);
    expect(zipped.body.length).toBeLessThan(plain.body.length);
    expect(JSON.parse(gunzipSync(zipped.body).toString()).data).toEqual(JSON.parse(plain.body.toString()).data);
    expect(plain.headers["content-encoding"]).toBeUndefined();
  });

  it("answers bad input with Problem+JSON, never reaching Next.js", async () => {
    const noKey = await send(agent, "GET", "/api/v1/opportunities?q=boiler");
    expect(noKey.status).toBe(401);
    expect(noKey.headers["content-type"]).toBe("application/problem+json");
    const badLimit = await send(agent, "GET", "/api/v1/opportunities?limit=abc", { authorization: `Bearer ${key}` });
    expect(badLimit.status).toBe(422);
    expect(JSON.parse(badLimit.body.toString())).toMatchObject({ code: "validation_failed" });
    expect(reachedNext).toEqual([]);
  });

  it("takes a JSON body, and an unread or over-long body still gets its answer on a connection that carries on", async () => {
    // Its own agent: one socket, so every request below must go over the same connection.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const before = connections;
    const created = await send(
      agent,
      "POST",
      "/api/v1/alerts",
      { authorization: `Bearer ${key}`, "content-type": "application/json" },
      JSON.stringify({
        name: "Boilers",
        frequency: "weekly",
        naics: ["5415"],
        states: ["va"],
        delivery_email: "ops@example.com",
      }),
    );
    expect(created.status, created.body.toString()).toBe(201);
    const { id } = JSON.parse(created.body.toString()) as { id: string };
    const read = await send(agent, "GET", `/api/v1/alerts/${id}`, { authorization: `Bearer ${key}` });
    expect(JSON.parse(read.body.toString())).toMatchObject({ id, name: "Boilers" });

    // Refused before the body is read: 401.
    const big = Buffer.alloc(300_000, "x");
    const refused = await send(agent, "POST", "/api/v1/alerts", { "content-type": "application/json" }, big);
    expect(refused.status).toBe(401);
    // Cut off at the size limit while reading (no Content-Length to refuse it by): 413.
    const tooLong = await new Promise<number>((resolve, reject) => {
      const request = http.request(
        `${base}/api/v1/alerts`,
        {
          method: "POST",
          agent,
          headers: {
            authorization: `Bearer ${key}`,
            "content-type": "application/json",
            "transfer-encoding": "chunked",
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode!));
        },
      );
      request.on("error", reject);
      for (let i = 0; i < 30; i++) request.write(Buffer.alloc(10_000, " "));
      request.end("{}");
    });
    expect(tooLong).toBe(413);
    const after = await send(agent, "GET", "/api/v1/me", { authorization: `Bearer ${key}` });
    expect(after.status).toBe(200);
    expect(connections - before).toBe(1);
    agent.destroy();
  });

  it("answers Stripe's webhook with its route's handler: a signed delivery is stored, an unsigned one is a 400 Problem", async () => {
    const event = fixture("stripe-ruby-mock__customer.updated.json");
    event.id = `evt_before_next_${Date.now().toString(36)}`;
    const { payload, header } = signed(event);
    const headers = { "content-type": "application/json", "stripe-signature": header };
    const delivered = await send(agent, "POST", "/api/webhooks/stripe", headers, payload);
    expect(delivered.status).toBe(200);
    expect(JSON.parse(delivered.body.toString())).toEqual({ received: true, duplicate: false });
    const again = await send(agent, "POST", "/api/webhooks/stripe", headers, payload);
    expect(JSON.parse(again.body.toString())).toEqual({ received: true, duplicate: true });
    const unsigned = await send(agent, "POST", "/api/webhooks/stripe", { "content-type": "application/json" }, "{}");
    expect(unsigned.status).toBe(400);
    expect(unsigned.headers["content-type"]).toBe("application/problem+json");
    expect(reachedNext).toEqual([]);
  });

  it("leaves everything else to Next.js: other paths and methods, a trailing slash, a malformed escape", async () => {
    const auth = { authorization: `Bearer ${key}` };
    for (const [method, path] of [
      ["HEAD", "/api/v1/opportunities"],
      ["OPTIONS", "/api/v1/opportunities"],
      ["PUT", "/api/v1/opportunities"],
      ["GET", "/api/v1/opportunities/"],
      ["GET", "/api/v1/opportunities/%E0%A4%A"],
      ["GET", "/api/app/alerts"],
      ["GET", "/opportunities"],
      ["GET", "//api/v1/opportunities"],
    ] as const) {
      const answered = await send(agent, method, path, auth);
      expect(answered.status, `${method} ${path}`).toBe(NEXT_ANSWERED);
    }
    expect(reachedNext).toHaveLength(8);
  });
  it("once stopped, leaves every request to the server's own handler again", async () => {
    stopServingBeforeNext();
    const answered = await send(agent, "GET", "/api/v1/opportunities", { authorization: `Bearer ${key}` });
    expect(answered.status).toBe(NEXT_ANSWERED);
    expect(reachedNext).toEqual(["GET /api/v1/opportunities"]);
  });
});
