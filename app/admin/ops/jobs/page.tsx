import type { Metadata } from "next";
import Link from "next/link";
import { StatusTabs } from "@/components/ops/status-tabs";
import { ActionButton } from "@/components/forms/action-button";
import { Alert, Badge, EmptyState, PageHeader } from "@/components/ui";
import { describeFunctions } from "@/inngest/functions";
import { operatorCan, operatorContext } from "@/lib/auth";
import { requireOperator } from "@/lib/auth/next";
import {
  BULK_RERUN_CAP,
  countJobRuns,
  cronIntervalMs,
  JOB_STATUSES,
  jobRunFilterFrom,
  jobRunStats,
  jobRunStatusCounts,
  listJobRuns,
  pausedFunctions,
  staleHeartbeats,
  toJobRunFilter,
} from "@/lib/jobs";
import { pauseFunctionAction, resumeFunctionAction } from "../actions";
import { cockpitWriteStateFor } from "../break-glass-cookie";
import { BulkRerunForm } from "./bulk-rerun-form";
import { JOB_STATUS_TONE } from "./status-tone";
import { formatDateTime } from "@/lib/format";

export const metadata: Metadata = { title: "Job runs" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const ms = (v: number | null) => (v === null ? "—" : v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${v} ms`);

export default async function JobRunsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const operator = await requireOperator("/admin/ops/jobs");
  const ctx = operatorContext(operator);
  const params = await searchParams;
  const functions = describeFunctions();
  // The API's run filter; a bad value is left out here rather than refusing the page.
  const asked = jobRunFilterFrom(params);
  const current = { ...asked, function: functions.find((f) => f.id === asked.function)?.id };
  const { status, function: functionId, org, from, to, q } = current;
  const after = params.after && UUID.test(params.after) ? params.after : undefined;
  const now = ctx.now();
  const filter = toJobRunFilter(current);
  const filtered = Boolean(status || functionId || org || from || to || q);
  const [counts, stats, stale, paused, { runs, next }, matching] = await Promise.all([
    jobRunStatusCounts(ctx),
    jobRunStats(ctx, new Date(now.getTime() - 24 * 3_600_000)),
    staleHeartbeats(now),
    pausedFunctions(ctx),
    listJobRuns(ctx, { ...filter, after, limit: 50 }),
    filtered ? countJobRuns(ctx, filter) : Promise.resolve(0),
  ]);
  const { writable } = await cockpitWriteStateFor(operator.user.id);
  const canRerun = writable && operatorCan(operator.operatorRole, "jobs:rerun");
  const canPause = writable && operatorCan(operator.operatorRole, "jobs:pause");
  const statsById = new Map(stats.map((s) => [s.functionId, s]));
  const link = (extra: Record<string, string | undefined>) => {
    const merged = { ...current, ...extra };
    return `/admin/ops/jobs?${new URLSearchParams(Object.entries(merged).filter((e): e is [string, string] => Boolean(e[1])))}`;
  };
  // A paused function is expected to be quiet: no warning for it.
  const quiet = functions.filter((f) => {
    if (!f.cron || paused.has(f.id)) return false;
    const last = statsById.get(f.id)?.lastStartedAt;
    return !last || now.getTime() - last.getTime() > 2 * cronIntervalMs(f.cron);
  });
  return (
    <>
      <PageHeader
        title="Job runs"
        description="Every background run with its attempts and steps, recorded by the run-tracking middleware."
      />
      {stale.length > 0 || quiet.length > 0 ? (
        <Alert tone="warning" className="mb-4" title="Scheduled functions are not running on time">
          {stale.length > 0 ? `Stale heartbeats: ${stale.join(", ")}. ` : ""}
          {quiet.length > 0 ? `Nothing started recently: ${quiet.map((f) => f.id).join(", ")}. ` : ""}
          Check that Inngest reaches /api/inngest, or run a body once with{" "}
          <code>npm run cli -- jobs:run &lt;id&gt;</code>.
        </Alert>
      ) : null}
      <h2 className="mb-2 text-base font-semibold text-slate-900">Functions (last 24 h)</h2>
      <div className="relative mb-6 overflow-x-auto rounded-lg bg-white ring-1 ring-slate-200">
        <table className="min-w-full text-left text-sm">
          <thead className="bg-slate-50 text-slate-700">
            <tr>
              <th className="px-3 py-2 font-medium">Function</th>
              <th className="px-3 py-2 font-medium">Trigger</th>
              <th className="px-3 py-2 text-right font-medium">Runs</th>
              <th className="px-3 py-2 text-right font-medium">Failed</th>
              <th className="px-3 py-2 text-right font-medium">p50</th>
              <th className="px-3 py-2 text-right font-medium">p95</th>
              <th className="px-3 py-2 text-right font-medium">p99</th>
              <th className="px-3 py-2 font-medium">Last start</th>
              <th className="px-3 py-2 font-medium">Schedule</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {functions.map((f) => {
              const s = statsById.get(f.id);
              const pausedAt = paused.get(f.id);
              return (
                <tr key={f.id}>
                  <td className="px-3 py-2">
                    <Link
                      href={link({ function: f.id, after: undefined })}
                      className="font-medium text-indigo-700 underline"
                    >
                      {f.id}
                    </Link>
                  </td>
                  <td className="px-3 py-2 text-xs text-slate-600">{f.trigger}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{s?.runs ?? 0}</td>
                  <td className={`px-3 py-2 text-right tabular-nums ${s?.failed ? "text-red-700" : ""}`}>
                    {s?.failed ?? 0}
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{ms(s?.p50Ms ?? null)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{ms(s?.p95Ms ?? null)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{ms(s?.p99Ms ?? null)}</td>
                  <td className="px-3 py-2 text-xs text-slate-600">
                    {formatDateTime(s?.lastStartedAt, { seconds: true, empty: "never" })}
                  </td>
                  <td className="px-3 py-2" data-testid={`schedule-${f.id}`}>
                    {!f.cron ? (
                      <span className="text-xs text-slate-500">event only</span>
                    ) : (
                      <div className="flex flex-wrap items-center gap-2">
                        {pausedAt ? (
                          <Badge tone="warning">paused since {formatDateTime(pausedAt)}</Badge>
                        ) : (
                          <Badge tone="success">active</Badge>
                        )}
                        {canPause ? (
                          <ActionButton
                            action={pausedAt ? resumeFunctionAction : pauseFunctionAction}
                            fields={{ id: f.id }}
                            variant="secondary"
                          >
                            <span>
                              {pausedAt ? "Resume" : "Pause"}
                              <span className="sr-only"> {f.id}</span>
                            </span>
                          </ActionButton>
                        ) : null}
                      </div>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <StatusTabs
        label="Status"
        current={status ?? "all"}
        tabs={[
          { key: "all", label: "All", href: link({ status: undefined, after: undefined }) },
          ...JOB_STATUSES.map((s) => ({
            key: s,
            label: s,
            count: counts[s],
            href: link({ status: s, after: undefined }),
          })),
        ]}
      />
      <form role="search" className="mb-4 flex flex-wrap items-end gap-2">
        {status ? <input type="hidden" name="status" value={status} /> : null}
        {functionId ? <input type="hidden" name="function" value={functionId} /> : null}
        <label className="w-full text-sm font-medium text-slate-900 sm:w-auto">
          Search payload, event and error
          <input
            id="q"
            name="q"
            defaultValue={q}
            className="mt-1 block h-10 w-full sm:w-64 rounded-md border border-slate-300 px-3 text-sm"
          />
        </label>
        <label className="w-full text-sm font-medium text-slate-900 sm:w-auto">
          Org id
          <input
            name="org"
            defaultValue={org}
            className="mt-1 block h-10 w-full sm:w-72 rounded-md border border-slate-300 px-3 font-mono text-xs"
          />
        </label>
        <label className="w-full text-sm font-medium text-slate-900 sm:w-auto">
          From (UTC, ISO)
          <input
            name="from"
            defaultValue={from}
            placeholder="2026-01-31T00:00:00Z"
            className="mt-1 block h-10 w-full sm:w-52 rounded-md border border-slate-300 px-3 text-sm"
          />
        </label>
        <label className="w-full text-sm font-medium text-slate-900 sm:w-auto">
          To (UTC, ISO)
          <input
            name="to"
            defaultValue={to}
            placeholder="2026-02-01T00:00:00Z"
            className="mt-1 block h-10 w-full sm:w-52 rounded-md border border-slate-300 px-3 text-sm"
          />
        </label>
        <button type="submit" className="h-10 rounded-md bg-indigo-600 px-4 text-sm font-medium text-white">
          Search
        </button>
        {filtered ? (
          <Link href="/admin/ops/jobs" className="text-sm text-indigo-700 underline">
            Clear filters
          </Link>
        ) : null}
      </form>
      {canRerun && filtered && matching > 0 ? (
        matching <= BULK_RERUN_CAP ? (
          <BulkRerunForm
            key={`${JSON.stringify(current)}:${matching}`}
            filter={Object.fromEntries(Object.entries(current).filter((e): e is [string, string] => Boolean(e[1])))}
            count={matching}
            cap={BULK_RERUN_CAP}
          />
        ) : (
          <Alert tone="info" className="mb-4">
            {matching.toLocaleString("en-US")} runs match: narrow the filter to at most {BULK_RERUN_CAP} to re-run them
            in bulk.
          </Alert>
        )
      ) : null}
      {runs.length === 0 ? (
        <EmptyState title="No runs" description="Nothing matches these filters." />
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg bg-white ring-1 ring-slate-200">
          {runs.map((run) => (
            <li key={run.id} className="flex flex-wrap items-center gap-3 px-3 py-2 text-sm" data-testid="job-run-row">
              <Badge tone={JOB_STATUS_TONE[run.status] ?? "neutral"}>{run.status}</Badge>
              <Link href={`/admin/ops/jobs/${run.id}`} className="font-medium text-indigo-700 underline">
                {run.functionId}
              </Link>
              <span className="text-slate-600">{run.trigger}</span>
              <span className="text-slate-500">{formatDateTime(run.createdAt, { seconds: true })}</span>
              <span className="tabular-nums text-slate-600">{ms(run.durationMs)}</span>
              {run.error ? (
                <span className="min-w-0 max-w-full truncate text-red-700">{run.error.slice(0, 120)}</span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {next ? (
        <Link className="mt-4 inline-block text-sm font-medium text-indigo-700 underline" href={link({ after: next })}>
          Older runs
        </Link>
      ) : null}
    </>
  );
}
