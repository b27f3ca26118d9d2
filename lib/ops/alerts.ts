import { and, eq, gt, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Tx } from "@/db/client";
import {
  jobRuns,
  opsAlerts,
  organizations,
  outboxCircuits,
  outboxEvents,
  stripeEvents,
  subscriptions,
} from "@/db/schema";
import type { OperatorActor, ServiceContext, SystemContext } from "@/lib/context";
import { appUrl, env, type Env } from "@/lib/env";
import { heartbeatHealth } from "@/lib/jobs";
import { deliverOutboxNow, enqueueOutbox, isPlatformCircuit } from "@/lib/outbox";
import {
  failingSubscription,
  stuckCustomerConditions,
  STUCK_THRESHOLDS,
  unactivatedSubscription,
} from "./stuck-customers";
import { cockpitContext } from "./cockpit-context";

export const OPS_ALERT_KINDS = [
  "onboarding_idle",
  "paid_not_activated",
  "payment_failed",
  "job_failure_rate",
  "webhook_failure_rate",
  "outbox_backlog",
  "dead_letters",
  "outbox_circuit_open",
  "no_recent_runs",
  "stale_heartbeat",
] as const;
export type OpsAlertKind = (typeof OPS_ALERT_KINDS)[number];
export type OpsAlertSeverity = "critical" | "warning";

/** SPEC §8 thresholds, in one place (the stuck-customer ones with their definition). */
export const OPS_THRESHOLDS = {
  onboardingIdleMs: STUCK_THRESHOLDS.noProfileMs,
  onboardingAbandonedMs: STUCK_THRESHOLDS.abandonedMs,
  paidNotActivatedMs: STUCK_THRESHOLDS.paidNotActivatedMs,
  paymentFailedMs: STUCK_THRESHOLDS.paymentFailedMs,
  jobFailureRate: 0.1,
  webhookFailureRate: 0.05,
  outboxBacklog: 100,
  noRunsMs: 3_600_000,
} as const;

export const OPS_ALERT_SEVERITY: Record<OpsAlertKind, OpsAlertSeverity> = {
  onboarding_idle: "warning",
  paid_not_activated: "critical",
  payment_failed: "warning",
  job_failure_rate: "critical",
  webhook_failure_rate: "critical",
  outbox_backlog: "warning",
  dead_letters: "warning",
  outbox_circuit_open: "critical",
  no_recent_runs: "critical",
  stale_heartbeat: "critical",
};

/** The detector's own function id: its run must not count as "a run started". */
export const OPS_ALERTS_FUNCTION_ID = "ops-alerts";

export interface OpsFinding {
  kind: OpsAlertKind;
  /** An org id, a subscription id, a function id, or `system`. */
  subject: string;
  orgId: string | null;
  summary: string;
  details: Record<string, unknown>;
}

const ago = (now: Date, ms: number) => new Date(now.getTime() - ms);
const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/** Stuck customers, by the one definition the customers list's "stuck" tab also uses (./stuck-customers). */
async function customerFindings(sweep: SystemContext, now: Date): Promise<OpsFinding[]> {
  const findings: OpsFinding[] = [];
  const conditions = stuckCustomerConditions(now);
  const idle = await sweep.transaction((tx) =>
    tx
      .select({ orgId: organizations.id, name: organizations.name, signedUpAt: organizations.createdAt })
      .from(organizations)
      .where(conditions.onboarding_idle),
  );
  for (const row of idle) {
    findings.push({
      kind: "onboarding_idle",
      subject: row.orgId,
      orgId: row.orgId,
      summary: `${row.name}: no business profile since sign-up on ${row.signedUpAt.toISOString()}`,
      details: { signed_up_at: row.signedUpAt.toISOString() },
    });
  }

  // Stripe says they pay, Beacon did not give them the plan (or cannot tell whose subscription it is).
  const unactivated = await sweep.transaction((tx) =>
    tx
      .select({
        subscriptionId: subscriptions.stripeSubscriptionId,
        orgId: subscriptions.orgId,
        status: subscriptions.status,
        plan: subscriptions.plan,
        name: organizations.name,
      })
      .from(subscriptions)
      .leftJoin(organizations, eq(organizations.id, subscriptions.orgId))
      .where(and(unactivatedSubscription(now), or(isNull(subscriptions.orgId), eq(organizations.plan, "free")))),
  );
  for (const row of unactivated) {
    findings.push({
      kind: "paid_not_activated",
      subject: row.orgId ?? row.subscriptionId,
      orgId: row.orgId,
      summary: row.orgId
        ? `${row.name}: ${row.status} ${row.plan ?? "unknown-price"} subscription but the org is on Free`
        : `Subscription ${row.subscriptionId} (${row.status}) is linked to no organisation`,
      details: { subscription_id: row.subscriptionId, status: row.status, plan: row.plan },
    });
  }

  const failing = await sweep.transaction((tx) =>
    tx
      .select({
        orgId: subscriptions.orgId,
        name: organizations.name,
        failedAt: subscriptions.paymentFailedAt,
        invoiceId: subscriptions.failedInvoiceId,
      })
      .from(subscriptions)
      .innerJoin(organizations, eq(organizations.id, subscriptions.orgId))
      .where(failingSubscription(now)),
  );
  for (const row of failing) {
    if (!row.orgId || !row.failedAt) continue;
    findings.push({
      kind: "payment_failed",
      subject: row.orgId,
      orgId: row.orgId,
      summary: `${row.name}: payment failing since ${row.failedAt.toISOString()}`,
      details: { invoice_id: row.invoiceId, failed_at: row.failedAt.toISOString() },
    });
  }
  return findings;
}

