import type { Metadata } from "next";
import Link from "next/link";
import { StatusTabs } from "@/components/ops/status-tabs";
import { ActionButton } from "@/components/forms/action-button";
import { Alert, Badge, EmptyState, PageHeader, type BadgeTone } from "@/components/ui";
import { operatorCan, operatorContext } from "@/lib/auth";
import { requireOperator } from "@/lib/auth/next";
import { decodeTimeCursor, isAppError } from "@/lib/http";
import { cockpitWriteStateFor } from "../break-glass-cookie";
import { listStripeEvents, stripeEventCounts, STRIPE_EVENT_STATUSES, type StripeEventStatus } from "@/lib/ops";
import { reprocessStripeEventAction } from "../actions";
import { formatDateTime } from "@/lib/format";

export const metadata: Metadata = { title: "Stripe events" };

const TONE: Record<StripeEventStatus, BadgeTone> = {
  received: "neutral",
  processing: "indigo",
  processed: "success",
  failed: "danger",
};

export default async function StripeEventsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const operator = await requireOperator("/admin/ops/stripe-events");
  const ctx = operatorContext(operator);
  const params = await searchParams;
  const status = STRIPE_EVENT_STATUSES.find((s) => s === params.status);
  let cursor;
  try {
    cursor = params.cursor ? decodeTimeCursor(params.cursor) : undefined;
  } catch (error) {
    if (!isAppError(error)) throw error;
  }
  const [counts, { data, nextCursor }] = await Promise.all([
    stripeEventCounts(ctx),
    listStripeEvents(ctx, {
      status,
      type: params.type?.slice(0, 100) || undefined,
      id: params.id?.slice(0, 255) || undefined,
      cursor,
    }),
  ]);
  const canReprocess =
    operatorCan(operator.operatorRole, "stripe_events:reprocess") &&
    (await cockpitWriteStateFor(operator.user.id)).writable;
  const tab = (s?: StripeEventStatus) => `/admin/ops/stripe-events${s ? `?status=${s}` : ""}`;
  return (
    <>
      <PageHeader
        title="Stripe events"
        description="Every verified webhook event, stored before processing (metadata only, never card data). Failed ones can be re-processed: Beacon fetches the event from Stripe again."
      />
      <StatusTabs
        label="Status"
        current={status ?? "all"}
        tabs={[
          { key: "all", label: "All", href: tab() },
          ...STRIPE_EVENT_STATUSES.map((s) => ({ key: s, label: s, count: counts[s], href: tab(s) })),
        ]}
      />
      <form role="search" className="mb-4 flex flex-wrap items-end gap-2">
        {status ? <input type="hidden" name="status" value={status} /> : null}
        <label className="text-sm font-medium text-slate-900" htmlFor="type">
          Type
        </label>
        <input
          id="type"
          name="type"
          defaultValue={params.type}
          placeholder="invoice.payment_failed"
          className="h-10 rounded-md border border-slate-300 px-3 text-sm"
        />
        <label className="text-sm font-medium text-slate-900" htmlFor="id">
          Event or object id
        </label>
        <input
          id="id"
          name="id"
          defaultValue={params.id}
          placeholder="evt_… / sub_… / cus_…"
          className="h-10 rounded-md border border-slate-300 px-3 text-sm"
        />
        <button type="submit" className="h-10 rounded-md bg-indigo-600 px-4 text-sm font-medium text-white">
          Filter
        </button>
      </form>
      {counts.failed > 0 && status !== "failed" ? (
        <Alert
          tone="warning"
          className="mb-4"
          title={`${counts.failed} failed event(s)`}
          action={
            <Link href={tab("failed")} className="text-sm font-medium underline">
              Show them
            </Link>
          }
        >
          Stripe retries failed deliveries for three days; re-process here to apply them now.
        </Alert>
      ) : null}
      {data.length === 0 ? (
        <EmptyState title="No Stripe events" description="Nothing matches these filters." />
      ) : (
        <div className="relative overflow-x-auto rounded-lg bg-white ring-1 ring-slate-200">
          <table className="min-w-full text-left text-sm">
            <thead className="bg-slate-50 text-slate-700">
              <tr>
                <th className="px-3 py-2 font-medium">Received</th>
                <th className="px-3 py-2 font-medium">Type</th>
                <th className="px-3 py-2 font-medium">Status</th>
                <th className="px-3 py-2 font-medium">Object / org</th>
                <th className="px-3 py-2 font-medium">Attempts · last error</th>
                <th className="px-3 py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {data.map((e) => (
                <tr key={e.id} data-testid="stripe-event-row">
                  <td className="whitespace-nowrap px-3 py-2 text-slate-600">
                    {formatDateTime(e.receivedAt, { seconds: true })}
                  </td>
                  <td className="px-3 py-2">
                    <span className="font-medium text-slate-900">{e.type}</span>
                    <div className="font-mono text-xs text-slate-500">{e.id}</div>
                  </td>
                  <td className="px-3 py-2">
                    <Badge tone={TONE[e.status as StripeEventStatus] ?? "neutral"}>{e.status}</Badge>
                  </td>
                  <td className="px-3 py-2 font-mono text-xs text-slate-700">
                    {e.objectId ?? "—"}
                    <div>{e.orgId ?? "no org"}</div>
                  </td>
                  <td className="max-w-xs px-3 py-2 text-xs text-slate-700">
                    {e.attempts}
                    {e.lastError ? <div className="break-words text-red-700">{e.lastError}</div> : null}
                  </td>
                  <td className="px-3 py-2">
                    {canReprocess && (e.status === "failed" || e.status === "received") ? (
                      <ActionButton action={reprocessStripeEventAction} fields={{ id: e.id }} variant="secondary">
                        Re-process
                      </ActionButton>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextCursor ? (
        <Link
          className="mt-4 inline-block text-sm font-medium text-indigo-700 underline"
          href={`/admin/ops/stripe-events?${new URLSearchParams({ ...(status ? { status } : {}), ...(params.type ? { type: params.type } : {}), ...(params.id ? { id: params.id } : {}), cursor: nextCursor })}`}
        >
          Older events
        </Link>
      ) : null}
    </>
  );
}
