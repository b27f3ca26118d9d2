// One request id per request at every edge: proxy.ts gives pages and server actions theirs (and
// sends it back), `runFormAction` carries it into logs, the audit trail and its answer, and
// counts the action in the latency metric.
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { proxy } from "@/proxy";
import { db } from "@/db/client";
import { auditLog } from "@/db/schema";
import { recordAudit, SYSTEM_ACTOR } from "@/lib/audit";
import { metricsExposition } from "@/lib/health";
import { currentRequestId } from "@/lib/observability";
import { describeEachDatabase } from "@/tests/db";
import { perTestEnv } from "@/tests/env";
import { eq } from "drizzle-orm";
import { AppError, pathPattern, REQUEST_PATH_HEADER, runFormAction } from "./index";

const setEnv = perTestEnv();

function form(fields: Record<string, string>) {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
}

describe("proxy: a request id for every page and server action", () => {
  it("makes one, passes it on to the app with the path, and sends it back", () => {
    const response = proxy(new NextRequest("http://localhost:3000/onboarding/alert"));
    const id = response.headers.get("x-request-id");
    expect(id).toMatch(/^req_[A-Za-z0-9_-]{16}$/);
    expect(response.headers.get("x-middleware-request-x-request-id")).toBe(id);
    expect(response.headers.get(`x-middleware-request-${REQUEST_PATH_HEADER}`)).toBe("/onboarding/alert");
  });

  it("echoes a well-formed incoming id and replaces a malformed one", () => {
    const kept = proxy(
      new NextRequest("http://localhost:3000/dashboard", { headers: { "x-request-id": "trace-1234567890" } }),
    );
    expect(kept.headers.get("x-request-id")).toBe("trace-1234567890");
    const replaced = proxy(
      new NextRequest("http://localhost:3000/dashboard", { headers: { "x-request-id": "bad id <script>" } }),
    );
    expect(replaced.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("refuses the cockpit and the operator API outside ADMIN_IP_ALLOWLIST_CIDRS, naming the request", async () => {
    setEnv({ ADMIN_IP_ALLOWLIST_CIDRS: "10.9.0.0/16" });
    const refused = proxy(
      new NextRequest("http://localhost:3000/api/admin/stats", { headers: { "x-forwarded-for": "203.0.113.9" } }),
    );
    expect(refused.status).toBe(403);
    const body = (await refused.json()) as { request_id: string };
    expect(body.request_id).toBe(refused.headers.get("x-request-id"));
    const page = proxy(
      new NextRequest("http://localhost:3000/admin/ops", { headers: { "x-forwarded-for": "203.0.113.9" } }),
    );
    expect(page.status).toBe(403);
    // The customer app is not the cockpit: served from anywhere.
    expect(
      proxy(new NextRequest("http://localhost:3000/dashboard", { headers: { "x-forwarded-for": "203.0.113.9" } }))
        .status,
    ).toBe(200);
  });

  it("folds ids out of page paths for metrics", () => {
    expect(pathPattern("/admin/ops/customers/0b6f1c2e-8d1a-4c7e-9f57-1a2b3c4d5e6f")).toBe("/admin/ops/customers/[id]");
    expect(pathPattern("/admin/ops/stripe-events/evt_1AbCdEfGhIjKlMn")).toBe("/admin/ops/stripe-events/[id]");
    expect(pathPattern("/onboarding/alert")).toBe("/onboarding/alert");
  });
});

describeEachDatabase("server actions carry their request", () => {
  it("the id reaches the code inside, its audit rows and the form's answer; the action is timed", async () => {
    let seen: string | undefined;
    const state = await runFormAction(
      form({ reason: "traced" }),
      z.object({ reason: z.string() }),
      async ({ reason }) => {
        seen = currentRequestId();
        await recordAudit(db(), { actor: SYSTEM_ACTOR, action: "test.traced", reason });
      },
    );
    expect(state.status).toBe("success");
    expect(state.requestId).toMatch(/^req_/);
    expect(seen).toBe(state.requestId);
    const [row] = await db().select().from(auditLog).where(eq(auditLog.action, "test.traced"));
    expect(row!.requestId).toBe(state.requestId);

    const refused = await runFormAction(form({}), z.object({}), async () => {
      throw new AppError("forbidden", "Not you.");
    });
    expect(refused).toMatchObject({ status: "error", message: "Not you." });
    expect(refused.requestId).toMatch(/^req_/);
    expect(refused.requestId).not.toBe(state.requestId);
    const { body: text } = await metricsExposition();
    expect(text).toMatch(
      /beacon_http_request_duration_seconds_count\{route="action unknown",method="POST",status_class="2xx"\} [1-9]/,
    );
    expect(text).toMatch(
      /beacon_http_request_duration_seconds_count\{route="action unknown",method="POST",status_class="4xx"\} [1-9]/,
    );
  });
});