async function systemFindings(sweep: SystemContext, now: Date): Promise<OpsFinding[]> {
  const findings: OpsFinding[] = [];
  const hourAgo = ago(now, 3_600_000);
  const [jobs] = await sweep.transaction((tx) =>
    tx
      .select({
        finished: sql<number>`count(*) filter (where ${jobRuns.status} in ('succeeded', 'failed'))::int`,
        failed: sql<number>`count(*) filter (where ${jobRuns.status} = 'failed')::int`,
      })
      .from(jobRuns)
      .where(gt(jobRuns.finishedAt, hourAgo)),
  );
  const finished = Number(jobs?.finished ?? 0);
  const failed = Number(jobs?.failed ?? 0);
  if (failed > 0 && failed / finished > OPS_THRESHOLDS.jobFailureRate) {
    findings.push({
      kind: "job_failure_rate",
      subject: "system",
      orgId: null,
      summary: `${failed} of ${finished} job runs failed in the last hour (${pct(failed / finished)})`,
      details: { failed, finished },
    });
  }

  const [hooks] = await sweep.transaction((tx) =>
    tx
      .select({
        total: sql<number>`count(*)::int`,
        failed: sql<number>`count(*) filter (where ${stripeEvents.status} = 'failed')::int`,
      })
      .from(stripeEvents)
      .where(gt(stripeEvents.receivedAt, hourAgo)),
  );
  const hookTotal = Number(hooks?.total ?? 0);
  const hookFailed = Number(hooks?.failed ?? 0);
  if (hookFailed > 0 && hookFailed / hookTotal > OPS_THRESHOLDS.webhookFailureRate) {
    findings.push({
      kind: "webhook_failure_rate",
      subject: "system",
      orgId: null,
      summary: `${hookFailed} of ${hookTotal} Stripe events failed processing in the last hour (${pct(hookFailed / hookTotal)})`,
      details: { failed: hookFailed, total: hookTotal },
    });
  }

  const [outbox] = await sweep.transaction((tx) =>
    tx
      .select({
        backlog: sql<number>`count(*) filter (where ${outboxEvents.status} in ('pending', 'sending') and ${outboxEvents.nextAttemptAt} <= ${now})::int`,
        dead: sql<number>`count(*) filter (where ${outboxEvents.status} = 'dead')::int`,
      })
      .from(outboxEvents)
      .where(inArray(outboxEvents.status, ["pending", "sending", "dead"])),
  );
  const backlog = Number(outbox?.backlog ?? 0);
  const dead = Number(outbox?.dead ?? 0);
  if (backlog > OPS_THRESHOLDS.outboxBacklog)
    findings.push({
      kind: "outbox_backlog",
      subject: "system",
      orgId: null,
      summary: `${backlog} outbox messages are due and undelivered`,
      details: { backlog },
    });
  if (dead > 0)
    findings.push({
      kind: "dead_letters",
      subject: "system",
      orgId: null,
      summary: `${dead} dead letter(s) wait for replay or discard`,
      details: { dead },
    });

  // One per destination whose circuit breaker is not closed: its messages wait (SMTP down, a dead webhook URL).
  // Not an org's own channel: its owners and admins hear of it, and it switches itself off.
  const circuits = await sweep.transaction((tx) =>
    tx
      .select()
      .from(outboxCircuits)
      .where(and(inArray(outboxCircuits.state, ["open", "half_open"]), isPlatformCircuit())),
  );
  for (const c of circuits) {
    const waiting = c.openUntil && c.openUntil > now ? `; next probe after ${c.openUntil.toISOString()}` : "; probing";
    findings.push({
      kind: "outbox_circuit_open",
      subject: c.destination,
      orgId: null,
      summary: `Deliveries to ${c.destination} are paused: ${c.consecutiveFailures} failures in a row since ${(c.openedAt ?? c.updatedAt).toISOString()}${waiting}`,
      details: {
        destination: c.destination,
        state: c.state,
        consecutive_failures: c.consecutiveFailures,
        opened_at: c.openedAt?.toISOString() ?? null,
        open_until: c.openUntil?.toISOString() ?? null,
        last_error: c.lastError,
      },
    });
  }

  // Only meaningful once the scheduler has ever run anything here.
  const [runs] = await sweep.transaction((tx) =>
    tx
      .select({
        ever: sql<number>`count(*)::int`,
        recent: sql<number>`count(*) filter (where ${jobRuns.createdAt} > ${ago(now, OPS_THRESHOLDS.noRunsMs)})::int`,
      })
      .from(jobRuns)
      .where(sql`${jobRuns.functionId} <> ${OPS_ALERTS_FUNCTION_ID}`),
  );
  if (Number(runs?.ever ?? 0) > 0 && Number(runs?.recent ?? 0) === 0) {
    findings.push({
      kind: "no_recent_runs",
      subject: "system",
      orgId: null,
      summary: "No background run started in the last hour: is Inngest reaching /api/inngest?",
      details: {},
    });
  }

  // The same rule as the overview tile and readiness: late, or never ran two intervals after registration.
  for (const beat of (await heartbeatHealth(now)).filter((h) => h.status === "stale")) {
    findings.push({
      kind: "stale_heartbeat",
      subject: beat.functionId,
      orgId: null,
      summary: beat.neverSucceeded
        ? `${beat.functionId} has never succeeded (scheduled since ${beat.since.toISOString()})`
        : `${beat.functionId} has not succeeded on schedule (last success ${beat.since.toISOString()})`,
      details: {
        function_id: beat.functionId,
        never_succeeded: beat.neverSucceeded,
        since: beat.since.toISOString(),
        expected_every_ms: beat.expectedEveryMs,
      },
    });
  }
  return findings;
}

