"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import type { OpsOverview } from "@/lib/ops";
import type { OverviewSnapshot } from "./overview-poller";
import { formatTime } from "@/lib/format";

const n = (v: number) => v.toLocaleString("en-US");
const money = (cents: number) =>
  `$${(cents / 100).toLocaleString("en-US", { minimumFractionDigits: 0, maximumFractionDigits: 2 })}`;
const pct = (part: number, whole: number) => (whole > 0 ? `${Math.round((part / whole) * 1000) / 10}%` : "—");

function Tile({
  href,
  label,
  value,
  detail,
  bad = false,
  testId,
}: {
  href: string;
  label: string;
  value: string;
  detail?: string;
  bad?: boolean;
  testId?: string;
}) {
  return (
    <Link
      href={href}
      data-testid={testId}
      className={`block rounded-lg p-4 ring-1 hover:ring-indigo-400 ${bad ? "bg-red-50 ring-red-300" : "bg-white ring-slate-200"}`}
    >
      <p className="text-sm text-slate-600">{label}</p>
      {/* Values can be one long token (a destination such as channel:<uuid>): they wrap anywhere on a phone. */}
      <p className={`mt-1 text-2xl font-semibold wrap-anywhere ${bad ? "text-red-700" : "text-slate-900"}`}>{value}</p>
      {detail ? <p className="mt-1 text-xs text-slate-600">{detail}</p> : null}
    </Link>
  );
}

/**
 * The live tiles of the overview: first painted on the server from the same data the API returns
 * (no loading flash), then refreshed every 15 s through TanStack Query, whose code is fetched
 * after the first paint (it is not needed to show the page). The hourly chart is a
 * server component beside it, and so is the 30-day onboarding funnel (both kept out of the client
 * bundle; neither moves within a page view).
 */
export function OverviewLive({ initial }: { initial: OpsOverview }) {
  const [{ data, updatedAt: dataUpdatedAt, failed: isError }, setSnapshot] = useState<OverviewSnapshot>(() => ({
    data: initial,
    updatedAt: Date.parse(initial.generated_at),
    failed: false,
  }));
  useEffect(() => {
    let stop: (() => void) | undefined;
    let gone = false;
    void import("./overview-poller").then(({ pollOverview }) => {
      if (!gone) stop = pollOverview(initial, setSnapshot);
    });
    return () => {
      gone = true;
      stop?.();
    };
  }, [initial]);
  const { health, business } = data;
  const failureRate = health.job_runs_24h > 0 ? health.job_failures_24h / health.job_runs_24h : 0;
  const stripe = health.stripe_events_by_status;
  const beats = health.heartbeats;
  const { churn, subscriptions } = business;
  return (
    <>
      <p className="mb-4 text-xs text-slate-500" aria-live="polite">
        Live, as of {formatTime(dataUpdatedAt)}
        {isError ? " (refresh failed)" : ""}
      </p>
      <h2 className="mb-2 text-base font-semibold text-slate-900">Needs attention</h2>
      <div className="mb-6 grid grid-cols-2 gap-4 lg:grid-cols-4" data-testid="health-tiles">
        <Tile
          href="/admin/ops/alerts"
          label="Open ops alerts"
          value={`${health.open_alerts} (${health.critical_alerts} critical)`}
          bad={health.critical_alerts > 0}
        />
        <Tile
          href="/admin/ops/customers?segment=stuck"
          label="Stuck customers"
          value={n(health.stuck_customers)}
          detail="onboarding idle, paid not activated, payment failed"
          bad={health.stuck_customers > 0}
        />
        <Tile
          href="/admin/ops/dead-letters"
          label="Dead letters"
          value={n(health.dead_letters)}
          bad={health.dead_letters > 0}
        />
        <Tile
          href="/admin/ops/dead-letters"
          label="Outbox backlog"
          value={n(health.outbox_backlog)}
          bad={health.outbox_backlog > 100}
        />
        <Tile
          href="/admin/ops/stripe-events?status=failed"
          label="Stripe events by status"
          value={`${n(stripe.failed)} failed`}
          detail={`${n(stripe.processed)} processed · ${n(stripe.received + stripe.processing)} pending`}
          bad={health.failed_stripe_events > 0}
        />
        <Tile
          href="/admin/ops/jobs?status=failed"
          label="Job failures, last 24 h"
          value={`${health.job_failures_24h} of ${health.job_runs_24h} (${pct(health.job_failures_24h, health.job_runs_24h)})`}
          bad={failureRate > 0.1}
        />
        <Tile
          href="/admin/ops/jobs"
          testId="heartbeat-tile"
          label="Stale heartbeats"
          value={
            beats.stale.length
              ? beats.stale
                  .map((b) => (b.never_succeeded ? `${b.function_id} (never succeeded)` : b.function_id))
                  .join(", ")
              : "none"
          }
          detail={
            beats.scheduled === 0
              ? "no scheduled function registered"
              : [
                  `${beats.on_time} of ${beats.scheduled} on time`,
                  beats.waiting_first_run ? `${beats.waiting_first_run} waiting for a first run` : null,
                  beats.paused ? `${beats.paused} paused` : null,
                ]
                  .filter(Boolean)
                  .join(" · ")
          }
          bad={beats.stale.length > 0}
        />
        <Tile
          href="/admin/ops/dead-letters#circuits"
          label="Paused destinations"
          value={health.paused_destinations.length ? health.paused_destinations.join(", ") : "none"}
          detail={
            health.paused_customer_channels
              ? `outbox circuit breaker · ${health.paused_customer_channels} customer channel(s) paused too (their owners are told)`
              : "outbox circuit breaker"
          }
          bad={health.paused_destinations.length > 0}
        />
      </div>

      <h2 className="mb-2 text-base font-semibold text-slate-900">Business</h2>
      <div className="mb-6 grid grid-cols-2 gap-4 lg:grid-cols-3" data-testid="business-tiles">
        <Tile
          testId="mrr-tile"
          href="/admin/ops/customers?segment=active"
          label="MRR"
          value={money(business.mrr_cents)}
          detail={`active + past-due, list prices${business.unpriced_subscriptions ? `; ${business.unpriced_subscriptions} unpriced` : ""} · ${money(business.trialing_mrr_cents)} more in trial`}
        />
        <Tile
          href={
            subscriptions.past_due > 0
              ? "/admin/ops/customers?segment=past_due"
              : "/admin/ops/customers?segment=trialing"
          }
          label="Subscriptions"
          value={`${n(subscriptions.active)} active`}
          detail={`${n(subscriptions.trialing)} trialing · ${n(subscriptions.past_due)} past-due`}
          bad={subscriptions.past_due > 0}
        />
        <Tile
          href="/admin/ops/stripe-events?type=customer.subscription.deleted"
          label={`Churn, last ${churn.window_days} days`}
          value={churn.rate === null ? "—" : `${Math.round(churn.rate * 1000) / 10}%`}
          detail={`${n(churn.canceled)} canceled of ${n(churn.paying_at_start)} paying at the start`}
        />
      </div>
    </>
  );
}
