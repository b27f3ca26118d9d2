import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  AppError,
  PROBLEMS,
  PROBLEM_CONTENT_TYPE,
  newRequestId,
  parseJsonBody,
  parseQuery,
  route,
  serveWithFetchHandler,
  type ProblemCode,
} from "@/lib/http";

const CODES = Object.keys(PROBLEMS) as ProblemCode[];

function post(body: BodyInit | null, headers: Record<string, string> = {}) {
  return new Request("http://beacon.test/api/things", { method: "POST", headers, body });
}

/** Runs `fn` through route() so the AppError it throws comes back as the real HTTP response. */
async function respond(fn: () => Promise<unknown>, headers: Record<string, string> = {}) {
  const handler = route(async () => ({ body: await fn() }));
  const response = await handler(new Request("http://beacon.test/api/x", { headers }));
  return { response, body: (await response.json()) as Record<string, unknown> };
}

async function expectProblem(promise: Promise<unknown>, code: ProblemCode) {
  const error = await promise.then(
    () => {
      throw new Error(`expected AppError ${code}, got success`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  expect((error as AppError).status).toBe(PROBLEMS[code].status);
  return error as AppError;
}

describe("AppError → Problem+JSON", () => {
  it("covers the whole contract table", () => {
    expect(CODES).toHaveLength(15);
  });

  it.each(CODES)("%s becomes a problem response with its status, type and request id", async (code) => {
    const handler = route(async () => {
      throw new AppError(code, `detail for ${code}`, { hint: "h" });
    });
    const response = await handler(
      new Request("http://beacon.test/api/x", { headers: { "x-request-id": "req-abcdef123" } }),
    );
    expect(response.status).toBe(PROBLEMS[code].status);
    expect(response.headers.get("content-type")).toBe(PROBLEM_CONTENT_TYPE);
    expect(response.headers.get("x-request-id")).toBe("req-abcdef123");
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      type: `https://beacon.dev/problems/${code}`,
      title: PROBLEMS[code].title,
      status: PROBLEMS[code].status,
      code,
      detail: `detail for ${code}`,
      request_id: "req-abcdef123",
      hint: "h",
    });
  });

  it("puts extra headers on the response, not in the body", async () => {
    const handler = route(async () => {
      throw new AppError("rate_limited", "slow down", { headers: { "retry-after": "7" } });
    });
    const response = await handler(new Request("http://beacon.test/api/x"));
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("7");
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).not.toHaveProperty("headers");
  });
});

describe("route()", () => {
  it("echoes a well-formed incoming X-Request-Id on success", async () => {
    const handler = route(async ({ requestId }) => ({ status: 201, body: { requestId } }));
    const response = await handler(
      new Request("http://beacon.test/api/x", { headers: { "x-request-id": "abc.DEF_123:456-789" } }),
    );
    expect(response.status).toBe(201);
    expect(response.headers.get("x-request-id")).toBe("abc.DEF_123:456-789");
    expect(await response.json()).toEqual({ requestId: "abc.DEF_123:456-789" });
  });

  it.each([
    ["containing spaces", "has spaces in it"],
    ["longer than 128 characters", "a".repeat(129)],
    ["too short", "abc"],
    ["with markup characters", "abcdefgh<script>"],
  ])("replaces a malformed X-Request-Id (%s)", async (_label, incoming) => {
    const { response, body } = await respond(
      async () => {
        throw new AppError("not_found");
      },
      { "x-request-id": incoming },
    );
    const id = response.headers.get("x-request-id");
    expect(id).not.toBe(incoming);
    expect(id).toMatch(/^req_[A-Za-z0-9_-]+$/);
    expect(body.request_id).toBe(id);
  });

  it("makes a request id when none is sent", async () => {
    const handler = route(async () => ({ body: { ok: true } }));
    const response = await handler(new Request("http://beacon.test/api/x"));
    expect(response.headers.get("x-request-id")).toMatch(/^req_[A-Za-z0-9_-]{16}$/);
  });

  it("turns an unexpected error into a 500 internal problem that reveals nothing", async () => {
    const secret = "db password is hunter2 at /srv/beacon/lib/secret.ts:42";
    const handler = route(async () => {
      throw new Error(secret);
    });
    const response = await handler(
      new Request("http://beacon.test/api/x", { headers: { "x-request-id": "req-internal-1" } }),
    );
    expect(response.status).toBe(500);
    expect(response.headers.get("content-type")).toBe(PROBLEM_CONTENT_TYPE);
    const text = await response.text();
    const body = JSON.parse(text) as Record<string, unknown>;
    expect(body.code).toBe("internal");
    expect(body.type).toBe("https://beacon.dev/problems/internal");
    expect(body.request_id).toBe("req-internal-1");
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("secret.ts");
    expect(text).not.toMatch(/\bat\s.+:\d+/);
    expect(body).not.toHaveProperty("stack");
  });

  it("passes Next's params through", async () => {
    const handler = route(async ({ params }) => ({ body: params }));
    const response = await handler(new Request("http://beacon.test/api/x"), { params: Promise.resolve({ id: "42" }) });
    expect(await response.json()).toEqual({ id: "42" });
  });
});