/**
 * Every condition that holds at the sweep's clock. `sweep` is the system's context for
 * "ops-cockpit" (the Inngest function builds it with systemRunContext); its queries run in it.
 */
export async function detectOpsConditions(sweep: SystemContext): Promise<OpsFinding[]> {
  return findingsAt(sweep, sweep.now());
}

async function findingsAt(sweep: SystemContext, now: Date): Promise<OpsFinding[]> {
  return [...(await customerFindings(sweep, now)), ...(await systemFindings(sweep, now))];
}

function notificationText(alert: { kind: OpsAlertKind; summary: string }) {
  return `[${OPS_ALERT_SEVERITY[alert.kind]}] ${alert.kind}: ${alert.summary}\n${appUrl()}/admin/ops`;
}

async function enqueueNotifications(
  tx: Tx,
  alert: { id: string; kind: OpsAlertKind; summary: string },
  config: Env,
): Promise<string[]> {
  const ids: string[] = [];
  const text = notificationText(alert);
  // System namespace (no org): ops alerts are about Beacon, not sent to the customer.
  if (config.OPS_ALERT_WEBHOOK_URL) {
    const row = await enqueueOutbox(tx, {
      kind: "webhook",
      dedupeKey: `ops-alert:${alert.id}:webhook`,
      payload: { url: config.OPS_ALERT_WEBHOOK_URL, body: { text } },
    });
    if (row.created) ids.push(row.id);
  }
  if (config.OPS_ALERT_EMAIL) {
    const row = await enqueueOutbox(tx, {
      kind: "email",
      dedupeKey: `ops-alert:${alert.id}:email`,
      payload: { kind: "ops_alert", to: config.OPS_ALERT_EMAIL, subject: `Beacon ops alert: ${alert.kind}`, text },
    });
    if (row.created) ids.push(row.id);
  }
  return ids;
}

export interface DetectorResult {
  opened: number;
  resolved: number;
  open: number;
  notified: number;
}

/**
 * The stuck-customer and system detector (every 15 minutes). State-based: an alert opens once
 * per (condition, subject), stays open (last_seen_at refreshed) while the condition holds and
 * resolves when it clears; a new occurrence later opens a new alert. New alerts are sent through
 * the outbox to OPS_ALERT_WEBHOOK_URL (Slack-compatible `{ text }`) and/or OPS_ALERT_EMAIL,
 * except for customers whose alerts are muted (sent when the mute ends, if still open).
 */
