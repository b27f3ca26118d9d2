import type { Metadata } from "next";
import Link from "next/link";
import { Badge, EmptyState, PageHeader } from "@/components/ui";
import { operatorCan, operatorContext } from "@/lib/auth";
import { requireOperator } from "@/lib/auth/next";
import { listAudit } from "@/lib/audit";
import { decodeTimeCursor, isAppError } from "@/lib/http";
import { maskEmail } from "@/lib/format";
import { formatDateTime } from "@/lib/format";

export const metadata: Metadata = { title: "Audit log" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const operator = await requireOperator("/admin/ops/audit");
  const params = await searchParams;
  let cursor;
  try {
    cursor = params.cursor ? decodeTimeCursor(params.cursor) : undefined;
  } catch (error) {
    if (!isAppError(error)) throw error;
  }
  const q = params.q?.trim().slice(0, 200) || undefined;
  const org = params.org && UUID.test(params.org) ? params.org : undefined;
  const { data, nextCursor } = await listAudit(operatorContext(operator), { search: q, orgId: org, cursor });
  const pii = operatorCan(operator.operatorRole, "ops:read_pii");
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every operator and billing write: who, what, on what, before and after. Append-only: nobody can edit or delete an entry."
      />
      <form role="search" className="mb-4 flex flex-wrap items-end gap-2">
        <label className="text-sm font-medium text-slate-900" htmlFor="q">
          Search
        </label>
        <input
          id="q"
          name="q"
          defaultValue={q}
          placeholder="action, e-mail, target id, reason"
          className="h-10 w-72 rounded-md border border-slate-300 px-3 text-sm"
        />
        <label className="text-sm font-medium text-slate-900" htmlFor="org">
          Org id
        </label>
        <input
          id="org"
          name="org"
          defaultValue={org}
          className="h-10 w-80 rounded-md border border-slate-300 px-3 font-mono text-sm"
        />
        <button type="submit" className="h-10 rounded-md bg-indigo-600 px-4 text-sm font-medium text-white">
          Search
        </button>
      </form>
      {data.length === 0 ? (
        <EmptyState title="No entries" description="Nothing matches this search." />
      ) : (
        <ol className="space-y-2">
          {data.map((r) => (
            <li key={r.id} className="rounded-lg bg-white p-3 text-sm ring-1 ring-slate-200" data-testid="audit-row">
              <div className="flex flex-wrap items-center gap-2">
                <span className="text-slate-500">{formatDateTime(r.at, { seconds: true })}</span>
                <Badge tone="indigo">{r.action}</Badge>
                <span className="text-slate-800">
                  {r.actorType}
                  {r.actorEmail ? ` · ${pii ? r.actorEmail : maskEmail(r.actorEmail)}` : ""}
                </span>
                {r.targetType ? (
                  <span className="font-mono text-xs text-slate-600">
                    {r.targetType} {r.targetId}
                  </span>
                ) : null}
                {r.orgId ? (
                  <Link
                    href={`/admin/ops/audit?org=${r.orgId}`}
                    className="font-mono text-xs text-indigo-700 underline"
                  >
                    org {r.orgId.slice(0, 8)}
                  </Link>
                ) : null}
              </div>
              {r.reason ? <p className="mt-1 text-slate-700">Reason: {r.reason}</p> : null}
              {r.before || r.after ? (
                <pre className="mt-2 overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs text-slate-800">
                  {JSON.stringify({ before: r.before, after: r.after })}
                </pre>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      {nextCursor ? (
        <Link
          className="mt-4 inline-block text-sm font-medium text-indigo-700 underline"
          href={`/admin/ops/audit?${new URLSearchParams({ ...(q ? { q } : {}), ...(org ? { org } : {}), cursor: nextCursor })}`}
        >
          Older entries
        </Link>
      ) : null}
    </>
  );
}
