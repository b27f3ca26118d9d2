import type { Metadata } from "next";
import Link from "next/link";
import { Badge, EmptyState, PageHeader } from "@/components/ui";
import { operatorContext } from "@/lib/auth";
import { requireOperator } from "@/lib/auth/next";
import { listOpsAlerts, OPS_ALERT_KINDS, OPS_ALERT_SEVERITY } from "@/lib/ops";
import { formatDateTime } from "@/lib/format";

export const metadata: Metadata = { title: "Ops alerts" };

export default async function OpsAlertsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const ctx = operatorContext(await requireOperator("/admin/ops/alerts"));
  const params = await searchParams;
  const kind = OPS_ALERT_KINDS.find((k) => k === params.kind);
  const status = params.status === "resolved" ? "resolved" : params.status === "all" ? undefined : "open";
  const severity = params.severity === "critical" || params.severity === "warning" ? params.severity : undefined;
  const subject = params.subject?.trim().slice(0, 200) || undefined;
  const shown = await listOpsAlerts(ctx, { status, kind, severity, subject });
  return (
    <>
      <PageHeader
        title="Ops alerts"
        description="Stuck customers and system thresholds, checked every 15 minutes. One alert per condition and subject stays open until the condition clears."
      />
      <form className="mb-4 flex flex-wrap items-end gap-2" role="search">
        <label className="text-sm font-medium text-slate-900" htmlFor="status">
          Status
        </label>
        <select
          id="status"
          name="status"
          defaultValue={params.status ?? "open"}
          className="h-10 rounded-md border border-slate-300 px-3 text-sm"
        >
          <option value="open">Open</option>
          <option value="resolved">Resolved</option>
          <option value="all">All</option>
        </select>
        <label className="text-sm font-medium text-slate-900" htmlFor="kind">
          Type
        </label>
        <select
          id="kind"
          name="kind"
          defaultValue={kind ?? ""}
          className="h-10 rounded-md border border-slate-300 px-3 text-sm"
        >
          <option value="">All</option>
          {OPS_ALERT_KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <label className="text-sm font-medium text-slate-900" htmlFor="severity">
          Severity
        </label>
        <select
          id="severity"
          name="severity"
          defaultValue={severity ?? ""}
          className="h-10 rounded-md border border-slate-300 px-3 text-sm"
        >
          <option value="">All</option>
          <option value="critical">Critical</option>
          <option value="warning">Warning</option>
        </select>
        <label className="text-sm font-medium text-slate-900" htmlFor="subject">
          Subject
        </label>
        <input
          id="subject"
          name="subject"
          defaultValue={subject}
          className="h-10 w-64 rounded-md border border-slate-300 px-3 text-sm"
        />
        <button type="submit" className="h-10 rounded-md bg-indigo-600 px-4 text-sm font-medium text-white">
          Filter
        </button>
      </form>
      {shown.length === 0 ? (
        <EmptyState
          title="No alerts"
          description={status === "open" ? "Nothing needs attention." : "Nothing matches these filters."}
        />
      ) : (
        <ul className="space-y-2">
          {shown.map((a) => (
            <li
              key={a.id}
              className="rounded-lg bg-white p-3 text-sm ring-1 ring-slate-200"
              data-testid="ops-alert-row"
            >
              <div className="flex flex-wrap items-center gap-2">
                <Badge tone={a.severity === "critical" ? "danger" : "warning"}>
                  {OPS_ALERT_SEVERITY[a.kind as keyof typeof OPS_ALERT_SEVERITY] ?? a.severity}
                </Badge>
                <Badge>{a.kind}</Badge>
                <Badge tone={a.status === "open" ? "indigo" : "neutral"}>{a.status}</Badge>
                <span className="text-slate-500">
                  since {formatDateTime(a.firstSeenAt)} · last seen {formatDateTime(a.lastSeenAt)}
                </span>
                {a.orgId ? (
                  <Link
                    className="font-mono text-xs text-indigo-700 underline"
                    href={`/admin/ops/audit?org=${a.orgId}`}
                  >
                    org {a.orgId.slice(0, 8)}
                  </Link>
                ) : (
                  <span className="font-mono text-xs text-slate-600">{a.subject}</span>
                )}
              </div>
              <p className="mt-1 text-slate-800">{a.summary}</p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
