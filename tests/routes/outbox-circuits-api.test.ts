// The operator outbox-circuit API through the real handlers, authenticators and database.
import { and, eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import * as circuitsRoute from "@/app/api/admin/outbox-circuits/route";
import * as retryRoute from "@/app/api/admin/outbox-circuits/retry/route";
import { db } from "@/db/client";
import { auditLog, outboxCircuits } from "@/db/schema";
import { describeOnOneDatabase } from "@/tests/db";
import { callRoute as call, operatorCookies } from "@/tests/route-helpers";

describeOnOneDatabase("operator outbox circuits API", () => {
  let cookies: Awaited<ReturnType<typeof operatorCookies>>;
  const opened = new Date("2026-11-22T08:00:00.000Z");

  beforeAll(async () => {
    cookies = await operatorCookies();
    await db()
      .insert(outboxCircuits)
      .values([
        {
          destination: "smtp",
          state: "open",
          consecutiveFailures: 7,
          trips: 2,
          openedAt: opened,
          openUntil: new Date(opened.getTime() + 120_000),
          lastError: "connect ECONNREFUSED 10.0.0.5:587 for jane.doe@example.com",
          lastFailureAt: opened,
        },
        {
          destination: "webhook:https://hooks.example.com",
          state: "closed",
          consecutiveFailures: 2,
          lastError: "webhook answered HTTP 502",
        },
        { destination: "webhook:https://fine.example.com", state: "closed", consecutiveFailures: 0 },
      ]);
  });

  it("lists paused destinations first (viewers see addresses masked); all=true adds healthy ones; customers and unverified operators are refused", async () => {
    const support = await call(circuitsRoute.GET, { path: "/api/admin/outbox-circuits", cookie: cookies.ops_support });
    expect(support.status).toBe(200);
    const { data } = (await support.json()) as { data: Record<string, unknown>[] };
    expect(data.map((c) => c.destination)).toEqual(["smtp", "webhook:https://hooks.example.com"]);
    expect(data[0]).toMatchObject({
      state: "open",
      consecutive_failures: 7,
      trips: 2,
      opened_at: opened.toISOString(),
      open_until: "2026-11-22T08:02:00.000Z",
      last_error: expect.stringContaining("jane.doe@example.com"),
    });
    const viewer = (await (
      await call(circuitsRoute.GET, { path: "/api/admin/outbox-circuits", cookie: cookies.ops_viewer })
    ).json()) as { data: Record<string, unknown>[] };
    expect(JSON.stringify(viewer.data)).not.toContain("jane.doe@example.com");
    const all = (await (
      await call(circuitsRoute.GET, { path: "/api/admin/outbox-circuits?all=true", cookie: cookies.ops_viewer })
    ).json()) as { data: Record<string, unknown>[] };
    expect(all.data).toHaveLength(3);
    expect(
      (await call(circuitsRoute.GET, { path: "/api/admin/outbox-circuits", cookie: cookies.unverified })).status,
    ).toBe(401);
  });

  it("retry makes an open circuit half-open for one probe, audited with the request id; viewers are refused; closed and unknown ones answer 409 and 404", async () => {
    const body = { destination: "smtp", reason: "relay restarted" };
    expect(
      (
        await call(retryRoute.POST, {
          path: "/api/admin/outbox-circuits/retry",
          method: "POST",
          cookie: cookies.ops_viewer,
          body,
        })
      ).status,
    ).toBe(403);
    const response = await call(retryRoute.POST, {
      path: "/api/admin/outbox-circuits/retry",
      method: "POST",
      cookie: cookies.ops_support,
      body,
      headers: { "x-request-id": "req-circuit-retry" },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      data: { destination: "smtp", state: "half_open", probe_until: null },
    });
    const [entry] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "outbox.circuit_retry"), eq(auditLog.requestId, "req-circuit-retry")));
    expect(entry).toMatchObject({
      targetType: "outbox_circuit",
      targetId: "smtp",
      reason: "relay restarted",
      actorType: "operator",
      before: { state: "open" },
      after: { state: "half_open" },
    });

    const closed = await call(retryRoute.POST, {
      path: "/api/admin/outbox-circuits/retry",
      method: "POST",
      cookie: cookies.ops_support,
      body: { destination: "webhook:https://hooks.example.com" },
    });
    expect(closed.status).toBe(409);
    const unknown = await call(retryRoute.POST, {
      path: "/api/admin/outbox-circuits/retry",
      method: "POST",
      cookie: cookies.ops_support,
      body: { destination: "webhook:https://nowhere.example.com" },
    });
    expect(unknown.status).toBe(404);
    expect(
      (
        await call(retryRoute.POST, {
          path: "/api/admin/outbox-circuits/retry",
          method: "POST",
          cookie: cookies.ops_support,
          body: {},
        })
      ).status,
    ).toBe(422);
  });
});
