import Link from "next/link";
import { Alert, Badge, Card, CardBody, CardHeader } from "@/components/ui";
import { formatDate } from "@/lib/format";
import { PAUSE_REASON_TEXT, type AlertPauseReason } from "@/lib/alerts";
import type { DashboardSummary } from "@/lib/dashboard";

const count = (n: number) => n.toLocaleString("en-US");

/** The dashboard's first screen: new matches, deadlines coming up, what each alert last sent, and the API quota. */
export function AtAGlance({ summary, naics }: { summary: DashboardSummary; naics: string[] }) {
  const { quota } = summary;
  const used = Math.max(0, quota.quota_monthly - quota.quota_remaining);
  const usedPct = quota.quota_monthly > 0 ? Math.min(100, Math.round((used / quota.quota_monthly) * 100)) : 0;
  const search = naics.length
    ? `/opportunities?${naics.map((c) => `naics=${encodeURIComponent(c)}`).join("&")}`
    : "/opportunities";
  return (
    <section aria-labelledby="at-a-glance" className="space-y-4">
      <h2 id="at-a-glance" className="sr-only">
        At a glance
      </h2>
      {summary.feed.notice ? <Alert tone="info">{summary.feed.notice}.</Alert> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <Card>
          <CardBody>
            <h3 className="font-semibold text-slate-900">New this week</h3>
            {summary.newThisWeek === null ? (
              <p className="mt-1 text-sm text-slate-600">
                Describe your business to see the opportunities that fit it.
              </p>
            ) : (
              <p className="mt-1 text-sm text-slate-600" data-testid="new-this-week">
                <span className="text-2xl font-semibold tabular-nums text-slate-900">{count(summary.newThisWeek)}</span>{" "}
                open notices in your industries posted in the last 7 days.{" "}
                <Link href={search} className="font-medium text-indigo-700 underline">
                  See them
                </Link>
              </p>
            )}
          </CardBody>
        </Card>
        <Card>
          <CardBody>
            <h3 className="font-semibold text-slate-900">API calls this month</h3>
            <p className="mt-1 text-sm text-slate-600">
              {count(used)} of {count(quota.quota_monthly)} used
              {quota.credits_remaining > 0 ? `, plus ${count(quota.credits_remaining)} credits` : ""}; renews{" "}
              {formatDate(quota.period_end)}.
            </p>
            <div
              role="meter"
              aria-label="API calls used this month"
              aria-valuemin={0}
              aria-valuemax={quota.quota_monthly}
              aria-valuenow={used}
              className="mt-3 h-2 overflow-hidden rounded-full bg-slate-200"
            >
              <div
                className={`h-full ${usedPct >= 90 ? "bg-red-600" : usedPct >= 80 ? "bg-amber-500" : "bg-indigo-600"}`}
                style={{ width: `${usedPct}%` }}
              />
            </div>
          </CardBody>
        </Card>
      </div>
      <Card>
        <CardHeader
          title="Response deadlines coming up"
          description="Open notices in your industries whose responses are due in the next two weeks, soonest first."
          as="h3"
        />
        <CardBody>
          {summary.deadlines.length === 0 ? (
            <p className="text-sm text-slate-600">
              {summary.newThisWeek === null
                ? "Describe your business to see its deadlines."
                : "Nothing in your industries is due in the next two weeks."}
            </p>
          ) : (
            <ul className="divide-y divide-slate-100" data-testid="upcoming-deadlines">
              {summary.deadlines.map((d) => (
                <li key={d.noticeId} className="flex flex-wrap items-baseline justify-between gap-2 py-2">
                  <Link href={`/opportunities/${d.noticeId}`} className="min-w-0 font-medium text-indigo-700 underline">
                    {d.title}
                  </Link>
                  <span className="text-sm text-slate-600">
                    due {formatDate(d.responseDeadline)} ·{" "}
                    <span className={d.daysLeft <= 3 ? "font-semibold text-red-700" : ""}>
                      {d.daysLeft === 0 ? "today" : `${d.daysLeft} day${d.daysLeft === 1 ? "" : "s"} left`}
                    </span>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Your alerts" description="What each one sent last." as="h3" />
        <CardBody>
          {summary.alerts.length === 0 ? (
            <p className="text-sm text-slate-600">
              No alerts yet.{" "}
              <Link href="/alerts" className="font-medium text-indigo-700 underline">
                Create one
              </Link>
            </p>
          ) : (
            <ul className="divide-y divide-slate-100" data-testid="alert-digests">
              {summary.alerts.map((a) => (
                <li key={a.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
                  <span className="flex flex-wrap items-center gap-2">
                    <span className="font-medium text-slate-900">{a.name}</span>
                    <Badge>{a.frequency}</Badge>
                    {!a.active ? (
                      <Badge tone="neutral">
                        {a.pausedReason === "unsubscribed" ? PAUSE_REASON_TEXT.unsubscribed : "paused"}
                      </Badge>
                    ) : a.pausedReason ? (
                      <Badge tone="warning">{PAUSE_REASON_TEXT[a.pausedReason as AlertPauseReason]}</Badge>
                    ) : null}
                  </span>
                  <span className="text-slate-600">
                    {!a.lastDigestAt
                      ? "Nothing sent yet"
                      : a.lastDigestMatches
                        ? `Last sent ${formatDate(a.lastDigestAt)} with ${count(a.lastDigestMatches)} match${a.lastDigestMatches === 1 ? "" : "es"}`
                        : `Checked ${formatDate(a.lastDigestAt)}: nothing new`}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </CardBody>
      </Card>
    </section>
  );
}
