import type { Fit } from "@/lib/opportunities";

/**
 * The page's "Not relevant" form action and where the member returns to (with an Undo). The
 * page passes the action in, as it does the Track action: components never import from `app/`.
 */
export interface DismissAction {
  action: (formData: FormData) => Promise<void>;
  returnTo: string;
}

const dismissClasses =
  "rounded px-2 py-1 text-xs font-medium text-slate-600 ring-1 ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600";

/** "Fit 85 · Exact NAICS 541512 · In VA": the same words on a card, a match and a notice's page. */
export function FitLine({ fit }: { fit: Fit }) {
  return (
    <p className="text-sm text-slate-700" data-testid="fit-line">
      <span className="mr-1 rounded bg-emerald-50 px-1.5 py-0.5 font-semibold text-emerald-800 ring-1 ring-emerald-200">
        Fit {fit.score}
      </span>
      {fit.reasons.length ? fit.reasons.join(" · ") : "Nothing in your profile matches this notice."}
    </p>
  );
}

/** One notice's hidden fields and a submit button posting to a mark/undo action: no client code. */
export function NoticeActionForm({
  action,
  noticeId,
  returnTo,
  label,
  children,
}: {
  action: (formData: FormData) => Promise<void>;
  noticeId: string;
  returnTo: string;
  label: string;
  children: string;
}) {
  return (
    <form action={action}>
      <input type="hidden" name="notice_id" value={noticeId} />
      <input type="hidden" name="return_to" value={returnTo} />
      <button type="submit" aria-label={label} className={dismissClasses}>
        {children}
      </button>
    </form>
  );
}

/**
 * How well a match fits the org and why, in words, with the one-click "Not relevant" button for
 * members who may mark it (`dismiss`, absent for the others).
 */
export function FitSummary({
  noticeId,
  title,
  fit,
  dismiss,
}: {
  noticeId: string;
  title: string;
  fit?: Fit;
  dismiss?: DismissAction;
}) {
  if (!fit && !dismiss) return null;
  return (
    <div className="mt-3 flex flex-wrap items-center justify-between gap-2" data-testid="fit-summary">
      {fit ? <FitLine fit={fit} /> : <span />}
      {dismiss ? (
        <NoticeActionForm
          action={dismiss.action}
          noticeId={noticeId}
          returnTo={dismiss.returnTo}
          label={`Not relevant: ${title}`}
        >
          Not relevant
        </NoticeActionForm>
      ) : null}
    </div>
  );
}
