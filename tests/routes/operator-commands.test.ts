// Every operator command through both of its edges — the operator API route and the cockpit's
// server action — on a real database: the same answer, the same Problem code for a role without
// the permission and for incident mode, and the same audit entry. Stripe's API and Inngest's
// Event API are the local fakes (real wire format).
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import {
  auditLog,
  billingCustomers,
  dataRequests,
  jobRuns,
  outboxCircuits,
  outboxEvents,
  stripeEvents,
} from "@/db/schema";
import { COMMAND_DEPS } from "@/inngest/command-deps";
import { FUNCTIONS } from "@/inngest/functions";
import { heartbeat } from "@/inngest/functions/heartbeat";
import { makeOrg, operatorContextOf } from "@/tests/support/factories";
import { createOperator, parseCookieHeader, resolveSession, sessionCookieName } from "@/lib/auth";
import { stripeClient } from "@/lib/billing";
import { cronOf, runFunctionLocally } from "@/lib/jobs";
import { fakeInngestForFile } from "@/tests/support/inngest";
import { BREAK_GLASS_COOKIE, startBreakGlass } from "@/lib/ops";
import {
  commandOfRoute,
  isCommandSet,
  OPERATOR_COMMANDS,
  runOperatorCommandForm,
  type AnyOperatorCommand,
  type CommandTarget,
} from "@/lib/ops/commands";
import { describeOnOneDatabase } from "@/tests/db";
import { perTestEnv, withTestEnv } from "@/tests/env";
import { startFakeStripe, type FakeStripe } from "@/tests/fakes/stripe-api";
import { callRoute, operatorCookies, type RouteHandler } from "@/tests/route-helpers";

const ROOT = process.cwd();
const ADMIN_API = path.join(ROOT, "app/api/admin");

fakeInngestForFile();
let stripe: FakeStripe;
beforeAll(async () => {
  stripe = await startFakeStripe();
});
withTestEnv(() => ({ STRIPE_SECRET_KEY: "sk_test_operator_commands", STRIPE_API_BASE_URL: stripe.url }));
afterAll(async () => {
  await stripe.close();
});
const setEnv = perTestEnv();

function readOnly(on: boolean) {
  setEnv({ ADMIN_READ_ONLY: on ? "true" : undefined });
}

/** `POST job-runs/{id}/rerun` for every write method exported by a route file under app/api/admin. */
function adminWriteRoutes() {
  const found: { file: string; method: string; name: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const template = path.relative(ADMIN_API, dir).split(path.sep).join("/");
        for (const [, method] of readFileSync(full, "utf8").matchAll(/export const (POST|PUT|PATCH|DELETE)\b/g))
          found.push({ file: full, method: method!, name: `${method} ${template}` });
      }
    }
  };
  walk(ADMIN_API);
  return found;
}

async function routeHandler(template: string, method: string) {
  const mod = (await import(path.join(ADMIN_API, template, "route.ts"))) as Record<string, unknown>;
  return mod[method] as RouteHandler;
}

function formData(fields: Record<string, string>) {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
}

/** One command's call at both edges, on a target of its own (each edge changes what it acts on). */
interface EdgeCall {
  /** Path parameters, which the cockpit form sends as fields of the same names. */
  params: Record<string, string>;
  body?: unknown;
  /** The cockpit form's fields besides the params (strings, as a browser sends them). */
  form: Record<string, string>;
}

interface CommandCase {
  command: AnyOperatorCommand;
  /** The route it is served at, e.g. `POST dead-letters/[id]/replay`. */
  route: string;
  /** What the API answers past the checks (a 4xx here is the same refusal at both edges). */
  ok: number;
  /** Allowed in incident mode without break-glass (every other command is refused). */
  duringIncident?: "allowed";
  setup: () => Promise<EdgeCall>;
}

const byName = (name: string) => {
  const command = OPERATOR_COMMANDS.find((c) => c.name === name);
  if (!command) throw new Error(`No command ${name}`);
  return command;
};

