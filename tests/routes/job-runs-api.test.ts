// The operator job-run API and the Inngest serve endpoint, through the real handlers,
// authenticators and database.
import { randomUUID } from "node:crypto";
import { beforeAll, expect, it } from "vitest";
import * as inngestRoute from "@/app/api/inngest/route";
import * as jobRun from "@/app/api/admin/job-runs/[id]/route";
import * as jobRunRerun from "@/app/api/admin/job-runs/[id]/rerun/route";
import * as jobRuns from "@/app/api/admin/job-runs/route";
import { FUNCTIONS } from "@/inngest/functions";
import { heartbeat } from "@/inngest/functions/heartbeat";
import { makeOrg } from "@/tests/support/factories";
import { runFunctionLocally } from "@/lib/jobs";
import { describeOnOneDatabase } from "@/tests/db";
import { withTestEnv } from "@/tests/env";
import {
  callRoute as call,
  operatorCookies,
  sessionCookieFor,
  TEST_BASE_URL as BASE,
  type RouteHandler as Handler,
} from "@/tests/route-helpers";

// The serve endpoint answers GET only in dev mode (or signed, in production); it reads
// INNGEST_DEV on each request.
withTestEnv({ INNGEST_DEV: "1" });

it("GET /api/inngest lists every registered function (dev mode)", async () => {
  const response = await (inngestRoute.GET as unknown as Handler)(new Request(`${BASE}/api/inngest`));
  expect(response.status).toBe(200);
  const body = await response.json();
  expect(body.function_count).toBe(FUNCTIONS.length);
  expect(body.mode).toBe("dev");
});

describeOnOneDatabase("operator job-run API", () => {
  const cookies: Record<string, string> = {};
  let runId = "";

  beforeAll(async () => {
    Object.assign(cookies, await operatorCookies());
    const customer = await makeOrg("pro", "Customer Co");
    cookies.customer = await sessionCookieFor(customer.owner.userId);
    runId = (
      await runFunctionLocally(heartbeat, {
        event: { name: "inngest/scheduled.timer", data: { cron: "* * * * *", note: "ask jane.doe@example.com" } },
        trigger: "cli",
      })
    ).jobRunId;
  });

  it("lists runs for operators (viewers see e-mails masked); customers and anonymous callers are refused", async () => {
    const list = await call(jobRuns.GET, {
      path: "/api/admin/job-runs?function=heartbeat&status=succeeded&limit=10",
      cookie: cookies.ops_support,
    });
    expect(list.status).toBe(200);
    const body = await list.json();
    expect(body.next_cursor).toBeNull();
    expect(body.data).toEqual([
      expect.objectContaining({
        id: runId,
        function_id: "heartbeat",
        trigger: "cli",
        status: "succeeded",
        event_payload: { cron: "* * * * *", note: "ask jane.doe@example.com" },
      }),
    ]);

    const masked = await (
      await call(jobRuns.GET, { path: "/api/admin/job-runs?q=jane", cookie: cookies.ops_viewer })
    ).json();
    expect(masked.data.map((r: { id: string }) => r.id)).toEqual([runId]);
    expect(masked.data[0].event_payload.note).not.toContain("jane.doe@example.com");

    expect((await call(jobRuns.GET, { path: "/api/admin/job-runs", cookie: cookies.customer })).status).toBe(403);
    expect((await call(jobRuns.GET, { path: "/api/admin/job-runs" })).status).toBe(401);
    const invalid = await call(jobRuns.GET, {
      path: "/api/admin/job-runs?status=exploded&cursor=zzz",
      cookie: cookies.ops_admin,
    });
    expect(invalid.status).toBe(422);
  });

  it("GET /api/admin/job-runs/{id} returns the run with its step log; unknown ids are 404", async () => {
    const one = await call(jobRun.GET, { path: `/api/admin/job-runs/${runId}`, cookie: cookies.ops_viewer, id: runId });
    expect(one.status).toBe(200);
    const body = await one.json();
    expect(body).toMatchObject({ id: runId, status: "succeeded", reruns: [] });
    expect(body.events.map((e: { kind: string; step_id: string | null }) => `${e.kind}:${e.step_id ?? ""}`)).toEqual([
      "run.started:",
      "step.started:beat",
      "step.finished:beat",
      "run.finished:",
    ]);
    const missing = randomUUID();
    expect(
      (await call(jobRun.GET, { path: `/api/admin/job-runs/${missing}`, cookie: cookies.ops_viewer, id: missing }))
        .status,
    ).toBe(404);
    expect(
      (await call(jobRun.GET, { path: `/api/admin/job-runs/${runId}`, cookie: cookies.customer, id: runId })).status,
    ).toBe(403);
  });

  it("POST …/rerun: ops_support and ops_admin may re-run; ops_viewer and customers get 403", async () => {
    const rerun = (role: string) =>
      call(jobRunRerun.POST, {
        path: `/api/admin/job-runs/${runId}/rerun`,
        method: "POST",
        cookie: cookies[role],
        id: runId,
      });
    for (const role of ["ops_viewer", "customer"]) {
      const refused = await rerun(role);
      expect(refused.status, role).toBe(403);
      expect(refused.headers.get("content-type")).toBe("application/problem+json");
    }
    for (const role of ["ops_support", "ops_admin"]) {
      const ok = await rerun(role);
      expect(ok.status, role).toBe(200);
      expect(await ok.json()).toMatchObject({ job_run_id: expect.any(String), status: "succeeded", rerun_of: runId });
    }
    const detail = await (
      await call(jobRun.GET, { path: `/api/admin/job-runs/${runId}`, cookie: cookies.ops_admin, id: runId })
    ).json();
    expect(detail.reruns).toHaveLength(2);
  });
});
