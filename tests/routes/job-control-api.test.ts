// Operator control of background work over HTTP — bulk re-run by filter, cancel, pause/resume —
// and the overview stats, through the real handlers, authenticators and database. Inngest's
// Event API is the fake server (real wire format).
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import * as jobFunctions from "@/app/api/admin/job-functions/route";
import * as pause from "@/app/api/admin/job-functions/[id]/pause/route";
import * as resume from "@/app/api/admin/job-functions/[id]/resume/route";
import * as cancel from "@/app/api/admin/job-runs/[id]/cancel/route";
import * as bulkRerun from "@/app/api/admin/job-runs/rerun/route";
import * as stats from "@/app/api/admin/stats/route";
import { db } from "@/db/client";
import { auditLog, jobRuns } from "@/db/schema";
import { makeOrg } from "@/tests/support/factories";
import { fakeInngestForFile } from "@/tests/support/inngest";
import { describeOnOneDatabase } from "@/tests/db";
import { perTestEnv } from "@/tests/env";
import { callRoute as call, operatorCookies, sessionCookieFor } from "@/tests/route-helpers";

const inngestApi = fakeInngestForFile();
const setEnv = perTestEnv();

function readOnly() {
  setEnv({ ADMIN_READ_ONLY: "true" });
}

async function failedRun(marker: string) {
  const [row] = await db()
    .insert(jobRuns)
    .values({
      functionId: "instant-alerts",
      runId: `run-${randomUUID()}`,
      trigger: "event",
      eventName: "opportunities/ingested",
      eventId: `evt-${randomUUID()}`,
      eventPayload: { marker },
      status: "failed",
      error: "Error: boom",
    })
    .returning({ id: jobRuns.id });
  return row!.id;
}

