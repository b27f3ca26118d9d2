import { expect, test, type APIRequestContext, type APIResponse, type BrowserContext } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { signIn, uniqueEmail } from "./helpers";
import { paidOwner } from "./paid-orgs";

/**
 * Hostile input over real HTTP: every refusal is a 4xx Problem+JSON (never a 5xx), carries its
 * request id, leaks no stack trace or SQL, and changes nothing in the organisation.
 */

type Who = "owner" | "anonymous";
interface Case {
  name: string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  /** A string is sent as raw bytes (Playwright would re-encode unparsable "JSON" strings); anything else as JSON. */
  data?: unknown;
  headers?: Record<string, string>;
  who?: Who;
  status: number;
  code: string;
  /** Send with Node's fetch (not Playwright): no Content-Type at all, or a chunked body with no Content-Length. */
  bareFetch?: boolean;
  chunkedBytes?: number;
  check?: (body: Record<string, unknown>) => void;
}

const JSON_TYPE = { "content-type": "application/json" };
const expectFieldErrors = (body: Record<string, unknown>) => {
  expect(Array.isArray(body.errors) && body.errors.length > 0, "errors[] present").toBe(true);
  for (const e of body.errors as { path: unknown; message: unknown }[]) {
    expect(typeof e.path).toBe("string");
    expect(typeof e.message).toBe("string");
  }
};
const invalid = (name: string, path: string, data: unknown, extra: Partial<Case> = {}): Case => ({
  name,
  method: "POST",
  path,
  data,
  headers: typeof data === "string" ? JSON_TYPE : undefined,
  status: 422,
  code: "validation_failed",
  check: expectFieldErrors,
  ...extra,
});
const padded = (bytes: number) => JSON.stringify({ email: "x@y.co", role: "member", pad: "x".repeat(bytes) });

const INV = "/api/app/invitations";
const KEYS = "/api/app/api-keys";
const CASES: Case[] = [
  {
    name: "malformed JSON",
    method: "POST",
    path: INV,
    data: '{"email":',
    headers: JSON_TYPE,
    status: 400,
    code: "invalid_payload",
  },
  {
    name: "text/plain body",
    method: "POST",
    path: INV,
    data: padded(0),
    headers: { "content-type": "text/plain" },
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "empty content-type",
    method: "POST",
    path: INV,
    data: padded(0),
    headers: { "content-type": "" },
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "no content-type at all",
    method: "POST",
    path: INV,
    data: padded(0),
    bareFetch: true,
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "70 KiB JSON",
    method: "POST",
    path: INV,
    data: padded(70 * 1024),
    headers: JSON_TYPE,
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "1 MiB chunked, no Content-Length",
    method: "POST",
    path: INV,
    headers: JSON_TYPE,
    bareFetch: true,
    chunkedBytes: 1024 * 1024,
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "5 MiB JSON",
    method: "POST",
    path: INV,
    data: padded(5 * 1024 * 1024),
    headers: JSON_TYPE,
    status: 413,
    code: "payload_too_large",
  },
  invalid(
    "unknown field",
    INV,
    { email: "x@y.co", role: "member", admin: true },
    {
      check: (b) => {
        expectFieldErrors(b);
        expect(JSON.stringify(b.errors)).toContain("admin");
      },
    },
  ),
  invalid(
    "wrong types",
    INV,
    { email: 123, role: ["owner"] },
    {
      check: (b) => {
        expectFieldErrors(b);
        expect((b.errors as { path: string }[]).map((e) => e.path).sort()).toEqual(["email", "role"]);
      },
    },
  ),
  invalid("10k-character e-mail", INV, { email: `${"a".repeat(10_000)}@x.co`, role: "member" }),
  invalid("role superowner", INV, { email: "x@y.co", role: "superowner" }),
  invalid("SQL injection e-mail", INV, { email: "' OR 1=1 --@x.co", role: "member" }),
  invalid("HTML injection e-mail", INV, { email: "<script>alert(1)</script>@x.co", role: "member" }),
  invalid("JSON array body", INV, "[]"),
  invalid("JSON null body", INV, "null"),
  invalid("JSON number body", INV, "42"),
  invalid("empty key name", KEYS, { name: "" }),
  invalid("81-character key name", KEYS, { name: "x".repeat(81) }),
  invalid("markup key name + extra field", KEYS, { name: "<img src=x onerror=alert(1)>", extra: 1 }),
  {
    name: "PATCH unknown member",
    method: "PATCH",
    path: `/api/app/members/${randomUUID()}`,
    data: { role: "admin" },
    status: 404,
    code: "not_found",
  },
  {
    name: "PATCH non-uuid member",
    method: "PATCH",
    path: "/api/app/members/not-a-uuid",
    data: { role: "admin" },
    status: 404,
    code: "not_found",
  },
  {
    name: "DELETE key with SQL id",
    method: "DELETE",
    path: `${KEYS}/${encodeURIComponent("'; drop table users;--")}`,
    status: 404,
    code: "not_found",
  },
  {
    name: "DELETE unknown invitation",
    method: "DELETE",
    path: `${INV}/${randomUUID()}`,
    status: 404,
    code: "not_found",
  },
  {
    name: "cross-site write",
    method: "POST",
    path: KEYS,
    data: { name: "evil" },
    headers: { origin: "https://evil.example" },
    status: 403,
    code: "forbidden",
  },
  {
    name: "anonymous members list",
    method: "GET",
    path: "/api/app/members",
    who: "anonymous",
    status: 401,
    code: "unauthorized",
  },
  {
    name: "guessed API key",
    method: "GET",
    path: "/api/v1/me",
    headers: { authorization: "Bearer bk_live_guessed" },
    who: "anonymous",
    status: 401,
    code: "unauthorized",
  },
  {
    name: "Basic credentials",
    method: "GET",
    path: "/api/v1/me",
    headers: { authorization: "Basic abc" },
    who: "anonymous",
    status: 401,
    code: "unauthorized",
  },
  {
    name: "anonymous admin config",
    method: "GET",
    path: "/api/admin/config",
    who: "anonymous",
    status: 401,
    code: "unauthorized",
  },
  ...(["GET", "POST", "DELETE"] as const).flatMap((method) =>
    ["/api/does-not-exist", "/api/v1/nope"].map((path): Case => ({
      name: `${method} unknown route ${path}`,
      method,
      path,
      status: 404,
      code: "not_found",
    })),
  ),
  {
    name: "well-formed X-Request-Id echoed",
    method: "GET",
    path: "/api/does-not-exist",
    headers: { "x-request-id": "test-req-123456" },
    status: 404,
    code: "not_found",
    check: (b) => expect(b.request_id).toBe("test-req-123456"),
  },
  {
    name: "malformed X-Request-Id replaced",
    method: "GET",
    path: "/api/does-not-exist",
    headers: { "x-request-id": "bad id with spaces" },
    status: 404,
    code: "not_found",
    check: (b) => expect(b.request_id).toMatch(/^req_[A-Za-z0-9_-]+$/),
  },
];

