import { and, eq, gt, inArray, ne, sql } from "drizzle-orm";
import { jobRuns, opsAlerts, organizations, outboxCircuits, outboxEvents, stripeEvents } from "@/db/schema";
import type { OperatorActor, ServiceContext } from "@/lib/context";
import { heartbeatHealth } from "@/lib/jobs";
import { isCustomerChannelDestination } from "@/lib/outbox";
import { OPS_ALERT_KINDS, OPS_ALERT_SEVERITY } from "./alerts";
import { cockpitContext } from "./cockpit-context";
import { isStuckCustomer } from "./stuck-customers";

const CRITICAL_KINDS = OPS_ALERT_KINDS.filter((k) => OPS_ALERT_SEVERITY[k] === "critical");

/** The "is anything on fire" numbers for the top of the cockpit. */
export async function healthSummary(ctx: ServiceContext<OperatorActor>) {
  const now = ctx.now();
  const reads = cockpitContext(ctx);
  const dayAgo = new Date(now.getTime() - 24 * 3_600_000);
  const [[alerts], [stuck], [outbox], [stripe], [jobs], heartbeats, circuits] = await Promise.all([
    reads.transaction((tx) =>
      tx
        .select({
          open: sql<number>`count(*)::int`,
          critical: sql<number>`count(*) filter (where ${inArray(opsAlerts.kind, CRITICAL_KINDS)})::int`,
        })
        .from(opsAlerts)
        .where(eq(opsAlerts.status, "open")),
    ),
    reads.transaction((tx) =>
      tx
        .select({ n: sql<number>`count(*)::int` })
        .from(organizations)
        .where(isStuckCustomer(now)),
    ),
    reads.transaction((tx) =>
      tx
        .select({
          dead: sql<number>`count(*) filter (where ${outboxEvents.status} = 'dead')::int`,
          backlog: sql<number>`count(*) filter (where ${outboxEvents.status} in ('pending', 'sending'))::int`,
        })
        .from(outboxEvents),
    ),
    reads.transaction((tx) =>
      tx
        .select({ failed: sql<number>`count(*)::int` })
        .from(stripeEvents)
        .where(eq(stripeEvents.status, "failed")),
    ),
    reads.transaction((tx) =>
      tx
        .select({
          finished: sql<number>`count(*) filter (where ${jobRuns.status} in ('succeeded', 'failed'))::int`,
          failed: sql<number>`count(*) filter (where ${jobRuns.status} = 'failed')::int`,
        })
        .from(jobRuns)
        .where(and(gt(jobRuns.createdAt, dayAgo))),
    ),
    heartbeatHealth(now),
    reads.transaction((tx) =>
      tx
        .select({ destination: outboxCircuits.destination })
        .from(outboxCircuits)
        .where(ne(outboxCircuits.state, "closed"))
        .orderBy(outboxCircuits.destination),
    ),
  ]);
  return {
    openAlerts: Number(alerts?.open ?? 0),
    criticalAlerts: Number(alerts?.critical ?? 0),
    /** Customers stuck right now (the customers list's "stuck" tab): no profile, paid not activated, payment failing. */
    stuckCustomers: Number(stuck?.n ?? 0),
    deadLetters: Number(outbox?.dead ?? 0),
    outboxBacklog: Number(outbox?.backlog ?? 0),
    failedStripeEvents: Number(stripe?.failed ?? 0),
    jobRuns24h: Number(jobs?.finished ?? 0),
    jobFailures24h: Number(jobs?.failed ?? 0),
    staleHeartbeats: heartbeats.filter((h) => h.status === "stale").map((h) => h.functionId),
    /** Every scheduled function's heartbeat (lib/jobs heartbeat health: the same rule as readiness and ops alerts). */
    heartbeats,
    /** The platform's destinations whose outbox circuit breaker is open or probing: their messages wait. */
    openCircuits: circuits.map((c) => c.destination).filter((d) => !isCustomerChannelDestination(d)),
    /** Orgs' own channels that are paused: shown, but theirs to fix (their owners are e-mailed). */
    pausedCustomerChannels: circuits.filter((c) => isCustomerChannelDestination(c.destination)).length,
  };
}
