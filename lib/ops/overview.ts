import type { OperatorActor, ServiceContext } from "@/lib/context";
import { hourlyJobOutcomes } from "@/lib/jobs";
import { businessMetrics } from "./business-metrics";
import { healthSummary } from "./health-summary";
import { platformCounts } from "./platform-counts";
import { stripeEventCounts } from "./stripe-events";

/**
 * Everything the cockpit overview shows, as JSON: `GET /api/admin/stats` returns it and the
 * overview page renders its first paint from the same object, then polls the API.
 */
export async function opsOverview(ctx: ServiceContext<OperatorActor>) {
  // One instant for every figure on the page.
  const now = ctx.now();
  const at: ServiceContext<OperatorActor> = { ...ctx, now: () => now };
  const [counts, health, business, hourly, stripe] = await Promise.all([
    platformCounts(at),
    healthSummary(at),
    businessMetrics(at),
    hourlyJobOutcomes(at),
    stripeEventCounts(at),
  ]);
  return {
    generated_at: now.toISOString(),
    counts,
    health: {
      open_alerts: health.openAlerts,
      critical_alerts: health.criticalAlerts,
      stuck_customers: health.stuckCustomers,
      dead_letters: health.deadLetters,
      outbox_backlog: health.outboxBacklog,
      failed_stripe_events: health.failedStripeEvents,
      stripe_events_by_status: stripe,
      job_runs_24h: health.jobRuns24h,
      job_failures_24h: health.jobFailures24h,
      stale_heartbeats: health.staleHeartbeats,
      heartbeats: {
        scheduled: health.heartbeats.length,
        on_time: health.heartbeats.filter((h) => h.status === "ok").length,
        waiting_first_run: health.heartbeats.filter((h) => h.status === "waiting").length,
        paused: health.heartbeats.filter((h) => h.status === "paused").length,
        stale: health.heartbeats
          .filter((h) => h.status === "stale")
          .map((h) => ({ function_id: h.functionId, never_succeeded: h.neverSucceeded, since: h.since.toISOString() })),
      },
      paused_destinations: health.openCircuits,
      paused_customer_channels: health.pausedCustomerChannels,
    },
    business: {
      mrr_cents: business.mrrCents,
      trialing_mrr_cents: business.trialingMrrCents,
      unpriced_subscriptions: business.unpricedSubscriptions,
      subscriptions: {
        active: business.subscriptions.active,
        trialing: business.subscriptions.trialing,
        past_due: business.subscriptions.pastDue,
      },
      churn: {
        window_days: business.churn.windowDays,
        canceled: business.churn.canceled,
        paying_at_start: business.churn.payingAtStart,
        rate: business.churn.rate,
      },
      funnel: {
        window_days: business.funnel.windowDays,
        signed_up: business.funnel.signedUp,
        profile: business.funnel.profile,
        first_alert: business.funnel.firstAlert,
        paid: business.funnel.paid,
      },
    },
    jobs_last_24h: hourly.map((b) => ({
      hour: b.hour.toISOString(),
      succeeded: b.succeeded,
      failed: b.failed,
      p50_ms: b.p50Ms,
      p95_ms: b.p95Ms,
    })),
  };
}

export type OpsOverview = Awaited<ReturnType<typeof opsOverview>>;
