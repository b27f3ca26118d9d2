import type { Metadata } from "next";
import Link from "next/link";
import { StatusTabs } from "@/components/ops/status-tabs";
import { Alert, Badge, EmptyState, PageHeader } from "@/components/ui";
import { operatorContext } from "@/lib/auth";
import { requireOperator } from "@/lib/auth/next";
import { decodeTimeCursor, isAppError } from "@/lib/http";
import { CUSTOMER_SEGMENTS, customerSegmentCounts, searchCustomers, type CustomerSegment } from "@/lib/ops";
import { subscriptionTone } from "./status-tone";
import { formatDate } from "@/lib/format";

export const metadata: Metadata = { title: "Customers" };

const SEGMENT_LABELS: Record<CustomerSegment, string> = {
  all: "All",
  trialing: "Trialing",
  active: "Active",
  past_due: "Past due",
  free: "Free",
  stuck: "Stuck",
};

export default async function CustomersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const ctx = operatorContext(await requireOperator("/admin/ops/customers"));
  const params = await searchParams;
  const segment = CUSTOMER_SEGMENTS.find((s) => s === params.segment) ?? "all";
  const q = params.q?.trim().slice(0, 200) ?? "";
  let cursor;
  try {
    cursor = params.cursor ? decodeTimeCursor(params.cursor) : undefined;
  } catch (error) {
    if (!isAppError(error)) throw error;
  }
  const [counts, { items, nextCursor }] = await Promise.all([
    customerSegmentCounts(ctx),
    searchCustomers(ctx, { q, segment, cursor, limit: 50 }),
  ]);
  const link = (next: { segment?: CustomerSegment; cursor?: string }) => {
    const query = new URLSearchParams();
    const s = next.segment ?? segment;
    if (s !== "all") query.set("segment", s);
    if (q) query.set("q", q);
    if (next.cursor) query.set("cursor", next.cursor);
    const text = query.toString();
    return `/admin/ops/customers${text ? `?${text}` : ""}`;
  };
  return (
    <>
      <PageHeader
        title="Customers"
        description="Find a customer by organisation name, member e-mail or Stripe customer id (cus_…)."
      />
      {params.deleted ? (
        <Alert tone="success" className="mb-4">
          The customer was deleted. The audit log keeps the record.
        </Alert>
      ) : null}
      <form role="search" className="mb-4 flex flex-wrap items-end gap-2">
        {segment !== "all" ? <input type="hidden" name="segment" value={segment} /> : null}
        <label className="text-sm font-medium text-slate-900" htmlFor="q">
          Name, e-mail or Stripe id
        </label>
        <input
          id="q"
          name="q"
          type="search"
          defaultValue={q}
          className="h-10 w-72 max-w-full rounded-md border border-slate-300 px-3 text-sm"
        />
        <button type="submit" className="h-10 rounded-md bg-indigo-600 px-4 text-sm font-medium text-white">
          Search
        </button>
      </form>
      <StatusTabs
        label="Customer segments"
        current={segment}
        tabs={CUSTOMER_SEGMENTS.map((s) => ({
          key: s,
          label: SEGMENT_LABELS[s],
          count: counts[s],
          href: link({ segment: s }),
        }))}
      />
      {items.length === 0 ? (
        <EmptyState
          title="No customers found"
          description={q ? `Nothing matches “${q}” in this tab.` : "No customer is in this tab."}
        />
      ) : (
        <div className="relative overflow-x-auto rounded-lg bg-white ring-1 ring-slate-200">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">Customers, newest first</caption>
            <thead className="bg-slate-50 text-slate-700">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Organisation
                </th>
                <th scope="col" className="px-3 py-2">
                  Plan
                </th>
                <th scope="col" className="px-3 py-2">
                  Subscription
                </th>
                <th scope="col" className="px-3 py-2">
                  Onboarding
                </th>
                <th scope="col" className="px-3 py-2">
                  Ops alerts
                </th>
                <th scope="col" className="px-3 py-2">
                  Signed up
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id} className="border-t border-slate-100" data-testid="customer-row">
                  <td className="px-3 py-2">
                    <Link href={`/admin/ops/customers/${c.id}`} className="font-medium text-indigo-700 underline">
                      {c.name}
                    </Link>
                  </td>
                  <td className="px-3 py-2">{c.plan}</td>
                  <td className="px-3 py-2">
                    {c.subscriptionStatus ? (
                      <Badge tone={subscriptionTone(c.subscriptionStatus)}>
                        {c.subscriptionStatus.replace("_", " ")}
                      </Badge>
                    ) : (
                      <span className="text-slate-500">none</span>
                    )}
                  </td>
                  <td className="px-3 py-2">
                    {c.onboardingCompletedAt ? "complete" : <span className="text-amber-800">in progress</span>}
                  </td>
                  <td className="px-3 py-2 tabular-nums">
                    {c.openAlerts > 0 ? <Badge tone="danger">{c.openAlerts} open</Badge> : "—"}
                    {c.opsAlertsMutedUntil && c.opsAlertsMutedUntil > new Date() ? (
                      <span className="ml-2 text-xs text-slate-600">muted</span>
                    ) : null}
                  </td>
                  <td className="px-3 py-2 tabular-nums text-slate-600">{formatDate(c.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextCursor ? (
        <Link
          className="mt-4 inline-block text-sm font-medium text-indigo-700 underline"
          href={link({ cursor: nextCursor })}
        >
          Older customers
        </Link>
      ) : null}
    </>
  );
}