export async function runOpsAlertDetector(sweep: SystemContext, config: Env = env()): Promise<DetectorResult> {
  // One instant for the detection and the rows it opens, refreshes and resolves.
  const now = sweep.now();
  const findings = await findingsAt(sweep, now);
  const outcome = await sweep.transaction(async (tx) => {
    const open = await tx.select().from(opsAlerts).where(eq(opsAlerts.status, "open")).for("update");
    const key = (kind: string, subject: string) => `${kind}\u0000${subject}`;
    const openByKey = new Map(open.map((a) => [key(a.kind, a.subject), a]));
    const seen = new Set<string>();
    let opened = 0;
    for (const f of findings) {
      const k = key(f.kind, f.subject);
      if (seen.has(k)) continue;
      seen.add(k);
      if (openByKey.has(k)) {
        await tx
          .update(opsAlerts)
          .set({ lastSeenAt: now, summary: f.summary, details: f.details })
          .where(eq(opsAlerts.id, openByKey.get(k)!.id));
      } else {
        const inserted = await tx
          .insert(opsAlerts)
          .values({
            kind: f.kind,
            subject: f.subject,
            orgId: f.orgId,
            summary: f.summary,
            details: f.details,
            firstSeenAt: now,
            lastSeenAt: now,
          })
          .onConflictDoNothing()
          .returning({ id: opsAlerts.id });
        opened += inserted.length;
      }
    }
    const cleared = open.filter((a) => !seen.has(key(a.kind, a.subject)));
    if (cleared.length > 0) {
      await tx
        .update(opsAlerts)
        .set({ status: "resolved", resolvedAt: now })
        .where(
          inArray(
            opsAlerts.id,
            cleared.map((a) => a.id),
          ),
        );
    }

    const outboxIds: string[] = [];
    let notified = 0;
    if (config.OPS_ALERT_WEBHOOK_URL || config.OPS_ALERT_EMAIL) {
      const pending = await tx
        .select({
          id: opsAlerts.id,
          kind: opsAlerts.kind,
          summary: opsAlerts.summary,
          mutedUntil: organizations.opsAlertsMutedUntil,
        })
        .from(opsAlerts)
        .leftJoin(organizations, eq(organizations.id, opsAlerts.orgId))
        .where(and(eq(opsAlerts.status, "open"), isNull(opsAlerts.notifiedAt)));
      for (const alert of pending) {
        if (alert.mutedUntil && alert.mutedUntil > now) continue;
        outboxIds.push(
          ...(await enqueueNotifications(
            tx,
            { id: alert.id, kind: alert.kind as OpsAlertKind, summary: alert.summary },
            config,
          )),
        );
        await tx.update(opsAlerts).set({ notifiedAt: now }).where(eq(opsAlerts.id, alert.id));
        notified++;
      }
    }
    const [{ n } = { n: 0 }] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(opsAlerts)
      .where(eq(opsAlerts.status, "open"));
    return { opened, resolved: cleared.length, open: Number(n), notified, outboxIds };
  });
  await deliverOutboxNow(outcome.outboxIds);
  return { opened: outcome.opened, resolved: outcome.resolved, open: outcome.open, notified: outcome.notified };
}

/** Open alerts first, newest first; for the cockpit. */
export async function listOpsAlerts(
  ctx: ServiceContext<OperatorActor>,
  filter: {
    status?: "open" | "resolved";
    kind?: OpsAlertKind;
    severity?: OpsAlertSeverity;
    subject?: string;
    orgId?: string;
    limit?: number;
  } = {},
) {
  const conditions: SQL[] = [];
  if (filter.status) conditions.push(eq(opsAlerts.status, filter.status));
  if (filter.kind) conditions.push(eq(opsAlerts.kind, filter.kind));
  if (filter.severity)
    conditions.push(
      inArray(
        opsAlerts.kind,
        OPS_ALERT_KINDS.filter((k) => OPS_ALERT_SEVERITY[k] === filter.severity),
      ),
    );
  if (filter.subject)
    conditions.push(sql`${opsAlerts.subject} ilike ${`%${filter.subject.replace(/[\\%_]/g, "\\$&")}%`}`);
  if (filter.orgId) conditions.push(eq(opsAlerts.orgId, filter.orgId));
  const rows = await cockpitContext(ctx).transaction((tx) =>
    tx
      .select()
      .from(opsAlerts)
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(sql`${opsAlerts.status} = 'open' desc`, sql`${opsAlerts.lastSeenAt} desc`)
      .limit(Math.min(Math.max(filter.limit ?? 100, 1), 500)),
  );
  return rows.map((r) => ({ ...r, severity: OPS_ALERT_SEVERITY[r.kind as OpsAlertKind] ?? "warning" }));
}
