// The route handlers are thin, but the HTTP contract (API.md) is what clients rely on, so it is
// exercised here through the real handlers, authenticators and database.
import { beforeAll, expect, it } from "vitest";
import * as v1Alert from "@/app/api/v1/alerts/[id]/route";
import * as v1Alerts from "@/app/api/v1/alerts/route";
import * as appAlert from "@/app/api/app/alerts/[id]/route";
import * as appAlerts from "@/app/api/app/alerts/route";
import { createApiKey, createSession, sessionCookieName } from "@/lib/auth";
import { describeOnOneDatabase } from "@/tests/db";
import { addMember, makeOrg, contextOf } from "@/tests/support/factories";
import { systemActor } from "@/lib/context";

const BASE = "http://localhost:3000";

type Handler = (request: Request, context?: { params: Promise<Record<string, string>> }) => Promise<Response>;

function call(
  handler: Handler,
  init: { path: string; method?: string; headers?: Record<string, string>; body?: unknown; raw?: string; id?: string },
) {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined = init.raw;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers["content-type"] ??= "application/json";
  }
  const request = new Request(`${BASE}${init.path}`, { method: init.method ?? "GET", headers, body });
  const params: Record<string, string> = init.id === undefined ? {} : { id: init.id };
  return handler(request, { params: Promise.resolve(params) });
}

