import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardBody, PageHeader } from "@/components/ui";
import { healthSummary, platformCounts } from "@/lib/ops";

export const metadata: Metadata = { title: "Ops overview" };

const TILES: { key: keyof Awaited<ReturnType<typeof platformCounts>>; label: string }[] = [
  { key: "organizations", label: "Organisations" },
  { key: "users", label: "Users" },
  { key: "signupsLast7d", label: "Sign-ups, last 7 days" },
  { key: "activeApiKeys", label: "Active API keys" },
  { key: "emailsLast24h", label: "E-mails, last 24 h" },
  { key: "emailFailuresLast24h", label: "E-mail failures, last 24 h" },
  { key: "operators", label: "Operators" },
];

function HealthTile({ href, label, value, bad }: { href: string; label: string; value: string; bad: boolean }) {
  return (
    <Link href={href} className={`block rounded-lg p-4 ring-1 hover:ring-indigo-400 ${bad ? "bg-red-50 ring-red-300" : "bg-white ring-slate-200"}`}>
      <p className="text-sm text-slate-600">{label}</p>
      <p className={`mt-1 text-2xl font-semibold ${bad ? "text-red-700" : "text-slate-900"}`}>{value}</p>
    </Link>
  );
}

export default async function OpsOverviewPage() {
  const [counts, health] = await Promise.all([platformCounts(), healthSummary()]);
  const failureRate = health.jobRuns24h > 0 ? Math.round((health.jobFailures24h / health.jobRuns24h) * 1000) / 10 : 0;
  return (
    <>
      <PageHeader title="Operations" description="Platform at a glance." />
      <h2 className="mb-2 text-base font-semibold text-slate-900">Needs attention</h2>
      <div className="mb-6 grid grid-cols-2 gap-4 lg:grid-cols-3" data-testid="health-tiles">
        <HealthTile href="/admin/ops/alerts" label="Open ops alerts" value={`${health.openAlerts} (${health.criticalAlerts} critical)`} bad={health.criticalAlerts > 0} />
        <HealthTile href="/admin/ops/dead-letters" label="Dead letters" value={health.deadLetters.toLocaleString("en-US")} bad={health.deadLetters > 0} />
        <HealthTile href="/admin/ops/dead-letters" label="Outbox backlog" value={health.outboxBacklog.toLocaleString("en-US")} bad={health.outboxBacklog > 100} />
        <HealthTile href="/admin/ops/stripe-events?status=failed" label="Failed Stripe events" value={health.failedStripeEvents.toLocaleString("en-US")} bad={health.failedStripeEvents > 0} />
        <HealthTile href="/admin/ops/jobs?status=failed" label="Job failures, last 24 h" value={`${health.jobFailures24h} of ${health.jobRuns24h} (${failureRate}%)`} bad={failureRate > 10} />
        <HealthTile href="/admin/ops/jobs" label="Stale heartbeats" value={health.staleHeartbeats.length ? health.staleHeartbeats.join(", ") : "none"} bad={health.staleHeartbeats.length > 0} />
      </div>
      <h2 className="mb-2 text-base font-semibold text-slate-900">Platform</h2>
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        {TILES.map((tile) => (
          <Card key={tile.key}>
            <CardBody>
              <p className="text-sm text-slate-600">{tile.label}</p>
              <p className={`mt-1 text-2xl font-semibold ${tile.key === "emailFailuresLast24h" && counts[tile.key] > 0 ? "text-red-700" : "text-slate-900"}`}>
                {counts[tile.key].toLocaleString("en-US")}
              </p>
            </CardBody>
          </Card>
        ))}
      </div>
    </>
  );
}
