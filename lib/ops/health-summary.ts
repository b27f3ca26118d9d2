import { and, eq, gt, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { jobRuns, opsAlerts, outboxEvents, stripeEvents } from "@/db/schema";
import { staleHeartbeats } from "@/lib/jobs/heartbeats";

/** The "is anything on fire" numbers for the top of the cockpit. */
export async function healthSummary(now = new Date()) {
  const dayAgo = new Date(now.getTime() - 24 * 3_600_000);
  const [[alerts], [outbox], [stripe], [jobs], stale] = await Promise.all([
    db()
      .select({
        open: sql<number>`count(*)::int`,
        stuck: sql<number>`count(*) filter (where ${opsAlerts.kind} in ('onboarding_idle', 'paid_not_activated', 'payment_failed'))::int`,
        critical: sql<number>`count(*) filter (where ${opsAlerts.kind} in ('paid_not_activated', 'job_failure_rate', 'webhook_failure_rate', 'no_recent_runs', 'stale_heartbeat'))::int`,
      })
      .from(opsAlerts)
      .where(eq(opsAlerts.status, "open")),
    db()
      .select({ dead: sql<number>`count(*) filter (where ${outboxEvents.status} = 'dead')::int`, backlog: sql<number>`count(*) filter (where ${outboxEvents.status} in ('pending', 'sending'))::int` })
      .from(outboxEvents),
    db().select({ failed: sql<number>`count(*)::int` }).from(stripeEvents).where(eq(stripeEvents.status, "failed")),
    db()
      .select({ finished: sql<number>`count(*) filter (where ${jobRuns.status} in ('succeeded', 'failed'))::int`, failed: sql<number>`count(*) filter (where ${jobRuns.status} = 'failed')::int` })
      .from(jobRuns)
      .where(and(gt(jobRuns.createdAt, dayAgo))),
    staleHeartbeats(now),
  ]);
  return {
    openAlerts: Number(alerts?.open ?? 0),
    criticalAlerts: Number(alerts?.critical ?? 0),
    /** Open customer alerts: onboarding idle, paid but not activated, payment failed. */
    stuckCustomers: Number(alerts?.stuck ?? 0),
    deadLetters: Number(outbox?.dead ?? 0),
    outboxBacklog: Number(outbox?.backlog ?? 0),
    failedStripeEvents: Number(stripe?.failed ?? 0),
    jobRuns24h: Number(jobs?.finished ?? 0),
    jobFailures24h: Number(jobs?.failed ?? 0),
    staleHeartbeats: stale,
  };
}
