import { and, gt, inArray, ne, not, sql } from "drizzle-orm";
import { Gauge } from "prom-client";
import { withSystem } from "@/db/tenant";
import { jobRuns, outboxCircuits, outboxEvents, stripeEvents } from "@/db/schema";
import { heartbeatHealth } from "@/lib/jobs";
import { isPlatformCircuit } from "@/lib/outbox";
import { logger, metrics } from "@/lib/observability";
import { checkReadiness } from "./readiness";

/** The window of the "recent" job-run and Stripe-event gauges (the ops alerts use the same hour). */
export const RECENT_WINDOW_MS = 3_600_000;

const STRIPE_STATUSES = ["received", "processing", "processed", "failed"] as const;

/**
 * Gauges computed from the database when Prometheus scrapes, so any process (web node, worker)
 * reports the same numbers. Each query is bounded by an index: job_runs by created_at, Stripe
 * events by (status, received_at), the outbox by (status, next_attempt_at). A query that fails
 * leaves its gauge empty for this scrape (and is logged) rather than failing the whole answer:
 * the process metrics still tell the story, and `beacon_ready` says the database is failing.
 */
export function registerDatabaseCollectors() {
  const m = metrics();
  if (m.databaseCollectorsRegistered) return;
  m.databaseCollectorsRegistered = true;
  const registers = [m.registry];

  const guarded = (name: string, gauge: Gauge, fill: () => Promise<void>) => async () => {
    gauge.reset();
    try {
      await fill();
    } catch (error) {
      gauge.reset();
      logger.warn({ err: error, metric: name }, "metric collection failed");
    }
  };

  const jobRunsRecent: Gauge<"function" | "status"> = new Gauge({
    name: "beacon_job_runs_recent",
    help: "Job runs started in the last hour, by function and current status.",
    labelNames: ["function", "status"] as const,
    registers,
    collect: () =>
      guarded("beacon_job_runs_recent", jobRunsRecent, async () => {
        const since = new Date(Date.now() - RECENT_WINDOW_MS);
        const rows = await withSystem("ops-cockpit", (tx) =>
          tx
            .select({ functionId: jobRuns.functionId, status: jobRuns.status, n: sql<number>`count(*)::int` })
            .from(jobRuns)
            .where(gt(jobRuns.createdAt, since))
            .groupBy(jobRuns.functionId, jobRuns.status),
        );
        for (const row of rows) jobRunsRecent.set({ function: row.functionId, status: row.status }, Number(row.n));
      })(),
  });

  const stripeRecent: Gauge<"type" | "status"> = new Gauge({
    name: "beacon_stripe_events_recent",
    help: "Stripe webhook events received in the last hour, by event type and processing status.",
    labelNames: ["type", "status"] as const,
    registers,
    collect: () =>
      guarded("beacon_stripe_events_recent", stripeRecent, async () => {
        const since = new Date(Date.now() - RECENT_WINDOW_MS);
        const rows = await withSystem("ops-cockpit", (tx) =>
          tx
            .select({ type: stripeEvents.type, status: stripeEvents.status, n: sql<number>`count(*)::int` })
            .from(stripeEvents)
            // Naming every status lets the (status, received_at) index serve the time bound.
            .where(and(inArray(stripeEvents.status, [...STRIPE_STATUSES]), gt(stripeEvents.receivedAt, since)))
            .groupBy(stripeEvents.type, stripeEvents.status),
        );
        for (const row of rows) stripeRecent.set({ type: row.type, status: row.status }, Number(row.n));
      })(),
  });

  const outboxBacklog: Gauge = new Gauge({
    name: "beacon_outbox_backlog",
    help: "Outbox messages waiting for delivery (pending or being sent).",
    registers,
    collect: () =>
      guarded("beacon_outbox_backlog", outboxBacklog, async () => {
        const [row] = await withSystem("ops-cockpit", (tx) =>
          tx
            .select({ n: sql<number>`count(*)::int` })
            .from(outboxEvents)
            .where(inArray(outboxEvents.status, ["pending", "sending"])),
        );
        outboxBacklog.set(Number(row?.n ?? 0));
      })(),
  });

  const outboxDead: Gauge = new Gauge({
    name: "beacon_outbox_dead",
    help: "Dead letters: outbox messages that used up their attempts and wait for replay or discard.",
    registers,
    collect: () =>
      guarded("beacon_outbox_dead", outboxDead, async () => {
        const [row] = await withSystem("ops-cockpit", (tx) =>
          tx
            .select({ n: sql<number>`count(*)::int` })
            .from(outboxEvents)
            .where(inArray(outboxEvents.status, ["dead"])),
        );
        outboxDead.set(Number(row?.n ?? 0));
      })(),
  });

  const circuitOpen: Gauge<"destination"> = new Gauge({
    name: "beacon_outbox_circuit_open",
    help: "1 while the outbox circuit breaker of a destination (smtp, webhook:<origin>) is open or probing, 0 once closed.",
    labelNames: ["destination"] as const,
    registers,
    collect: () =>
      guarded("beacon_outbox_circuit_open", circuitOpen, async () => {
        // One row per platform destination that ever failed: a small table. Orgs' own channels
        // are counted apart (one label each would page operators for a customer's Slack URL).
        const rows = await withSystem("ops-cockpit", (tx) =>
          tx
            .select({ destination: outboxCircuits.destination, state: outboxCircuits.state })
            .from(outboxCircuits)
            .where(isPlatformCircuit()),
        );
        for (const row of rows) circuitOpen.set({ destination: row.destination }, row.state === "closed" ? 0 : 1);
      })(),
  });

  const channelsPaused: Gauge = new Gauge({
    name: "beacon_customer_channels_paused",
    help: "Orgs' own team channels whose outbox circuit breaker is open or probing (their owners are e-mailed; not a platform fault).",
    registers,
    collect: () =>
      guarded("beacon_customer_channels_paused", channelsPaused, async () => {
        const [row] = await withSystem("ops-cockpit", (tx) =>
          tx
            .select({ n: sql<number>`count(*)::int` })
            .from(outboxCircuits)
            .where(and(ne(outboxCircuits.state, "closed"), not(isPlatformCircuit()))),
        );
        channelsPaused.set(Number(row?.n ?? 0));
      })(),
  });

  const heartbeatStale: Gauge<"function"> = new Gauge({
    name: "beacon_job_heartbeat_stale",
    help: "1 when a scheduled function has not succeeded within twice its interval, or never ran two intervals after it was registered (0 otherwise or while paused).",
    labelNames: ["function"] as const,
    registers,
    collect: () =>
      guarded("beacon_job_heartbeat_stale", heartbeatStale, async () => {
        for (const beat of await heartbeatHealth())
          heartbeatStale.set({ function: beat.functionId }, beat.status === "stale" ? 1 : 0);
      })(),
  });

  const ready: Gauge<"check"> = new Gauge({
    name: "beacon_ready",
    help: "1 when /api/readyz would answer 200; per check: 1 ok, 0 failing (skipped checks are omitted).",
    labelNames: ["check"] as const,
    registers,
    collect: async () => {
      ready.reset();
      const readiness = await checkReadiness();
      ready.set({ check: "all" }, readiness.ready ? 1 : 0);
      for (const [check, status] of Object.entries(readiness.checks)) {
        if (status !== "skipped") ready.set({ check }, status === "ok" ? 1 : 0);
      }
    },
  });
}
