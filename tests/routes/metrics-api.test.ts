// GET /api/metrics through the real handler: the token gate, and metrics that follow real activity.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import * as healthz from "@/app/api/healthz/route";
import * as metricsRoute from "@/app/api/metrics/route";
import * as unknownApi from "@/app/api/[...path]/route";
import { db } from "@/db/client";
import { jobHeartbeats, jobRuns, outboxCircuits, outboxEvents, stripeEvents } from "@/db/schema";
import { contextOf, makeOrg } from "@/tests/support/factories";
import { systemActor } from "@/lib/context";
import { PROBLEM_CONTENT_TYPE, route } from "@/lib/http";
import { chargeApiCall } from "@/lib/metering";
import { describeOnOneDatabase } from "@/tests/db";
import { perTestEnv, withTestEnv } from "@/tests/env";
import { parsePrometheusText, sampleValue } from "@/tests/prometheus-text";

const TOKEN = `metrics-${randomUUID()}`;
const CHANNEL_ID = randomUUID();
withTestEnv({ METRICS_TOKEN: TOKEN });
const setEnv = perTestEnv();

function scrape(authorization?: string) {
  const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
  return metricsRoute.GET(new Request("http://localhost:3000/api/metrics", { headers }), {
    params: Promise.resolve({}),
  });
}

async function scrapeSamples() {
  const response = await scrape(`Bearer ${TOKEN}`);
  expect(response.status).toBe(200);
  return parsePrometheusText(await response.text()).samples;
}

const ALERT_RULES = path.join(import.meta.dirname, "..", "..", "ops", "prometheus", "alerts.yml");
// Series Prometheus makes itself for every scrape target; not Beacon's to expose.
const PROMETHEUS_SERIES = new Set(["up"]);
const PROMQL_KEYWORDS = new Set([
  "and",
  "or",
  "unless",
  "bool",
  "offset",
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "inf",
  "nan",
]);

