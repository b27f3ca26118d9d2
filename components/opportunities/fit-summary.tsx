import { notRelevantAction } from "@/app/(app)/opportunities/actions";
import type { Fit } from "@/lib/opportunities";

/**
 * How well a match fits the org and why, in words, with the one-click "Not relevant" button for
 * members who may mark it (a plain form posting to a server action: no client code).
 */
export function FitSummary({
  noticeId,
  title,
  fit,
  canDismiss,
}: {
  noticeId: string;
  title: string;
  fit?: Fit;
  canDismiss: boolean;
}) {
  if (!fit && !canDismiss) return null;
  return (
    <div className="mt-3 flex flex-wrap items-center justify-between gap-2" data-testid="fit-summary">
      {fit ? (
        <p className="text-sm text-slate-700">
          <span className="mr-1 rounded bg-emerald-50 px-1.5 py-0.5 font-semibold text-emerald-800 ring-1 ring-emerald-200">
            Fit {fit.score}
          </span>
          {fit.reasons.length ? fit.reasons.join(" · ") : "Nothing in your profile matches this notice."}
        </p>
      ) : (
        <span />
      )}
      {canDismiss ? (
        <form action={notRelevantAction}>
          <input type="hidden" name="notice_id" value={noticeId} />
          <button
            type="submit"
            aria-label={`Not relevant: ${title}`}
            className="rounded px-2 py-1 text-xs font-medium text-slate-600 ring-1 ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
          >
            Not relevant
          </button>
        </form>
      ) : null}
    </div>
  );
}
