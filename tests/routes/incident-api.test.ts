// Incident mode across every operator write route, break-glass and flags, through the real
// handlers, authenticators and database.
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import * as breakGlass from "@/app/api/admin/break-glass/route";
import * as breakGlassOne from "@/app/api/admin/break-glass/[id]/route";
import * as customerAction from "@/app/api/admin/customers/[id]/actions/[action]/route";
import * as customer from "@/app/api/admin/customers/[id]/route";
import * as deadLetter from "@/app/api/admin/dead-letters/[id]/route";
import * as deadLetterReplay from "@/app/api/admin/dead-letters/[id]/replay/route";
import * as bulkReplay from "@/app/api/admin/dead-letters/replay/route";
import * as flag from "@/app/api/admin/flags/[key]/route";
import * as flags from "@/app/api/admin/flags/route";
import * as pauseFn from "@/app/api/admin/job-functions/[id]/pause/route";
import * as resumeFn from "@/app/api/admin/job-functions/[id]/resume/route";
import * as cancelRun from "@/app/api/admin/job-runs/[id]/cancel/route";
import * as jobRerun from "@/app/api/admin/job-runs/[id]/rerun/route";
import * as bulkRerun from "@/app/api/admin/job-runs/rerun/route";
import * as circuitRetry from "@/app/api/admin/outbox-circuits/retry/route";
import * as resetTotp from "@/app/api/admin/operators/[id]/reset-totp/route";
import * as stripeReprocess from "@/app/api/admin/stripe-events/[id]/reprocess/route";
import { db } from "@/db/client";
import { auditLog, breakGlassSessions, jobRuns, outboxCircuits, outboxEvents } from "@/db/schema";
import { heartbeat } from "@/inngest/functions/heartbeat";
import { makeOrg } from "@/tests/support/factories";
import { createOperator } from "@/lib/auth";
import { runFunctionLocally } from "@/lib/jobs";
import { fakeInngestForFile } from "@/tests/support/inngest";
import { describeOnOneDatabase } from "@/tests/db";
import { perTestEnv } from "@/tests/env";
import { callRoute, operatorCookies, type RouteHandler } from "@/tests/route-helpers";

const ADMIN_API = path.join(process.cwd(), "app/api/admin");
const handler = (h: unknown) => h as RouteHandler;

// Bulk re-run and cancel send events: to a local server speaking Inngest's Event API.
fakeInngestForFile();

const setEnv = perTestEnv();

interface WriteCase {
  /** Method and route template, as found under app/api/admin. */
  name: string;
  /** Makes a fresh target, so the refused call and the allowed one act on the same thing. */
  setup: () => Promise<{
    handler: RouteHandler;
    method: string;
    path: string;
    params: Record<string, string>;
    body?: unknown;
  }>;
  /** What the route answers once past the read-only guard. */
  ok: number;
}

