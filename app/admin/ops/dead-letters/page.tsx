import type { Metadata } from "next";
import Link from "next/link";
import { ActionButton } from "@/components/forms/action-button";
import { Badge, EmptyState, PageHeader } from "@/components/ui";
import { operatorCan, operatorContext } from "@/lib/auth";
import { requireOperator } from "@/lib/auth/next";
import { decodeTimeCursor, isAppError } from "@/lib/http";
import { cockpitWriteStateFor } from "../break-glass-cookie";
import { presentOutboxRow } from "@/lib/ops";
import { listOutbox, listOutboxCircuits, OUTBOX_KINDS, outboxCounts } from "@/lib/outbox";
import { discardDeadLetterAction, replayDeadLetterAction } from "../actions";
import { BulkReplayForm } from "./bulk-replay-form";
import { CircuitsPanel } from "./circuits-panel";

export const metadata: Metadata = { title: "Dead letters" };

export default async function DeadLettersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const operator = await requireOperator("/admin/ops/dead-letters");
  const ctx = operatorContext(operator);
  const params = await searchParams;
  const kind = OUTBOX_KINDS.find((k) => k === params.kind);
  const q = params.q?.trim().slice(0, 200) || undefined;
  let cursor = params.cursor;
  try {
    if (cursor) decodeTimeCursor(cursor);
  } catch (error) {
    if (!isAppError(error)) throw error;
    cursor = undefined;
  }
  const [counts, { items, nextCursor }, circuits] = await Promise.all([
    outboxCounts(ctx),
    listOutbox(ctx, { status: "dead", kind, search: q, cursor, limit: 50 }),
    listOutboxCircuits(ctx),
  ]);
  const pii = operatorCan(operator.operatorRole, "ops:read_pii");
  const { writable } = await cockpitWriteStateFor(operator.user.id);
  const canReplay = writable && operatorCan(operator.operatorRole, "dead_letters:replay");
  const canDiscard = writable && operatorCan(operator.operatorRole, "dead_letters:discard");
  return (
    <>
      <PageHeader
        title="Dead letters"
        description={`E-mails, webhooks and background events (to Inngest) that failed every attempt. ${counts.dead.toLocaleString("en-US")} dead · ${(counts.pending + counts.sending).toLocaleString("en-US")} waiting to be sent.`}
      />
      <CircuitsPanel circuits={circuits} canRetry={canReplay} showPii={pii} />
      <form role="search" className="mb-4 flex flex-wrap items-end gap-2">
        <label className="text-sm font-medium text-slate-900" htmlFor="kind">
          Kind
        </label>
        <select
          id="kind"
          name="kind"
          defaultValue={kind ?? ""}
          className="h-10 rounded-md border border-slate-300 px-3 text-sm"
        >
          <option value="">All</option>
          <option value="email">E-mail</option>
          <option value="webhook">Webhook</option>
          <option value="event">Event</option>
        </select>
        <label className="text-sm font-medium text-slate-900" htmlFor="q">
          Search payload and error
        </label>
        <input id="q" name="q" defaultValue={q} className="h-10 w-64 rounded-md border border-slate-300 px-3 text-sm" />
        <button type="submit" className="h-10 rounded-md bg-indigo-600 px-4 text-sm font-medium text-white">
          Filter
        </button>
      </form>
      {canReplay && items.length > 0 ? (
        <BulkReplayForm kind={kind ?? ""} q={q ?? ""} count={nextCursor ? `${items.length}+` : String(items.length)} />
      ) : null}
      {items.length === 0 ? (
        <EmptyState
          title="No dead letters"
          description={q || kind ? "Nothing matches these filters." : "Every message was delivered."}
        />
      ) : (
        <ul className="space-y-3">
          {items.map((row) => {
            const view = presentOutboxRow(row, pii);
            return (
              <li
                key={row.id}
                className="rounded-lg bg-white p-4 text-sm ring-1 ring-slate-200"
                data-testid="dead-letter-row"
              >
                <div className="flex flex-wrap items-center gap-2">
                  <Badge tone="danger">dead</Badge>
                  <Badge>{view.kind}</Badge>
                  <span className="text-slate-600">
                    {view.attempts} attempts · died {view.dead_at?.replace("T", " ").slice(0, 19) ?? "—"}
                  </span>
                  <span className="font-mono text-xs text-slate-500">{view.dedupe_key}</span>
                </div>
                {view.last_error ? <p className="mt-2 break-words text-red-800">{view.last_error}</p> : null}
                <details className="mt-2">
                  <summary className="cursor-pointer text-slate-700">Payload</summary>
                  <pre className="mt-1 overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs text-slate-800">
                    {JSON.stringify(view.payload, null, 2)}
                  </pre>
                </details>
                {canReplay || canDiscard ? (
                  <div className="mt-3 flex flex-wrap gap-2">
                    {canReplay ? (
                      <ActionButton action={replayDeadLetterAction} fields={{ id: row.id }} variant="secondary">
                        Replay
                      </ActionButton>
                    ) : null}
                    {canDiscard ? (
                      <ActionButton action={discardDeadLetterAction} fields={{ id: row.id }} variant="danger">
                        Discard
                      </ActionButton>
                    ) : null}
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      {nextCursor ? (
        <Link
          className="mt-4 inline-block text-sm font-medium text-indigo-700 underline"
          href={`/admin/ops/dead-letters?${new URLSearchParams({ ...(kind ? { kind } : {}), ...(q ? { q } : {}), cursor: nextCursor })}`}
        >
          Older dead letters
        </Link>
      ) : null}
    </>
  );
}
