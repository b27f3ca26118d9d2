import Link from "next/link";
import { Badge, type BadgeTone } from "@/components/ui";
import type { TimelineEntry, TimelineKind } from "@/lib/ops";
import { formatDateTime } from "@/lib/format";

const KIND_LABEL: Record<TimelineKind, string> = {
  audit: "audit",
  email: "e-mail",
  payment: "payment",
  stripe_event: "Stripe",
  job_run: "job run",
  ops_alert: "ops alert",
  onboarding: "onboarding",
  alert: "alert",
  api_key: "API key",
  api_usage: "API usage",
};
const KIND_TONE: Record<TimelineKind, BadgeTone> = {
  audit: "neutral",
  email: "indigo",
  payment: "success",
  stripe_event: "neutral",
  job_run: "neutral",
  ops_alert: "warning",
  onboarding: "success",
  alert: "indigo",
  api_key: "indigo",
  api_usage: "neutral",
};
const BAD = new Set(["failed", "dead", "open"]);

/** One customer's story, newest first, with a link to the older page. */
export function CustomerTimeline({
  orgId,
  entries,
  nextCursor,
}: {
  orgId: string;
  entries: TimelineEntry[];
  nextCursor: string | null;
}) {
  return (
    <section aria-labelledby="timeline-heading" className="mt-6">
      <h2 id="timeline-heading" className="mb-2 text-lg font-semibold text-slate-900">
        Timeline
      </h2>
      {entries.length === 0 ? (
        <p className="text-sm text-slate-600">Nothing has happened for this customer yet.</p>
      ) : (
        <ol className="space-y-2">
          {entries.map((entry) => (
            <li
              key={entry.key}
              className="flex flex-wrap items-baseline gap-2 rounded-md bg-white p-2 text-sm ring-1 ring-slate-200"
              data-testid="timeline-entry"
            >
              <time dateTime={entry.at.toISOString()} className="w-36 shrink-0 tabular-nums text-slate-600">
                {formatDateTime(entry.at)}
              </time>
              <Badge tone={KIND_TONE[entry.kind]}>{KIND_LABEL[entry.kind]}</Badge>
              {entry.href ? (
                <Link href={entry.href} className="font-medium text-indigo-700 underline">
                  {entry.title}
                </Link>
              ) : (
                <span className="font-medium text-slate-900">{entry.title}</span>
              )}
              {entry.status ? <Badge tone={BAD.has(entry.status) ? "danger" : "neutral"}>{entry.status}</Badge> : null}
              {entry.detail ? <span className="break-all text-slate-600">{entry.detail}</span> : null}
            </li>
          ))}
        </ol>
      )}
      {nextCursor ? (
        <Link
          href={`/admin/ops/customers/${orgId}?${new URLSearchParams({ tcursor: nextCursor })}#timeline-heading`}
          className="mt-3 inline-block text-sm font-medium text-indigo-700 underline"
        >
          Older events
        </Link>
      ) : null}
    </section>
  );
}
