// Counterexamples the hostile-input sweep (./route-sweep.test.ts) found, kept as plain tests:
// each was a 500 (or an HTML error page) for client input before its fix.
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import * as authRoute from "@/app/api/auth/[...nextauth]/route";
import * as customerAction from "@/app/api/admin/customers/[id]/actions/[action]/route";
import * as deadLetters from "@/app/api/admin/dead-letters/route";
import * as appAlerts from "@/app/api/app/alerts/route";
import * as inngestRoute from "@/app/api/inngest/route";
import * as v1Alerts from "@/app/api/v1/alerts/route";
import { createApiKey } from "@/lib/auth";
import { makeOrg, contextOf } from "@/tests/support/factories";
import { pathOfNulCharacter } from "@/lib/http/body";
import { describeEachDatabase } from "@/tests/db";
import { withTestEnv } from "@/tests/env";
import { callRoute, operatorCookies, sessionCookieFor } from "@/tests/route-helpers";
import { changedTables, databaseFingerprint } from "./db-fingerprint";
import { systemActor } from "@/lib/context";

withTestEnv({ INNGEST_SIGNING_KEY: `signkey-test-${"cd".repeat(32)}`, INNGEST_DEV: "0" });

async function problem(response: Response) {
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  return (await response.json()) as { status: number; code: string; errors?: { path: string }[] };
}

describe("pathOfNulCharacter", () => {
  it("finds a NUL anywhere in a JSON value and names its path", () => {
    expect(pathOfNulCharacter({ a: ["x", { b: "c\u0000" }] })).toBe("a.1.b");
    expect(pathOfNulCharacter("\u0000")).toBe("(root)");
    expect(pathOfNulCharacter({ a: "fine", n: 1, z: null })).toBeNull();
  });
});

describeEachDatabase("hostile-input regressions", () => {
  let opsAdmin = "";
  let ownerCookie = "";
  let apiKey = "";
  let orgId = "";

  beforeAll(async () => {
    opsAdmin = (await operatorCookies()).ops_admin;
    const org = await makeOrg("pro", "Regression Co");
    orgId = org.orgId;
    ownerCookie = await sessionCookieFor(org.owner.userId);
    apiKey = (await createApiKey(contextOf(org.orgId, systemActor("seed")), { name: "r" })).key;
  });

  it("customer action named after an Object.prototype key (__proto__, constructor) → 404, not 500", async () => {
    for (const action of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      const response = await callRoute(customerAction.POST, {
        path: `/api/admin/customers/${orgId}/actions/${action}`,
        method: "POST",
        cookie: opsAdmin,
        params: { id: orgId, action },
        body: { reason: "x" },
      });
      expect({ action, status: response.status }).toEqual({ action, status: 404 });
      expect((await problem(response)).code).toBe("not_found");
    }
  });

  it("a NUL character in a query or a JSON string → 422 naming the field (PostgreSQL text cannot hold it)", async () => {
    const before = await databaseFingerprint();
    const listed = await callRoute(deadLetters.GET, { path: "/api/admin/dead-letters?q=a%00b", cookie: opsAdmin });
    expect(listed.status).toBe(422);
    expect((await problem(listed)).errors).toEqual([{ path: "q", message: expect.any(String) }]);
    const created = await callRoute(v1Alerts.POST, {
      path: "/api/v1/alerts",
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}` },
      body: { name: "a\u0000b", frequency: "daily" },
    });
    expect(created.status).toBe(422);
    expect((await problem(created)).errors).toEqual([{ path: "name", message: expect.any(String) }]);
    expect(changedTables(before, await databaseFingerprint())).toEqual([]);
  });

  it("`Origin: null` (sandboxed frame) on a cookie-authenticated write → 403, not 500", async () => {
    const response = await callRoute(appAlerts.POST, {
      path: "/api/app/alerts",
      method: "POST",
      cookie: ownerCookie,
      headers: { origin: "null", "x-forwarded-host": "evil.example" },
      body: { name: "x", frequency: "daily" },
    });
    expect(response.status).toBe(403);
    expect((await problem(response)).code).toBe("forbidden");
  });

  it("Auth.js: an unparseable callbackUrl parameter or callback-url cookie no longer answers 500", async () => {
    const csrf = await authRoute.GET(new NextRequest("http://localhost:3000/api/auth/csrf?callbackUrl=%25"));
    expect(csrf.status).toBe(200);
    const session = await authRoute.GET(
      new NextRequest("http://localhost:3000/api/auth/session?callbackUrl=dashboard&callbackUrl=x", {
        headers: { cookie: "authjs.callback-url=%25zz; other=1" },
      }),
    );
    expect(session.status).toBe(200);
    const cookie = await authRoute.GET(
      new NextRequest("http://localhost:3000/api/auth/providers", {
        headers: { cookie: "authjs.callback-url=javascript:alert(1)" },
      }),
    );
    expect(cookie.status).toBe(200);
  });

  it("Inngest endpoint: a malformed JSON body → 400 Problem+JSON instead of a thrown SyntaxError", async () => {
    for (const method of ["POST", "PUT"] as const) {
      const response = await inngestRoute[method](
        new NextRequest("http://localhost:3000/api/inngest", {
          method,
          body: '{"a": 1} trailing',
          headers: { "content-type": "application/json" },
        }),
        undefined as never,
      );
      expect({ method, status: response.status }).toEqual({ method, status: 400 });
      expect((await problem(response)).code).toBe("invalid_payload");
    }
    // A well-formed but unsigned call still meets the SDK's own signature check.
    const unsigned = await inngestRoute.POST(
      new NextRequest("http://localhost:3000/api/inngest?fnId=x&stepId=step", {
        method: "POST",
        body: "{}",
        headers: { "content-type": "application/json" },
      }),
      undefined as never,
    );
    expect(unsigned.status).toBe(401);
  });
});