/** The metric names an expression reads: what is left once labels, ranges, strings and functions are taken out. */
function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, " ")
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ");
  const names = new Set<string>();
  for (const m of stripped.matchAll(/(?<![\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    if (m[2] || PROMQL_KEYWORDS.has(m[1]!.toLowerCase())) continue;
    names.add(m[1]!);
  }
  return [...names];
}

describeOnOneDatabase("GET /api/metrics", () => {
  it("answers 401 Problem+JSON without the token, with a wrong one, and while METRICS_TOKEN is unset", async () => {
    for (const header of [undefined, "Bearer wrong-token", `Basic ${TOKEN}`, `Bearer ${TOKEN}-and-more`]) {
      const response = await scrape(header);
      expect(response.status).toBe(401);
      expect(response.headers.get("content-type")).toBe(PROBLEM_CONTENT_TYPE);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ code: "unauthorized", request_id: response.headers.get("x-request-id") });
      expect(JSON.stringify(body)).not.toContain(TOKEN);
    }
    setEnv({ METRICS_TOKEN: "" });
    expect((await scrape("Bearer ")).status).toBe(401);
    expect((await scrape(`Bearer ${TOKEN}`)).status).toBe(401);
  });

  describe("after some activity", () => {
    const now = Date.now();
    let before: Awaited<ReturnType<typeof scrapeSamples>>;

    beforeAll(async () => {
      before = await scrapeSamples();
      // HTTP: a 200, a 404 through the catch-all, and a 500.
      await healthz.GET(new Request("http://localhost:3000/api/healthz"), { params: Promise.resolve({}) });
      await unknownApi.GET(new Request("http://localhost:3000/api/no/such-route"), {
        params: Promise.resolve({ path: ["no", "such-route"] }),
      });
      const exploding = route(async () => {
        throw new Error("metrics test: unexpected failure");
      });
      await exploding(new Request("http://localhost:3000/api/metrics-test/explodes"), { params: Promise.resolve({}) });
      // Quota: two metered charges.
      const { orgId } = await makeOrg("starter", "Metrics Co");
      await chargeApiCall(contextOf(orgId, systemActor("seed")), "GET /api/v1/opportunities");
      await chargeApiCall(contextOf(orgId, systemActor("seed")), "GET /api/v1/opportunities");
      // Shared state in the database.
      const run = (status: string, ageMs = 0) => ({
        functionId: "ingest-opportunities",
        runId: randomUUID(),
        status,
        createdAt: new Date(now - ageMs),
      });
      await db()
        .insert(jobRuns)
        .values([run("succeeded"), run("succeeded"), run("failed"), run("failed", 2 * 3_600_000)]);
      const event = (status: string, type: string) => ({
        id: `evt_${randomUUID()}`,
        type,
        created: new Date(now),
        status,
      });
      await db()
        .insert(stripeEvents)
        .values([
          event("processed", "invoice.paid"),
          event("failed", "invoice.paid"),
          event("processed", "customer.subscription.updated"),
        ]);
      const message = (status: string) => ({
        orgId,
        kind: "email",
        dedupeKey: randomUUID(),
        payload: { to: "x@metrics.test" },
        status,
      });
      await db()
        .insert(outboxEvents)
        .values([message("pending"), message("pending"), message("sending"), message("dead"), message("delivered")]);
      await db()
        .insert(outboxCircuits)
        .values([
          {
            destination: "smtp",
            state: "open",
            consecutiveFailures: 5,
            trips: 1,
            openedAt: new Date(now),
            openUntil: new Date(now + 60_000),
          },
          { destination: "webhook:https://hooks.example.com", state: "closed", consecutiveFailures: 2 },
          { destination: `channel:${CHANNEL_ID}`, state: "open", consecutiveFailures: 5, trips: 1 },
        ]);
      await db()
        .insert(jobHeartbeats)
        .values([
          { functionId: "alert-digests", lastSuccessAt: new Date(now - 3_600_000), expectedEveryMs: 900_000 },
          { functionId: "heartbeat", lastSuccessAt: new Date(now), expectedEveryMs: 60_000 },
        ]);
    });

    it("labels HTTP latency by route pattern, method and status class, and counts 5xx", async () => {
      const samples = await scrapeSamples();
      const count = (s: typeof samples, labels: Record<string, string>) =>
        sampleValue(s, "beacon_http_request_duration_seconds_count", labels) ?? 0;
      expect(
        count(samples, { route: "/api/healthz", method: "GET", status_class: "2xx" }) -
          count(before, { route: "/api/healthz", method: "GET", status_class: "2xx" }),
      ).toBe(1);
      expect(
        count(samples, { route: "/api/[...path]", method: "GET", status_class: "4xx" }) -
          count(before, { route: "/api/[...path]", method: "GET", status_class: "4xx" }),
      ).toBe(1);
      expect(count(samples, { route: "/api/metrics-test/explodes", status_class: "5xx" })).toBeGreaterThanOrEqual(1);
      const errors = (s: typeof samples) =>
        sampleValue(s, "beacon_http_server_errors_total", { route: "/api/metrics-test/explodes", method: "GET" }) ?? 0;
      expect(errors(samples) - errors(before)).toBe(1);
      // The scrape itself is measured under its own pattern, and no raw URL became a label.
      expect(count(samples, { route: "/api/metrics", status_class: "2xx" })).toBeGreaterThanOrEqual(1);
      expect(samples.some((s) => s.labels.route?.includes("such-route"))).toBe(false);
    });

    it("counts quota decrements where the charge succeeded", async () => {
      const samples = await scrapeSamples();
      expect(
        (sampleValue(samples, "beacon_quota_decrements_total") ?? 0) -
          (sampleValue(before, "beacon_quota_decrements_total") ?? 0),
      ).toBe(2);
    });

    it("reads job runs, Stripe events, the outbox, heartbeats and readiness from the database at scrape time", async () => {
      const samples = await scrapeSamples();
      expect(
        sampleValue(samples, "beacon_job_runs_recent", { function: "ingest-opportunities", status: "succeeded" }),
      ).toBe(2);
      // The run from two hours ago is outside the window.
      expect(
        sampleValue(samples, "beacon_job_runs_recent", { function: "ingest-opportunities", status: "failed" }),
      ).toBe(1);
      expect(sampleValue(samples, "beacon_stripe_events_recent", { type: "invoice.paid", status: "failed" })).toBe(1);
      expect(sampleValue(samples, "beacon_stripe_events_recent", { type: "invoice.paid", status: "processed" })).toBe(
        1,
      );
      expect(
        sampleValue(samples, "beacon_stripe_events_recent", {
          type: "customer.subscription.updated",
          status: "processed",
        }),
      ).toBe(1);
      expect(sampleValue(samples, "beacon_outbox_backlog")).toBe(3);
      expect(sampleValue(samples, "beacon_outbox_dead")).toBe(1);
      expect(sampleValue(samples, "beacon_outbox_circuit_open", { destination: "smtp" })).toBe(1);
      expect(
        sampleValue(samples, "beacon_outbox_circuit_open", { destination: "webhook:https://hooks.example.com" }),
      ).toBe(0);
      // A customer's own channel is counted apart, never labelled one by one (it is not an ops fault).
      expect(sampleValue(samples, "beacon_outbox_circuit_open", { destination: `channel:${CHANNEL_ID}` })).toBe(
        undefined,
      );
      expect(sampleValue(samples, "beacon_customer_channels_paused")).toBe(1);
      expect(sampleValue(samples, "beacon_job_heartbeat_stale", { function: "alert-digests" })).toBe(1);
      expect(sampleValue(samples, "beacon_job_heartbeat_stale", { function: "heartbeat" })).toBe(0);
      // Ready overall (heartbeats are not required by default), with the heartbeat check failing.
      expect(sampleValue(samples, "beacon_ready", { check: "all" })).toBe(1);
      expect(sampleValue(samples, "beacon_ready", { check: "database" })).toBe(1);
      expect(sampleValue(samples, "beacon_ready", { check: "heartbeats" })).toBe(0);
      // Process metrics come along.
      expect(sampleValue(samples, "beacon_process_resident_memory_bytes")).toBeGreaterThan(0);
    });

    it("exposes every metric the example alert rules (ops/prometheus/alerts.yml) use", async () => {
      const exposed = new Set((await scrapeSamples()).map((s) => s.name));
      const rules = (
        parseYaml(fs.readFileSync(ALERT_RULES, "utf8")) as { groups: { rules: { alert: string; expr: string }[] }[] }
      ).groups.flatMap((g) => g.rules);
      expect(rules.map((r) => r.alert)).toEqual(
        expect.arrayContaining([
          "BeaconNotReady",
          "BeaconHigh5xxRate",
          "BeaconHighP99Latency",
          "BeaconJobFailureRate",
          "BeaconDeadLetters",
          "BeaconWebhookFailureRate",
        ]),
      );
      for (const rule of rules) {
        const names = metricNamesIn(rule.expr);
        expect(names.length, rule.alert).toBeGreaterThan(0);
        for (const name of names)
          expect(PROMETHEUS_SERIES.has(name) || exposed.has(name), `${rule.alert} uses ${name}`).toBe(true);
      }
    });

    it("finds the metric names in an expression (and would catch a renamed one)", () => {
      expect(
        metricNamesIn(
          'histogram_quantile(0.99, sum by (le, route) (rate(beacon_http_request_duration_seconds_bucket{route!~"/api/x"}[5m]))) > 2',
        ),
      ).toEqual(["beacon_http_request_duration_seconds_bucket"]);
      expect(
        metricNamesIn(
          'sum(max by (function, status) (beacon_job_runs_recent{status="failed"})) / sum(beacon_jobs_total) > 0.1 and up == 0',
        ),
      ).toEqual(["beacon_job_runs_recent", "beacon_jobs_total", "up"]);
    });
  });
});