describeOnOneDatabase("operator job control API", () => {
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    Object.assign(cookies, await operatorCookies());
    const customer = await makeOrg("pro", "Jobs Customer Co");
    cookies.customer = await sessionCookieFor(customer.owner.userId);
  });

  it("bulk re-run: GET states the count; POST needs a name and the exact count, is refused to viewers and in incident mode, and is audited once", async () => {
    const marker = `m-${randomUUID().slice(0, 8)}`;
    const originals = [await failedRun(marker), await failedRun(marker)];
    const query = `/api/admin/job-runs/rerun?function=instant-alerts&status=failed&q=${marker}`;
    const count = await call(bulkRerun.GET, { path: query, cookie: cookies.ops_viewer });
    expect(count.status).toBe(200);
    expect(await count.json()).toEqual({ matched: 2, cap: 500, allowed: true });

    const body = (extra: Record<string, unknown>) => ({
      filter: { function: "instant-alerts", status: "failed", q: marker },
      label: "replay after outage",
      ...extra,
    });
    const post = (cookie: string | undefined, payload: unknown) =>
      call(bulkRerun.POST, { path: "/api/admin/job-runs/rerun", method: "POST", cookie, body: payload });

    expect((await post(cookies.ops_viewer, body({ confirm: 2 }))).status).toBe(403);
    expect((await post(cookies.customer, body({ confirm: 2 }))).status).toBe(403);
    const unconfirmed = await post(cookies.ops_support, { filter: { q: marker }, label: "replay after outage" });
    expect(unconfirmed.status).toBe(422);
    const unnamed = await post(cookies.ops_support, { filter: { q: marker }, confirm: 2 });
    expect(unnamed.status).toBe(422);
    const wrongCount = await post(cookies.ops_support, body({ confirm: 3 }));
    expect(wrongCount.status).toBe(409);
    expect((await wrongCount.json()).detail).toMatch(/2 runs match this filter now, not 3/);
    readOnly();
    const incident = await post(cookies.ops_support, body({ confirm: 2 }));
    expect(incident.status).toBe(409);
    expect((await incident.json()).code).toBe("read_only");
    afterReadOnly();

    const sentBefore = inngestApi.events.length;
    const ok = await post(cookies.ops_support, body({ confirm: 2 }));
    expect(ok.status).toBe(200);
    const result = await ok.json();
    expect(result).toMatchObject({ matched: 2, rerun_count: 2, failed: null });
    expect(result.reruns.map((r: { rerun_of: string }) => r.rerun_of).sort()).toEqual([...originals].sort());
    expect(inngestApi.events.slice(sentBefore).map((e) => e.name)).toEqual([
      "opportunities/ingested",
      "opportunities/ingested",
    ]);
    const linked = await db()
      .select()
      .from(jobRuns)
      .where(and(eq(jobRuns.trigger, "rerun"), eq(jobRuns.functionId, "instant-alerts")));
    expect(linked.filter((r) => originals.includes(r.rerunOf!))).toHaveLength(2);
    const audits = await db().select().from(auditLog).where(eq(auditLog.action, "job_run.bulk_rerun"));
    expect(audits).toEqual([
      expect.objectContaining({
        id: result.audit_id,
        reason: "replay after outage",
        before: expect.objectContaining({ matched: 2 }),
      }),
    ]);
  });

  it("cancel: ops_support cancels a running run (cancel event sent, audited); viewers, incident mode and finished runs are refused", async () => {
    const eventId = `evt-${randomUUID()}`;
    const [running] = await db()
      .insert(jobRuns)
      .values({
        functionId: "instant-alerts",
        runId: `run-${randomUUID()}`,
        eventName: "opportunities/ingested",
        eventId,
        status: "running",
        startedAt: new Date(),
      })
      .returning({ id: jobRuns.id });
    const id = running!.id;
    const post = (cookie: string | undefined, runId = id) =>
      call(cancel.POST, {
        path: `/api/admin/job-runs/${runId}/cancel`,
        method: "POST",
        cookie,
        id: runId,
        body: { reason: "stuck on a bad payload" },
      });
    expect((await post(cookies.ops_viewer)).status).toBe(403);
    readOnly();
    expect((await post(cookies.ops_support)).status).toBe(409);
    afterReadOnly();

    const sentBefore = inngestApi.events.length;
    const ok = await post(cookies.ops_support);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ job_run_id: id, status: "cancelled", cancel_event_id: `cancel-${id}` });
    expect(inngestApi.events.slice(sentBefore)).toEqual([
      expect.objectContaining({
        name: "ops/job.cancel.requested",
        data: expect.objectContaining({ event_id: eventId }),
      }),
    ]);
    expect(
      await db()
        .select({ action: auditLog.action, reason: auditLog.reason })
        .from(auditLog)
        .where(eq(auditLog.targetId, id)),
    ).toEqual([{ action: "job_run.cancel", reason: "stuck on a bad payload" }]);

    const again = await post(cookies.ops_support);
    expect(again.status).toBe(409);
    const missing = randomUUID();
    expect((await post(cookies.ops_support, missing)).status).toBe(404);
  });

  it("pause/resume: ops_admin only, audited, visible in GET job-functions; incident mode refuses", async () => {
    const path = (action: string) => `/api/admin/job-functions/retention/${action}`;
    expect(
      (
        await call(pause.POST, {
          path: path("pause"),
          method: "POST",
          cookie: cookies.ops_support,
          id: "retention",
          body: {},
        })
      ).status,
    ).toBe(403);
    readOnly();
    expect(
      (
        await call(pause.POST, {
          path: path("pause"),
          method: "POST",
          cookie: cookies.ops_admin,
          id: "retention",
          body: {},
        })
      ).status,
    ).toBe(409);
    afterReadOnly();

    const paused = await call(pause.POST, {
      path: path("pause"),
      method: "POST",
      cookie: cookies.ops_admin,
      id: "retention",
      body: { reason: "disk migration" },
    });
    expect(paused.status).toBe(200);
    expect(await paused.json()).toEqual({ function_id: "retention", paused_at: expect.any(String) });
    const listed = await (
      await call(jobFunctions.GET, { path: "/api/admin/job-functions", cookie: cookies.ops_viewer })
    ).json();
    expect(listed.data.find((f: { id: string }) => f.id === "retention")).toMatchObject({
      scheduled: true,
      paused_at: expect.any(String),
      cancellable: true,
    });
    expect(listed.data.find((f: { id: string }) => f.id === "heartbeat")).toMatchObject({ paused_at: null });

    expect(
      (
        await call(pause.POST, {
          path: path("pause"),
          method: "POST",
          cookie: cookies.ops_admin,
          id: "retention",
          body: {},
        })
      ).status,
    ).toBe(409);
    const eventOnly = await call(pause.POST, {
      path: "/api/admin/job-functions/data-requests/pause",
      method: "POST",
      cookie: cookies.ops_admin,
      id: "data-requests",
      body: {},
    });
    expect(eventOnly.status).toBe(409);
    const resumed = await call(resume.POST, {
      path: path("resume"),
      method: "POST",
      cookie: cookies.ops_admin,
      id: "retention",
      body: {},
    });
    expect(resumed.status).toBe(200);
    expect(await resumed.json()).toEqual({ function_id: "retention", paused_at: null });
    const audits = await db()
      .select({ action: auditLog.action, reason: auditLog.reason })
      .from(auditLog)
      .where(eq(auditLog.targetId, "retention"));
    expect(audits.map((a) => a.action).sort()).toEqual(["job_function.pause", "job_function.resume"]);
  });

  it("GET /api/admin/stats: health, business metrics and 24 hourly job buckets, for operators only", async () => {
    const response = await call(stats.GET, { path: "/api/admin/stats", cookie: cookies.ops_viewer });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.jobs_last_24h).toHaveLength(24);
    expect(body.business).toMatchObject({
      mrr_cents: expect.any(Number),
      subscriptions: { active: expect.any(Number), trialing: expect.any(Number), past_due: expect.any(Number) },
      churn: { window_days: 30 },
      funnel: { window_days: 30 },
    });
    expect(body.business.funnel.signed_up).toBeGreaterThanOrEqual(1);
    expect(body.health).toMatchObject({
      stripe_events_by_status: { received: 0, processing: 0, processed: 0, failed: 0 },
      stale_heartbeats: expect.any(Array),
    });
    expect(body.counts.organizations).toBeGreaterThanOrEqual(1);
    expect((await call(stats.GET, { path: "/api/admin/stats", cookie: cookies.customer })).status).toBe(403);
    expect((await call(stats.GET, { path: "/api/admin/stats" })).status).toBe(401);
  });
});

function afterReadOnly() {
  setEnv({ ADMIN_READ_ONLY: undefined });
}