describeOnOneDatabase("operator commands: one declaration, two edges", () => {
  let cookies: Awaited<ReturnType<typeof operatorCookies>>;
  let admin = { id: "", email: "" };
  let orgId = "";

  beforeAll(async () => {
    cookies = await operatorCookies();
    const session = await resolveSession(parseCookieHeader(cookies.ops_admin).get(sessionCookieName()));
    admin = { id: session!.user.id, email: session!.user.email };
    orgId = (await makeOrg("pro", "Commands Co")).orgId;
  });

  async function deadRow(marker: string = randomUUID()) {
    const [row] = await db()
      .insert(outboxEvents)
      .values({
        orgId,
        kind: "email",
        dedupeKey: `commands-${randomUUID()}`,
        payload: { kind: "test", to: `${marker}@example.com`, subject: "Hello", text: "Body" },
        status: "dead",
        attempts: 8,
        lastError: "SMTP 550",
      })
      .returning({ id: outboxEvents.id });
    return row!.id;
  }

  async function failedRun(status = "failed", marker: string = randomUUID()) {
    const [row] = await db()
      .insert(jobRuns)
      .values({
        functionId: "instant-alerts",
        runId: `run-${randomUUID()}`,
        eventName: "opportunities/ingested",
        eventId: `evt-${randomUUID()}`,
        eventPayload: { marker },
        status,
        startedAt: new Date(),
        error: status === "failed" ? "boom" : null,
      })
      .returning({ id: jobRuns.id });
    return row!.id;
  }

  // Each edge pauses a scheduled function of its own, then resumes it.
  const scheduled = FUNCTIONS.filter((f) => cronOf(f) && f.opts.id !== "heartbeat").map((f) => String(f.opts.id));
  const toPause = [...scheduled];
  const toResume = [...scheduled];

  const CASES: CommandCase[] = [
    {
      command: byName("stripe-events.reprocess"),
      route: "POST stripe-events/[id]/reprocess",
      ok: 200,
      setup: async () => {
        const id = `evt_cmd${randomUUID().replace(/-/g, "")}`;
        stripe.events.push({
          event: {
            id,
            object: "event",
            type: "customer.created",
            created: Math.floor(Date.now() / 1000),
            data: { object: { id: `cus_${id}`, object: "customer" } },
            livemode: false,
            api_version: "2025-01-27",
          },
          delivered: false,
        });
        await db()
          .insert(stripeEvents)
          .values({ id, type: "customer.created", created: new Date(), status: "failed", lastError: "boom" });
        return { params: { id }, form: {} };
      },
    },
    {
      command: byName("dead-letters.replay"),
      route: "POST dead-letters/[id]/replay",
      ok: 200,
      setup: async () => ({ params: { id: await deadRow() }, form: {} }),
    },
    {
      command: byName("dead-letters.discard"),
      route: "DELETE dead-letters/[id]",
      ok: 204,
      setup: async () => ({ params: { id: await deadRow() }, form: {} }),
    },
    {
      command: byName("dead-letters.bulk-replay"),
      route: "POST dead-letters/replay",
      ok: 200,
      setup: async () => {
        const marker = `bulk-${randomUUID().slice(0, 8)}`;
        const id = await deadRow(marker);
        return { params: {}, body: { ids: [id] }, form: { kind: "email", q: marker } };
      },
    },
    {
      command: byName("outbox-circuits.retry"),
      route: "POST outbox-circuits/retry",
      ok: 200,
      setup: async () => {
        const destination = `webhook:https://cmd-${randomUUID().slice(0, 8)}.example.com`;
        await db()
          .insert(outboxCircuits)
          .values({ destination, state: "open", consecutiveFailures: 5, trips: 1, openedAt: new Date() });
        return { params: {}, body: { destination }, form: { destination } };
      },
    },
    {
      command: byName("job-runs.rerun"),
      route: "POST job-runs/[id]/rerun",
      ok: 200,
      setup: async () => {
        const { jobRunId } = await runFunctionLocally(heartbeat, {
          event: { name: "inngest/scheduled.timer", data: { cron: "* * * * *" } },
          trigger: "cli",
        });
        return { params: { id: jobRunId }, form: {} };
      },
    },
    {
      command: byName("job-runs.bulk-rerun"),
      route: "POST job-runs/rerun",
      ok: 200,
      setup: async () => {
        const marker = `cmd-${randomUUID().slice(0, 8)}`;
        await failedRun("failed", marker);
        const filter = { function: "instant-alerts", status: "failed", q: marker };
        return {
          params: {},
          body: { filter, label: "after the outage", confirm: 1 },
          form: { ...filter, org: "", from: "", to: "", label: "after the outage", confirm: "1" },
        };
      },
    },
    {
      command: byName("job-runs.cancel"),
      route: "POST job-runs/[id]/cancel",
      ok: 200,
      setup: async () => ({
        params: { id: await failedRun("running") },
        body: { reason: "stuck" },
        form: { reason: "stuck" },
      }),
    },
    {
      command: byName("job-functions.pause"),
      route: "POST job-functions/[id]/pause",
      ok: 200,
      setup: async () => ({ params: { id: toPause.shift()! }, form: {} }),
    },
    {
      command: byName("job-functions.resume"),
      route: "POST job-functions/[id]/resume",
      ok: 200,
      setup: async () => ({ params: { id: toResume.shift()! }, form: {} }),
    },
    {
      command: byName("customers.grant-credits"),
      route: "POST customers/[id]/actions/[action]",
      ok: 200,
      setup: async () => ({
        params: { id: orgId, action: "grant-credits" },
        body: { credits: 5, reason: "outage goodwill" },
        form: { credits: "5", reason: "outage goodwill" },
      }),
    },
    {
      // No trialing subscription: the same 409 from both edges, nothing written.
      command: byName("customers.extend-trial"),
      route: "POST customers/[id]/actions/[action]",
      ok: 409,
      setup: async () => ({
        params: { id: orgId, action: "extend-trial" },
        body: { days: 7, reason: "onboarding call" },
        form: { days: "7", reason: "onboarding call" },
      }),
    },
    {
      command: byName("customers.mute-alerts"),
      route: "POST customers/[id]/actions/[action]",
      ok: 200,
      setup: async () => ({ params: { id: orgId, action: "mute-alerts" }, body: { hours: 2 }, form: { hours: "2" } }),
    },
    {
      command: byName("customers.unmute-alerts"),
      route: "POST customers/[id]/actions/[action]",
      ok: 200,
      setup: async () => ({ params: { id: orgId, action: "unmute-alerts" }, form: { reason: "" } }),
    },
    {
      command: byName("customers.reset-stuck"),
      route: "POST customers/[id]/actions/[action]",
      ok: 200,
      setup: async () => ({ params: { id: orgId, action: "reset-stuck" }, form: {} }),
    },
    {
      command: byName("customers.activate"),
      route: "POST customers/[id]/actions/[action]",
      ok: 200,
      setup: async () => {
        const org = await makeOrg("free", `Activate ${randomUUID().slice(0, 6)}`);
        const customer = await stripeClient().customers.create({ email: "billing@example.com" });
        await db().insert(billingCustomers).values({ orgId: org.orgId, stripeCustomerId: customer.id });
        return { params: { id: org.orgId, action: "activate" }, form: {} };
      },
    },
    {
      command: byName("customers.retry-data-request"),
      route: "POST customers/[id]/actions/[action]",
      ok: 200,
      setup: async () => {
        const org = await makeOrg("free", `Retry ${randomUUID().slice(0, 6)}`);
        const [request] = await db()
          .insert(dataRequests)
          .values({
            orgId: org.orgId,
            kind: "deletion",
            status: "failed",
            error: "live subscription",
            requestedBy: "system",
          })
          .returning();
        return {
          params: { id: org.orgId, action: "retry-data-request" },
          body: { request_id: request!.id },
          form: { request_id: request!.id },
        };
      },
    },
    {
      command: byName("customers.delete"),
      route: "DELETE customers/[id]",
      ok: 204,
      setup: async () => {
        const name = `Doomed ${randomUUID().slice(0, 6)}`;
        const doomed = await makeOrg("free", name);
        return { params: { id: doomed.orgId }, body: { confirm_name: name }, form: { confirm_name: name } };
      },
    },
    {
      command: byName("operators.reset-totp"),
      route: "POST operators/[id]/reset-totp",
      ok: 200,
      setup: async () => {
        const target = await createOperator({
          email: `reset-${randomUUID().slice(0, 8)}@beacon.test`,
          password: "correct horse battery staple 42",
          role: "ops_support",
        });
        return { params: { id: target.userId }, form: {} };
      },
    },
    {
      command: byName("flags.set"),
      route: "PUT flags/[key]",
      ok: 200,
      setup: async () => ({
        params: { key: "instant_alerts" },
        body: { enabled: true, reason: "back on" },
        form: { enabled: "true", reason: "back on" },
      }),
    },
    {
      // The one flag that stays switchable while read-only: it must be possible to end incident mode.
      command: byName("flags.set"),
      route: "PUT flags/[key]",
      ok: 200,
      duringIncident: "allowed",
      setup: async () => ({
        params: { key: "incident_mode" },
        body: { enabled: false, reason: "resolved" },
        form: { enabled: "false", reason: "resolved" },
      }),
    },
    {
      command: byName("break-glass.start"),
      route: "POST break-glass",
      ok: 201,
      duringIncident: "allowed",
      setup: async () => ({
        params: {},
        body: { reason: "replaying after the failover", ttl_minutes: 15 },
        form: { reason: "replaying after the failover", ttl_minutes: "15" },
      }),
    },
    {
      command: byName("break-glass.end"),
      route: "DELETE break-glass/[id]",
      ok: 200,
      duringIncident: "allowed",
      setup: async () => {
        const session = await startBreakGlass(operatorContextOf({ userId: admin.id, email: admin.email }), {
          reason: "a session to end from an edge",
        });
        return { params: { id: session.id }, form: {} };
      },
    },
  ];

  async function viaRoute(c: CommandCase, call: EdgeCall, cookie: string, headers: Record<string, string> = {}) {
    const [verb, template] = c.route.split(" ") as [string, string];
    const handler = await routeHandler(template, verb);
    const url = template.replace(/\[(\w+)\]/g, (_, name: string) => encodeURIComponent(call.params[name] ?? ""));
    return callRoute(handler, {
      path: `/api/admin/${url}`,
      method: verb,
      cookie,
      params: call.params,
      body: call.body,
      headers,
    });
  }

  function viaForm(c: CommandCase, call: EdgeCall, cookie: string) {
    return runOperatorCommandForm(targets.get(c.route)!, formData({ ...call.params, ...call.form }), {
      deps: COMMAND_DEPS,
      headers: new Headers({ cookie }),
    });
  }

  const targets = new Map<string, CommandTarget>();

  beforeAll(async () => {
    for (const c of CASES) {
      const [verb, template] = c.route.split(" ") as [string, string];
      targets.set(c.route, commandOfRoute(await routeHandler(template, verb))!);
    }
  });

  async function auditFor(requestId: string, action: string) {
    return db()
      .select({
        action: auditLog.action,
        actorType: auditLog.actorType,
        actorId: auditLog.actorId,
        requestId: auditLog.requestId,
        breakGlassSessionId: auditLog.breakGlassSessionId,
      })
      .from(auditLog)
      .where(eq(auditLog.requestId, requestId))
      .then((rows) => rows.filter((r) => r.action === action));
  }

  it("every write route under app/api/admin is generated from a declaration, and every declaration is served and walked here", async () => {
    const served = new Set<AnyOperatorCommand>();
    for (const route of adminWriteRoutes()) {
      const mod = (await import(route.file)) as Record<string, unknown>;
      const target = commandOfRoute(mod[route.method]);
      expect(target, `${route.name} is not generated from an operator command`).toBeDefined();
      for (const command of isCommandSet(target!) ? Object.values(target!.commands) : [target!]) served.add(command);
    }
    expect(OPERATOR_COMMANDS.filter((c) => !served.has(c)).map((c) => c.name)).toEqual([]);
    expect(OPERATOR_COMMANDS.filter((c) => !CASES.some((k) => k.command === c)).map((c) => c.name)).toEqual([]);
    for (const c of CASES) expect(targets.get(c.route), c.route).toBeDefined();
  });

  describe.each(CASES.map((c, i) => ({ ...c, label: `${c.command.name} #${i}` })))("$label", (c) => {
    it(`answers alike at the API (${c.ok}) and in the cockpit, with the same refusals and audit entry`, async () => {
      const viaApi = await c.setup();
      const viaCockpit = await c.setup();
      const params = c.command.params.parse(
        Object.fromEntries(Object.keys(c.command.params.shape).map((k) => [k, viaApi.params[k]])),
      );
      const writes = c.duringIncident !== "allowed";
      const declared = typeof c.command.writes === "function" ? c.command.writes(params) : c.command.writes;
      expect(declared, "the declaration's incident-mode rule").toBe(writes);

      // A role without the permission: 403 at both edges, nothing changes.
      const refused = await viaRoute(c, viaApi, cookies.ops_viewer);
      expect(refused.status).toBe(403);
      expect((await refused.json()).code).toBe("forbidden");
      expect(await viaForm(c, viaCockpit, cookies.ops_viewer)).toMatchObject({ status: "error", code: "forbidden" });

      // Incident mode: a write is refused at both edges (409 read_only); the rest go through it.
      readOnly(true);
      if (writes) {
        const blocked = await viaRoute(c, viaApi, cookies.ops_admin);
        expect(blocked.status).toBe(409);
        expect((await blocked.json()).code).toBe("read_only");
        expect(await viaForm(c, viaCockpit, cookies.ops_admin)).toMatchObject({ status: "error", code: "read_only" });
        readOnly(false);
      }

      const requestId = `req-cmd-${randomUUID()}`;
      const answered = await viaRoute(c, viaApi, cookies.ops_admin, { "x-request-id": requestId });
      const state = await viaForm(c, viaCockpit, cookies.ops_admin);
      readOnly(false);
      expect(answered.status, await answered.clone().text()).toBe(c.ok);
      if (c.ok >= 400) {
        expect(state).toMatchObject({ status: "error", code: (await answered.json()).code });
        expect(await auditFor(requestId, c.command.audit)).toEqual([]);
        expect(await auditFor(state.requestId!, c.command.audit)).toEqual([]);
        return;
      }
      expect(state.status, state.message).toBe("success");
      expect(state.result?.command).toBe(c.command);
      const apiAudit = await auditFor(requestId, c.command.audit);
      const cockpitAudit = await auditFor(state.requestId!, c.command.audit);
      expect(apiAudit.length).toBeGreaterThan(0);
      const expected = { action: c.command.audit, actorType: "operator", actorId: admin.id, breakGlassSessionId: null };
      for (const row of apiAudit) expect(row).toMatchObject({ ...expected, requestId });
      expect(cockpitAudit.length).toBe(apiAudit.length);
      for (const row of cockpitAudit) expect(row).toMatchObject({ ...expected, requestId: state.requestId });
    });
  });

  it("the cockpit's break-glass cookie lets its operator write in incident mode, as X-Break-Glass-Token does", async () => {
    const session = await startBreakGlass(operatorContextOf({ userId: admin.id, email: admin.email }), {
      reason: "replaying after the failover",
    });
    const c = CASES.find((k) => k.command.name === "dead-letters.replay")!;
    const call = await c.setup();
    readOnly(true);
    const cookie = `${cookies.ops_admin}; ${BREAK_GLASS_COOKIE}=${session.token}`;
    const state = await viaForm(c, call, cookie);
    expect(state.status, state.message).toBe("success");
    expect(await auditFor(state.requestId!, "outbox.replay")).toEqual([
      expect.objectContaining({ actorId: admin.id, breakGlassSessionId: session.id }),
    ]);
    // Another operator's token is refused, as over the API.
    const other = await viaForm(c, await c.setup(), `${cookies.ops_support}; ${BREAK_GLASS_COOKIE}=${session.token}`);
    expect(other).toMatchObject({ status: "error", code: "forbidden" });
  });

  it("a dead letter replayed already is 409 at both edges; one that never existed is 404 at both", async () => {
    const c = CASES.find((k) => k.command.name === "dead-letters.replay")!;
    const id = await deadRow();
    expect((await viaRoute(c, { params: { id }, form: {} }, cookies.ops_admin)).status).toBe(200);
    const again = await viaRoute(c, { params: { id }, form: {} }, cookies.ops_admin);
    expect(again.status).toBe(409);
    expect(await viaForm(c, { params: { id }, form: {} }, cookies.ops_admin)).toMatchObject({
      status: "error",
      code: "conflict",
    });
    const unknown = randomUUID();
    expect((await viaRoute(c, { params: { id: unknown }, form: {} }, cookies.ops_admin)).status).toBe(404);
    expect(await viaForm(c, { params: { id: unknown }, form: {} }, cookies.ops_admin)).toMatchObject({
      status: "error",
      code: "not_found",
    });
  });

  it("bad input is the API's 422 and the form's field errors, from the same schema", async () => {
    const c = CASES.find((k) => k.command.name === "job-runs.bulk-rerun")!;
    const call = await c.setup();
    const response = await viaRoute(c, { ...call, body: { filter: {}, label: "x", confirm: 1 } }, cookies.ops_admin);
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { errors: { path: string; message: string }[] };
    const state = await viaForm(c, { ...call, form: { ...call.form, label: "x" } }, cookies.ops_admin);
    expect(state).toMatchObject({ status: "error", code: "validation_failed" });
    expect(state.fieldErrors?.label).toBe(problem.errors.find((e) => e.path === "label")!.message);
  });
});