describeOnOneDatabase("alerts HTTP API", () => {
  let freeKey = "";
  let otherKey = "";
  let ownerCookie = "";
  let viewerCookie = "";
  let freeOrg = "";

  beforeAll(async () => {
    const free = await makeOrg("free", "Free Co");
    freeOrg = free.orgId;
    freeKey = (await createApiKey(contextOf(free.orgId, systemActor("seed")), { name: "ci" })).key;
    const other = await makeOrg("starter", "Other Co");
    otherKey = (await createApiKey(contextOf(other.orgId, systemActor("seed")), { name: "ci" })).key;
    ownerCookie = `${sessionCookieName()}=${(await createSession(other.owner.userId)).sessionToken}`;
    const viewer = await addMember(other.orgId, "viewer");
    viewerCookie = `${sessionCookieName()}=${(await createSession(viewer.actor.userId)).sessionToken}`;
  });

  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

  it("POST /api/v1/alerts → 201 Alert; GET lists it; the plan's limit answers 403 Problem+JSON", async () => {
    const created = await call(v1Alerts.POST, {
      path: "/api/v1/alerts",
      method: "POST",
      headers: bearer(freeKey),
      body: { name: "Cyber", frequency: "daily", q: "cyber", naics: ["5415"], states: ["va"], set_asides: ["SBA"] },
    });
    expect(created.status).toBe(201);
    const alert = await created.json();
    expect(alert).toMatchObject({
      name: "Cyber",
      frequency: "daily",
      q: "cyber",
      naics: ["5415"],
      states: ["VA"],
      set_asides: ["SBA"],
      active: true,
    });
    expect(Object.keys(alert).sort()).toEqual([
      "active",
      "channel_ids",
      "created_at",
      "delivery_email",
      "digest_limit",
      "frequency",
      "id",
      "last_window_end",
      "naics",
      "name",
      "nothing_new_email",
      "paused_reason",
      "prefer",
      "q",
      "set_asides",
      "states",
    ]);

    const list = await call(v1Alerts.GET, { path: "/api/v1/alerts", headers: bearer(freeKey) });
    expect(list.status).toBe(200);
    expect((await list.json()).data.map((a: { id: string }) => a.id)).toEqual([alert.id]);

    const refused = await call(v1Alerts.POST, {
      path: "/api/v1/alerts",
      method: "POST",
      headers: bearer(freeKey),
      body: { name: "Second", frequency: "weekly" },
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(await refused.json()).toMatchObject({
      code: "forbidden",
      status: 403,
      request_id: expect.stringMatching(/^req_/),
    });

    const one = await call(v1Alert.GET, { path: `/api/v1/alerts/${alert.id}`, headers: bearer(freeKey), id: alert.id });
    expect(await one.json()).toEqual(alert);
  });

  it("bad bodies get 400/415/422 Problem+JSON and create nothing", async () => {
    const cases = [
      { raw: "{not json", headers: { "content-type": "application/json" }, status: 400, code: "invalid_payload" },
      {
        raw: "name=x",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        status: 415,
        code: "unsupported_media_type",
      },
      { body: { name: "x", frequency: "hourly" }, status: 422, code: "validation_failed" },
      { body: { name: "x", frequency: "daily", org_id: freeOrg }, status: 422, code: "validation_failed" },
      { body: { name: "x", frequency: "daily", naics: "5415" }, status: 422, code: "validation_failed" },
      { body: { name: "'; drop table alerts; --", frequency: "daily", q: 42 }, status: 422, code: "validation_failed" },
      { body: [], status: 422, code: "validation_failed" },
    ];
    for (const c of cases) {
      const response = await call(v1Alerts.POST, {
        path: "/api/v1/alerts",
        method: "POST",
        ...c,
        headers: { ...bearer(otherKey), ...c.headers },
      });
      expect({ status: response.status, code: (await response.json()).code }).toEqual({
        status: c.status,
        code: c.code,
      });
    }
    const invalid = await call(v1Alerts.POST, {
      path: "/api/v1/alerts",
      method: "POST",
      headers: bearer(otherKey),
      body: { name: "", frequency: "daily", naics: ["12345678"] },
    });
    expect((await invalid.json()).errors).toEqual(
      expect.arrayContaining([
        { path: "name", message: expect.any(String) },
        { path: "naics.0", message: expect.any(String) },
      ]),
    );
    const list = await call(v1Alerts.GET, { path: "/api/v1/alerts", headers: bearer(otherKey) });
    expect((await list.json()).data).toEqual([]);
  });

  it("DELETE /api/v1/alerts/{id} → 204; another org's id, an unknown one or garbage → 404", async () => {
    const created = await (
      await call(v1Alerts.POST, {
        path: "/api/v1/alerts",
        method: "POST",
        headers: bearer(otherKey),
        body: { name: "Temp", frequency: "instant" },
      })
    ).json();
    for (const id of [created.id, "00000000-0000-4000-8000-000000000000", "garbage"]) {
      const foreign = await call(v1Alert.DELETE, {
        path: `/api/v1/alerts/${id}`,
        method: "DELETE",
        headers: bearer(freeKey),
        id,
      });
      expect(foreign.status).toBe(404);
      expect((await foreign.json()).code).toBe("not_found");
    }
    const deleted = await call(v1Alert.DELETE, {
      path: `/api/v1/alerts/${created.id}`,
      method: "DELETE",
      headers: bearer(otherKey),
      id: created.id,
    });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe("");
    const again = await call(v1Alert.DELETE, {
      path: `/api/v1/alerts/${created.id}`,
      method: "DELETE",
      headers: bearer(otherKey),
      id: created.id,
    });
    expect(again.status).toBe(404);
  });

  it("no or a bad API key → 401", async () => {
    expect((await call(v1Alerts.GET, { path: "/api/v1/alerts" })).status).toBe(401);
    expect(
      (await call(v1Alerts.GET, { path: "/api/v1/alerts", headers: bearer("bk_test_" + "x".repeat(32)) })).status,
    ).toBe(401);
  });

  it("the app routes: members manage, viewers read; usage says how many of the plan's alerts are used", async () => {
    const headers = { cookie: ownerCookie, origin: BASE };
    const created = await call(appAlerts.POST, {
      path: "/api/app/alerts",
      method: "POST",
      headers,
      body: { name: "From the page", frequency: "weekly", naics: ["236"], nothing_new_email: true },
    });
    expect(created.status).toBe(201);
    const alert = await created.json();
    expect(alert.nothing_new_email).toBe(true);

    const patched = await call(appAlert.PATCH, {
      path: `/api/app/alerts/${alert.id}`,
      method: "PATCH",
      headers,
      body: { active: false, nothing_new_email: false },
      id: alert.id,
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ active: false, nothing_new_email: false });

    const page = await (
      await call(appAlerts.GET, { path: "/api/app/alerts", headers: { cookie: viewerCookie } })
    ).json();
    expect(page.data.map((a: { id: string }) => a.id)).toContain(alert.id);
    expect(page.usage).toEqual({ used: 0, max: 10, plan: "Starter", held: 0 });

    const viewerHeaders = { cookie: viewerCookie, origin: BASE };
    const denied = await call(appAlert.PATCH, {
      path: `/api/app/alerts/${alert.id}`,
      method: "PATCH",
      headers: viewerHeaders,
      body: { active: true },
      id: alert.id,
    });
    expect(denied.status).toBe(403);
    expect(
      (
        await call(appAlerts.POST, {
          path: "/api/app/alerts",
          method: "POST",
          headers: viewerHeaders,
          body: { name: "x", frequency: "daily" },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await call(appAlert.DELETE, {
          path: `/api/app/alerts/${alert.id}`,
          method: "DELETE",
          headers: viewerHeaders,
          id: alert.id,
        })
      ).status,
    ).toBe(403);

    const crossSite = await call(appAlert.DELETE, {
      path: `/api/app/alerts/${alert.id}`,
      method: "DELETE",
      headers: { cookie: ownerCookie, origin: "https://evil.example" },
      id: alert.id,
    });
    expect(crossSite.status).toBe(403);
    expect(
      (await call(appAlert.DELETE, { path: `/api/app/alerts/${alert.id}`, method: "DELETE", headers, id: alert.id }))
        .status,
    ).toBe(204);
    expect((await call(appAlerts.GET, { path: "/api/app/alerts" })).status).toBe(401);
  });
});