describe("newRequestId", () => {
  it("is well-formed and unique across many pools of random bytes", () => {
    const ids = Array.from({ length: 2_000 }, () => newRequestId());
    for (const id of ids) expect(id).toMatch(/^req_[A-Za-z0-9_-]{16}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("parseJsonBody", () => {
  const schema = z.object({ name: z.string(), count: z.number().int() }).strict();

  it("parses a valid JSON body", async () => {
    const value = await parseJsonBody(
      post(JSON.stringify({ name: "a", count: 2 }), { "content-type": "application/json; charset=utf-8" }),
      schema,
    );
    expect(value).toEqual({ name: "a", count: 2 });
  });

  it("accepts +json media types", async () => {
    const value = await parseJsonBody(
      post(JSON.stringify({ name: "a", count: 1 }), { "content-type": "application/merge-patch+json" }),
      schema,
    );
    expect(value.name).toBe("a");
  });

  it("answers 415 for text/plain", async () => {
    await expectProblem(
      parseJsonBody(post(JSON.stringify({ name: "a", count: 1 }), { "content-type": "text/plain" }), schema),
      "unsupported_media_type",
    );
  });

  it("answers 415 without a content type", async () => {
    const request = post(new TextEncoder().encode(JSON.stringify({ name: "a", count: 1 })));
    expect(request.headers.get("content-type")).toBeNull();
    await expectProblem(parseJsonBody(request, schema), "unsupported_media_type");
  });

  it("answers 400 for malformed JSON", async () => {
    await expectProblem(
      parseJsonBody(post('{"name": "a",', { "content-type": "application/json" }), schema),
      "invalid_payload",
    );
  });

  it("answers 413 for a big declared Content-Length before reading", async () => {
    const request = post("x".repeat(200), { "content-type": "application/json", "content-length": "200" });
    await expectProblem(parseJsonBody(request, schema, 100), "payload_too_large");
  });

  it("answers 413 when the body exceeds the limit despite a small Content-Length", async () => {
    const big = JSON.stringify({ name: "x".repeat(5000), count: 1 });
    const request = post(big, { "content-type": "application/json", "content-length": "10" });
    await expectProblem(parseJsonBody(request, schema, 1024), "payload_too_large");
  });

  it("answers 413 for a streamed body over the limit", async () => {
    const chunk = new TextEncoder().encode("[" + "1,".repeat(400));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const request = new Request("http://beacon.test/api/x", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    await expectProblem(parseJsonBody(request, schema, 2048), "payload_too_large");
  });

  it("accepts a body exactly at the limit", async () => {
    const text = JSON.stringify({ name: "abc", count: 1 });
    const value = await parseJsonBody(
      post(text, { "content-type": "application/json" }),
      schema,
      Buffer.byteLength(text),
    );
    expect(value.count).toBe(1);
  });

  it("answers 422 with field errors for unknown fields", async () => {
    const error = await expectProblem(
      parseJsonBody(
        post(JSON.stringify({ name: "a", count: 1, admin: true }), { "content-type": "application/json" }),
        schema,
      ),
      "validation_failed",
    );
    expect(error.extra.errors?.length).toBeGreaterThan(0);
    for (const e of error.extra.errors!) {
      expect(typeof e.path).toBe("string");
      expect(typeof e.message).toBe("string");
    }
    expect(JSON.stringify(error.extra.errors)).toContain("admin");
  });

  it("answers 422 with a path per wrong-typed field", async () => {
    const error = await expectProblem(
      parseJsonBody(post(JSON.stringify({ name: 5, count: "many" }), { "content-type": "application/json" }), schema),
      "validation_failed",
    );
    expect(error.extra.errors!.map((e) => e.path).sort()).toEqual(["count", "name"]);
  });

  it("the 422 reaches the client as errors[{path,message}]", async () => {
    const { response, body } = await respond(() =>
      parseJsonBody(post(JSON.stringify({ name: "a", count: 1.5 }), { "content-type": "application/json" }), schema),
    );
    expect(response.status).toBe(422);
    expect(body.errors).toEqual([{ path: "count", message: expect.any(String) }]);
  });
});

describe("parseQuery", () => {
  const schema = z.object({ tag: z.union([z.string(), z.array(z.string())]), page: z.coerce.number().optional() });

  it("turns repeated keys into arrays", () => {
    const value = parseQuery(new URL("http://beacon.test/x?tag=a&tag=b&tag=c&page=2"), schema);
    expect(value).toEqual({ tag: ["a", "b", "c"], page: 2 });
  });

  it("keeps a single key a string", () => {
    expect(parseQuery(new URL("http://beacon.test/x?tag=a"), schema)).toEqual({ tag: "a" });
  });

  it("answers 422 for an invalid query", () => {
    expect(() => parseQuery(new URL("http://beacon.test/x?page=2"), schema)).toThrow(AppError);
    try {
      parseQuery(new URL("http://beacon.test/x?page=2"), schema);
    } catch (error) {
      expect((error as AppError).code).toBe("validation_failed");
      expect((error as AppError).extra.errors?.[0]?.path).toBe("tag");
    }
  });
});

describe("route() on Node.js's own request (serveWithFetchHandler)", () => {
  /** The same handler through a real node:http server and through its Fetch face. */
  async function bothWays(handler: ReturnType<typeof route>, requestHeaders: Record<string, string> = {}) {
    const server = http.createServer((req, res) => void serveWithFetchHandler(req, res, handler, {}));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const headers = { ...requestHeaders, "x-request-id": "req-both-ways-1" };
      const overNode = await fetch(`http://127.0.0.1:${port}/api/x`, { headers });
      const overFetch = await handler(new Request("http://beacon.test/api/x", { headers }));
      return { overNode, overFetch };
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }
  const sameHeaders = (a: Response, b: Response, names: string[]) =>
    names.forEach((name) => expect(a.headers.get(name), name).toBe(b.headers.get(name)));

  it("answers { body } with the same status, headers and JSON as the Fetch face, without a Response", async () => {
    const handler = route(async () => ({
      status: 201,
      body: { made: "thing", n: 1 },
      headers: { "x-quota-remaining": "7" },
    }));
    const { overNode, overFetch } = await bothWays(handler);
    expect(overNode.status).toBe(201);
    expect(overFetch.status).toBe(201);
    sameHeaders(overNode, overFetch, ["content-type", "cache-control", "x-quota-remaining", "x-request-id"]);
    expect(overNode.headers.get("content-type")).toBe("application/json");
    expect(overNode.headers.get("cache-control")).toBe("no-store");
    expect(await overNode.text()).toBe(await overFetch.text());
  });

  it("lets the route's headers win over the defaults, and gzips a large answer for a client that accepts it", async () => {
    const rows = Array.from({ length: 200 }, (_, i) => ({ id: i, title: `Boiler maintenance ${i}` }));
    const handler = route(async () => ({ body: { rows }, headers: { "cache-control": "private, max-age=60" } }));
    const { overNode, overFetch } = await bothWays(handler, { "accept-encoding": "gzip" });
    sameHeaders(overNode, overFetch, ["cache-control", "content-type"]);
    expect(overNode.headers.get("cache-control")).toBe("private, max-age=60");
    // fetch() decodes the gzip it asked for: the bytes are the Fetch face's.
    expect(overNode.headers.get("content-encoding")).toBe("gzip");
    expect(await overNode.json()).toEqual(await overFetch.json());
  });

  it("answers 204 with no body and no content type, and a handler's own Response as it is", async () => {
    const empty = await bothWays(route(async () => ({ status: 204, body: null })));
    expect(empty.overNode.status).toBe(204);
    expect(empty.overNode.headers.get("content-type")).toBeNull();
    expect(await empty.overNode.text()).toBe("");
    sameHeaders(empty.overNode, empty.overFetch, ["content-type", "x-request-id"]);

    const own = await bothWays(
      route(async () => new Response("plain words", { headers: { "content-type": "text/plain" } })),
    );
    expect(await own.overNode.text()).toBe("plain words");
    sameHeaders(own.overNode, own.overFetch, ["content-type", "x-request-id"]);
  });

  it("answers 500 Problem+JSON both ways when the body cannot be written as JSON", async () => {
    const { overNode, overFetch } = await bothWays(route(async () => ({ body: undefined })));
    expect(overNode.status).toBe(500);
    expect(overFetch.status).toBe(500);
    expect(overNode.headers.get("content-type")).toBe(PROBLEM_CONTENT_TYPE);
  });
});