let owner: BrowserContext;
let ownerRequest: APIRequestContext;
let before: { members: unknown; keys: unknown };

async function snapshot(api: APIRequestContext) {
  const members = await api.get("/api/app/members");
  const keys = await api.get(KEYS);
  expect(members.status()).toBe(200);
  expect(keys.status()).toBe(200);
  return { members: await members.json(), keys: await keys.json() };
}

test.beforeAll(async ({ browser }) => {
  owner = await browser.newContext();
  const page = await owner.newPage();
  // A paid org (a free one has no seat to hold the open invitation below).
  const hostile = paidOwner("hostile");
  await signIn(page, hostile.email, hostile.password);
  await expect(page).not.toHaveURL(/\/sign-in/);
  ownerRequest = page.request;
  // Some state to protect: one open invitation and one API key.
  expect((await ownerRequest.post(INV, { data: { email: uniqueEmail("guest"), role: "member" } })).status()).toBe(201);
  expect((await ownerRequest.post(KEYS, { data: { name: "existing" } })).status()).toBe(201);
  before = await snapshot(ownerRequest);
  expect((before.members as { invitations: unknown[] }).invitations).toHaveLength(1);
  expect((before.keys as { data: unknown[] }).data).toHaveLength(1);
});

test.afterAll(async () => {
  await owner?.close();
});

/** `{"pad":"xxx…"}` streamed in 64 KiB chunks, so the server only learns the size by reading. */
function chunkedJson(bytes: number) {
  const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === 0) controller.enqueue(new TextEncoder().encode('{"pad":"'));
      if (sent >= bytes) {
        controller.enqueue(new TextEncoder().encode('"}'));
        controller.close();
        return;
      }
      controller.enqueue(chunk);
      sent += chunk.byteLength;
    },
  });
}

async function send(
  c: Case,
  api: APIRequestContext,
  baseURL: string,
): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  if (c.bareFetch) {
    const cookie = (await owner.cookies()).map((k) => `${k.name}=${k.value}`).join("; ");
    const body = c.chunkedBytes ? chunkedJson(c.chunkedBytes) : new TextEncoder().encode(String(c.data));
    const res = await fetch(new URL(c.path, baseURL), {
      method: c.method,
      headers: { ...c.headers, cookie },
      body,
      duplex: "half",
    } as RequestInit);
    return { status: res.status, headers: Object.fromEntries(res.headers), text: await res.text() };
  }
  const data = typeof c.data === "string" ? Buffer.from(c.data) : c.data;
  const res: APIResponse = await api.fetch(c.path, { method: c.method, data, headers: c.headers, maxRedirects: 0 });
  return { status: res.status(), headers: res.headers(), text: await res.text() };
}

for (const c of CASES) {
  test(`refuses: ${c.name} → ${c.status}`, async ({ request, baseURL }) => {
    const { status, headers, text } = await send(c, c.who === "anonymous" ? request : ownerRequest, baseURL!);
    expect(status, text).toBe(c.status);
    expect(headers["content-type"]).toContain("application/problem+json");
    const body = JSON.parse(text) as Record<string, unknown>;
    expect(body).toMatchObject({ type: `https://beacon.dev/problems/${c.code}`, status: c.status, code: c.code });
    for (const field of ["title", "detail", "request_id"]) expect(typeof body[field], field).toBe("string");
    expect(headers["x-request-id"]).toBe(body.request_id);
    // Nothing about internals: no stack frames, no SQL, no ORM names.
    expect(text).not.toMatch(/\bat\s+\S+\s*\(?\S*:\d+:\d+/);
    expect(text).not.toMatch(/\n\s+at /);
    expect(text.toLowerCase()).not.toContain("select ");
    expect(text.toLowerCase()).not.toContain("drizzle");
    expect(body).not.toHaveProperty("stack");
    c.check?.(body);
  });
}

test("nothing changed after the hostile requests", async () => {
  expect(await snapshot(ownerRequest)).toEqual(before);
});

test("positive control: a valid API key request still succeeds", async () => {
  const res = await ownerRequest.post(KEYS, { data: { name: "ok" } });
  expect(res.status(), await res.text()).toBe(201);
  expect(res.headers()["x-request-id"]).toMatch(/^req_/);
  const keys = (await (await ownerRequest.get(KEYS)).json()).data as { name: string }[];
  expect(keys.map((k) => k.name).sort()).toEqual(["existing", "ok"]);
});