describeOnOneDatabase("incident mode over the operator API", () => {
  let cookies: Awaited<ReturnType<typeof operatorCookies>>;
  let orgId = "";

  beforeAll(async () => {
    cookies = await operatorCookies();
    orgId = (await makeOrg("pro", "Incident Co")).orgId;
  });

  async function deadRow() {
    const [row] = await db()
      .insert(outboxEvents)
      .values({
        orgId,
        kind: "email",
        dedupeKey: `incident-${randomUUID()}`,
        payload: { kind: "test", to: "ops@example.com", subject: "Hello", text: "Body" },
        status: "dead",
        attempts: 8,
        lastError: "SMTP 550",
      })
      .returning({ id: outboxEvents.id });
    return row!.id;
  }

  const setIncidentMode = (enabled: boolean, cookie = cookies.ops_admin) =>
    callRoute(handler(flag.PUT), {
      path: "/api/admin/flags/incident_mode",
      method: "PUT",
      params: { key: "incident_mode" },
      cookie,
      body: { enabled, reason: enabled ? "database failover" : "resolved" },
    });

  async function startSession(cookie = cookies.ops_admin) {
    const response = await callRoute(handler(breakGlass.POST), {
      path: "/api/admin/break-glass",
      method: "POST",
      cookie,
      body: { reason: "replaying after the failover", ttl_minutes: 10 },
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; token: string; expires_at: string };
  }

  const WRITES: WriteCase[] = [
    {
      name: "POST dead-letters/{id}/replay",
      ok: 200,
      setup: async () => {
        const id = await deadRow();
        return {
          handler: handler(deadLetterReplay.POST),
          method: "POST",
          path: `/api/admin/dead-letters/${id}/replay`,
          params: { id },
        };
      },
    },
    {
      name: "DELETE dead-letters/{id}",
      ok: 204,
      setup: async () => {
        const id = await deadRow();
        return {
          handler: handler(deadLetter.DELETE),
          method: "DELETE",
          path: `/api/admin/dead-letters/${id}`,
          params: { id },
        };
      },
    },
    {
      name: "POST dead-letters/replay",
      ok: 200,
      setup: async () => ({
        handler: handler(bulkReplay.POST),
        method: "POST",
        path: "/api/admin/dead-letters/replay",
        params: {},
        body: { ids: [await deadRow()] },
      }),
    },
    {
      name: "POST outbox-circuits/retry",
      ok: 200,
      setup: async () => {
        const destination = `webhook:https://incident-${randomUUID().slice(0, 8)}.example.com`;
        await db()
          .insert(outboxCircuits)
          .values({
            destination,
            state: "open",
            consecutiveFailures: 5,
            trips: 1,
            openedAt: new Date(),
            openUntil: new Date(Date.now() + 60_000),
          });
        return {
          handler: handler(circuitRetry.POST),
          method: "POST",
          path: "/api/admin/outbox-circuits/retry",
          params: {},
          body: { destination },
        };
      },
    },
    {
      name: "POST job-runs/{id}/rerun",
      ok: 200,
      setup: async () => {
        const { jobRunId } = await runFunctionLocally(heartbeat, {
          event: { name: "inngest/scheduled.timer", data: { cron: "* * * * *" } },
          trigger: "cli",
        });
        return {
          handler: handler(jobRerun.POST),
          method: "POST",
          path: `/api/admin/job-runs/${jobRunId}/rerun`,
          params: { id: jobRunId },
        };
      },
    },
    {
      // Past the guard an unknown event is 404: the guard, not the event, is what is tested here.
      name: "POST stripe-events/{id}/reprocess",
      ok: 404,
      setup: async () => ({
        handler: handler(stripeReprocess.POST),
        method: "POST",
        path: "/api/admin/stripe-events/evt_unknown/reprocess",
        params: { id: "evt_unknown" },
      }),
    },
    {
      name: "POST customers/{id}/actions/{action}",
      ok: 200,
      setup: async () => ({
        handler: handler(customerAction.POST),
        method: "POST",
        path: `/api/admin/customers/${orgId}/actions/grant-credits`,
        params: { id: orgId, action: "grant-credits" },
        body: { credits: 5, reason: "outage goodwill" },
      }),
    },
    {
      name: "POST customers/{id}/actions/{action} (mute-alerts)",
      ok: 200,
      setup: async () => ({
        handler: handler(customerAction.POST),
        method: "POST",
        path: `/api/admin/customers/${orgId}/actions/mute-alerts`,
        params: { id: orgId, action: "mute-alerts" },
        body: { hours: 2 },
      }),
    },
    {
      name: "DELETE customers/{id}",
      ok: 204,
      setup: async () => {
        const name = `Doomed ${randomUUID().slice(0, 6)}`;
        const doomed = await makeOrg("free", name);
        return {
          handler: handler(customer.DELETE),
          method: "DELETE",
          path: `/api/admin/customers/${doomed.orgId}`,
          params: { id: doomed.orgId },
          body: { confirm_name: name },
        };
      },
    },
    {
      name: "POST operators/{id}/reset-totp",
      ok: 200,
      setup: async () => {
        const target = await createOperator({
          email: `reset-${randomUUID().slice(0, 8)}@beacon.test`,
          password: "correct horse battery staple 42",
          role: "ops_support",
        });
        return {
          handler: handler(resetTotp.POST),
          method: "POST",
          path: `/api/admin/operators/${target.userId}/reset-totp`,
          params: { id: target.userId },
        };
      },
    },
    {
      name: "POST job-runs/rerun",
      ok: 200,
      setup: async () => {
        const marker = `incident-${randomUUID().slice(0, 8)}`;
        await db()
          .insert(jobRuns)
          .values({
            functionId: "instant-alerts",
            runId: `run-${randomUUID()}`,
            eventName: "opportunities/ingested",
            eventId: `evt-${randomUUID()}`,
            eventPayload: { marker },
            status: "failed",
            error: "boom",
          });
        return {
          handler: handler(bulkRerun.POST),
          method: "POST",
          path: "/api/admin/job-runs/rerun",
          params: {},
          body: {
            filter: { function: "instant-alerts", status: "failed", q: marker },
            label: "after the outage",
            confirm: 1,
          },
        };
      },
    },
    {
      name: "POST job-runs/{id}/cancel",
      ok: 200,
      setup: async () => {
        const [run] = await db()
          .insert(jobRuns)
          .values({
            functionId: "instant-alerts",
            runId: `run-${randomUUID()}`,
            eventName: "opportunities/ingested",
            eventId: `evt-${randomUUID()}`,
            status: "running",
            startedAt: new Date(),
          })
          .returning({ id: jobRuns.id });
        return {
          handler: handler(cancelRun.POST),
          method: "POST",
          path: `/api/admin/job-runs/${run!.id}/cancel`,
          params: { id: run!.id },
        };
      },
    },
    {
      name: "POST job-functions/{id}/pause",
      ok: 200,
      setup: async () => ({
        handler: handler(pauseFn.POST),
        method: "POST",
        path: "/api/admin/job-functions/retention/pause",
        params: { id: "retention" },
      }),
    },
    {
      name: "POST job-functions/{id}/resume",
      ok: 200,
      setup: async () => ({
        handler: handler(resumeFn.POST),
        method: "POST",
        path: "/api/admin/job-functions/retention/resume",
        params: { id: "retention" },
      }),
    },
    {
      name: "PUT flags/{key}",
      ok: 200,
      setup: async () => ({
        handler: handler(flag.PUT),
        method: "PUT",
        path: "/api/admin/flags/opportunity_ingestion",
        params: { key: "opportunity_ingestion" },
        body: { enabled: true },
      }),
    },
  ];

  it("the table covers every write route under app/api/admin (break-glass itself is exempt)", () => {
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name === "route.ts") {
          const template = path
            .relative(ADMIN_API, path.dirname(full))
            .split(path.sep)
            .join("/")
            .replace(/\[(\w+)\]/g, "{$1}");
          for (const [, method] of readFileSync(full, "utf8").matchAll(/export const (POST|PUT|PATCH|DELETE)\b/g))
            found.push(`${method} ${template}`);
        }
      }
    };
    walk(ADMIN_API);
    const covered = new Set(WRITES.map((w) => w.name.replace(/ \(.*\)$/, "")));
    expect(found.filter((r) => !r.includes("break-glass")).sort()).toEqual([...covered].sort());
  });

  for (const write of WRITES) {
    it(`${write.name}: 409 read_only in incident mode, ${write.ok} with the operator's break-glass token (audited under the session)`, async () => {
      expect((await setIncidentMode(true)).status).toBe(200);
      const call = await write.setup();
      const refused = await callRoute(call.handler, { ...call, cookie: cookies.ops_admin });
      expect(refused.status).toBe(409);
      expect(await refused.json()).toMatchObject({ code: "read_only" });

      const session = await startSession();
      const requestId = `req-incident-${randomUUID()}`;
      const allowed = await callRoute(call.handler, {
        ...call,
        cookie: cookies.ops_admin,
        headers: { "x-break-glass-token": session.token, "x-request-id": requestId },
      });
      expect(allowed.status).toBe(write.ok);
      if (write.ok < 300) {
        const entries = await db().select().from(auditLog).where(eq(auditLog.requestId, requestId));
        expect(entries.length).toBeGreaterThan(0);
        for (const entry of entries) expect(entry.breakGlassSessionId).toBe(session.id);
      }
      expect((await setIncidentMode(false)).status).toBe(200);
    });
  }

  it("ADMIN_READ_ONLY=true is read-only too, and cannot be lifted by turning the flag off", async () => {
    setEnv({ ADMIN_READ_ONLY: "true" });
    expect((await setIncidentMode(false)).status).toBe(200);
    const id = await deadRow();
    const refused = await callRoute(handler(deadLetterReplay.POST), {
      path: `/api/admin/dead-letters/${id}/replay`,
      method: "POST",
      id,
      cookie: cookies.ops_admin,
    });
    expect(refused.status).toBe(409);
    const session = await startSession();
    const allowed = await callRoute(handler(deadLetterReplay.POST), {
      path: `/api/admin/dead-letters/${id}/replay`,
      method: "POST",
      id,
      cookie: cookies.ops_admin,
      headers: { "x-break-glass-token": session.token },
    });
    expect(allowed.status).toBe(200);
  });

  it("break-glass: ops_admin only, reason required; the token works for its operator only; ending it is audited and final", async () => {
    expect((await setIncidentMode(true)).status).toBe(200);
    for (const role of ["ops_support", "ops_viewer"] as const) {
      const refused = await callRoute(handler(breakGlass.POST), {
        path: "/api/admin/break-glass",
        method: "POST",
        cookie: cookies[role],
        body: { reason: "I would like to write please" },
      });
      expect(refused.status).toBe(403);
    }
    expect(
      (
        await callRoute(handler(breakGlass.POST), {
          path: "/api/admin/break-glass",
          method: "POST",
          cookie: cookies.unverified,
          body: { reason: "I would like to write please" },
        })
      ).status,
    ).toBe(401);
    const short = await callRoute(handler(breakGlass.POST), {
      path: "/api/admin/break-glass",
      method: "POST",
      cookie: cookies.ops_admin,
      body: { reason: "because" },
    });
    expect(short.status).toBe(422);
    const tooLong = await callRoute(handler(breakGlass.POST), {
      path: "/api/admin/break-glass",
      method: "POST",
      cookie: cookies.ops_admin,
      body: { reason: "a long enough reason", ttl_minutes: 600 },
    });
    expect(tooLong.status).toBe(422);

    const session = await startSession();
    expect(new Date(session.expires_at).getTime()).toBeGreaterThan(Date.now());
    const [stored] = await db().select().from(breakGlassSessions).where(eq(breakGlassSessions.id, session.id));
    expect(JSON.stringify(stored)).not.toContain(session.token);

    // ops_support may replay dead letters, but not with an ops_admin's token.
    const id = await deadRow();
    const borrowed = await callRoute(handler(deadLetterReplay.POST), {
      path: `/api/admin/dead-letters/${id}/replay`,
      method: "POST",
      id,
      cookie: cookies.ops_support,
      headers: { "x-break-glass-token": session.token },
    });
    expect(borrowed.status).toBe(403);

    const ended = await callRoute(handler(breakGlassOne.DELETE), {
      path: `/api/admin/break-glass/${session.id}`,
      method: "DELETE",
      id: session.id,
      cookie: cookies.ops_admin,
    });
    expect(ended.status).toBe(200);
    expect(
      (
        await callRoute(handler(breakGlassOne.DELETE), {
          path: `/api/admin/break-glass/${session.id}`,
          method: "DELETE",
          id: session.id,
          cookie: cookies.ops_admin,
        })
      ).status,
    ).toBe(409);
    const revoked = await callRoute(handler(deadLetterReplay.POST), {
      path: `/api/admin/dead-letters/${id}/replay`,
      method: "POST",
      id,
      cookie: cookies.ops_admin,
      headers: { "x-break-glass-token": session.token },
    });
    expect(revoked.status).toBe(409);
    const trail = await db().select().from(auditLog).where(eq(auditLog.targetId, session.id));
    expect(trail.map((e) => e.action).sort()).toEqual(["ops.break_glass.ended", "ops.break_glass.started"]);
    expect((await setIncidentMode(false)).status).toBe(200);
  });

  it("flags: everyone reads them, only ops_admin sets them, each change audited; unknown keys are 404", async () => {
    const list = await callRoute(handler(flags.GET), { path: "/api/admin/flags", cookie: cookies.ops_viewer });
    expect(list.status).toBe(200);
    expect((await list.json()).data.map((f: { key: string }) => f.key).sort()).toEqual([
      "incident_mode",
      "instant_alerts",
      "opportunity_ingestion",
      "signups",
    ]);
    const put = (cookie: string, key = "instant_alerts") =>
      callRoute(handler(flag.PUT), {
        path: `/api/admin/flags/${key}`,
        method: "PUT",
        params: { key },
        cookie,
        body: { enabled: false, reason: "noisy" },
      });
    expect((await put(cookies.ops_support)).status).toBe(403);
    expect((await put(cookies.ops_admin, "nope")).status).toBe(404);
    const requestId = `req-flag-${randomUUID()}`;
    const changed = await callRoute(handler(flag.PUT), {
      path: "/api/admin/flags/instant_alerts",
      method: "PUT",
      params: { key: "instant_alerts" },
      cookie: cookies.ops_admin,
      body: { enabled: false },
      headers: { "x-request-id": requestId },
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ key: "instant_alerts", enabled: false });
    const [entry] = await db().select().from(auditLog).where(eq(auditLog.requestId, requestId));
    expect(entry).toMatchObject({
      action: "ops.flag.updated",
      targetId: "instant_alerts",
      before: { enabled: true, overridden: false },
      after: { enabled: false },
      breakGlassSessionId: null,
    });
    expect(
      (
        await callRoute(handler(flag.PUT), {
          path: "/api/admin/flags/instant_alerts",
          method: "PUT",
          params: { key: "instant_alerts" },
          cookie: cookies.ops_admin,
          body: { enabled: true },
        })
      ).status,
    ).toBe(200);
  });

  it("ADMIN_IP_ALLOWLIST_CIDRS: the operator API answers 403 Problem+JSON to other networks", async () => {
    setEnv({ ADMIN_IP_ALLOWLIST_CIDRS: "10.0.0.0/8,2001:db8::/32" });
    const outside = await callRoute(handler(flags.GET), {
      path: "/api/admin/flags",
      cookie: cookies.ops_admin,
      headers: { "x-forwarded-for": "10.0.0.1, 203.0.113.9" },
    });
    expect(outside.status).toBe(403);
    expect(outside.headers.get("content-type")).toBe("application/problem+json");
    expect(await outside.json()).toMatchObject({ code: "forbidden" });
    for (const peer of ["10.1.2.3", "2001:db8::42"]) {
      expect(
        (
          await callRoute(handler(flags.GET), {
            path: "/api/admin/flags",
            cookie: cookies.ops_admin,
            headers: { "x-forwarded-for": peer },
          })
        ).status,
      ).toBe(200);
    }
  });
});
