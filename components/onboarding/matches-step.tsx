import Link from "next/link";
import { markMatchesViewedAction, widenProfileAction } from "@/app/(app)/onboarding/actions";
import { Alert, Badge, buttonClasses } from "@/components/ui";
import { NoticeStatusBadge } from "@/components/opportunities/notice-status-badge";
import { FitSummary, type DismissAction } from "@/components/opportunities/fit-summary";
import { NotRelevantUndo } from "@/components/opportunities/not-relevant-undo";
import { SampleDataBanner } from "@/components/opportunities/sample-data-banner";
import { FEW_MATCHES, onboardingPath, type OnboardingMatches } from "@/lib/onboarding";
import type { OpportunityFeed } from "@/lib/opportunities";
import { ActionButton } from "@/components/forms/action-button";
import { formatDate } from "@/lib/format";

function plural(n: number, one: string, many = `${one}s`) {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

/** Step 3: what matches right now, ranked, with why each matched; ways to widen when little does. */
export function MatchesStep({
  matches,
  widened,
  feed,
  dismiss,
  undo,
}: {
  matches: OnboardingMatches;
  widened: boolean;
  feed: OpportunityFeed;
  /** The "Not relevant" action, for members who may mark notices. */
  dismiss?: DismissAction;
  /** The notice just marked not relevant, with the action that takes the mark back. */
  undo?: { noticeId: string; title: string; action: (formData: FormData) => Promise<void> };
}) {
  const { total, results, widen } = matches;
  const allNotices = new URLSearchParams([
    ...(matches.filters.naics ?? []).map((c) => ["naics", c]),
    ["status", "all"],
  ]);
  return (
    <div className="space-y-6">
      <SampleDataBanner feed={feed} />
      {undo ? (
        <NotRelevantUndo
          noticeId={undo.noticeId}
          title={undo.title}
          returnTo={dismiss?.returnTo ?? onboardingPath("matches")}
          undo={undo.action}
        />
      ) : null}
      {widened ? (
        <Alert tone="success">
          Profile widened. Your first alert follows it, unless you had changed the alert’s filters yourself.
        </Alert>
      ) : null}
      <h2 className="text-lg font-semibold text-slate-900" aria-live="polite">
        {total === 0
          ? "No open opportunities match your profile yet"
          : `${plural(total, "opportunity", "opportunities")} match${total === 1 ? "es" : ""} your profile right now`}
      </h2>
      <p className="text-sm text-slate-600">
        {total > results.length
          ? `The ${results.length} best matches are below, ranked by how well they fit your profile; your alert watches for new ones. `
          : ""}
        Showing open notices in your NAICS codes.{" "}
        <Link href={`/opportunities?${allNotices.toString()}`} className="font-medium text-indigo-700 underline">
          See closed and awarded ones too
        </Link>
      </p>

      {results.length ? (
        <ol className="space-y-3">
          {results.map((r) => (
            <li key={r.notice_id} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
              <article aria-labelledby={`match-${r.notice_id}`} className="space-y-2">
                <NoticeStatusBadge status={r.status} />
                <h3
                  id={`match-${r.notice_id}`}
                  className="font-medium text-slate-900 [&_mark]:rounded-sm [&_mark]:bg-amber-100 [&_mark]:px-0.5"
                >
                  {/* The highlights are HTML-escaped on the server; only <mark> is added. */}
                  <Link
                    href={`/opportunities/${encodeURIComponent(r.notice_id)}`}
                    className="break-words hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
                  >
                    <span dangerouslySetInnerHTML={{ __html: r.highlights.title }} />
                  </Link>
                </h3>
                {r.agency ? <p className="text-sm break-words text-slate-600">{r.agency}</p> : null}
                <dl className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-700">
                  {r.naics_code ? (
                    <div>
                      <dt className="inline text-slate-500">NAICS </dt>
                      <dd className="inline font-mono">{r.naics_code}</dd>
                    </div>
                  ) : null}
                  {r.set_aside ? (
                    <div>
                      <dt className="inline text-slate-500">Set-aside </dt>
                      <dd className="inline">{r.set_aside_description || r.set_aside}</dd>
                    </div>
                  ) : null}
                  {r.state ? (
                    <div>
                      <dt className="inline text-slate-500">Place </dt>
                      <dd className="inline">{r.state}</dd>
                    </div>
                  ) : null}
                  <div>
                    <dt className="inline text-slate-500">Respond by </dt>
                    <dd className="inline">{formatDate(r.response_deadline, "not stated")}</dd>
                  </div>
                </dl>
                {r.highlights.excerpt ? (
                  <p
                    className="text-sm break-words text-slate-700 [&_mark]:rounded-sm [&_mark]:bg-amber-100 [&_mark]:px-0.5"
                    dangerouslySetInnerHTML={{ __html: r.highlights.excerpt }}
                  />
                ) : null}
                <div className="flex flex-wrap items-center gap-1.5">
                  <span className="text-xs font-medium text-slate-600">Why it matched:</span>
                  <ul className="contents">
                    {r.matched.naics ? (
                      <li>
                        <Badge tone="indigo">NAICS {r.matched.naics}</Badge>
                      </li>
                    ) : null}
                    {r.matched.keywords.map((k) => (
                      <li key={k}>
                        <Badge tone="success">“{k}”</Badge>
                      </li>
                    ))}
                    {r.matched.set_aside ? (
                      <li>
                        <Badge tone="neutral">Set-aside {r.matched.set_aside}</Badge>
                      </li>
                    ) : null}
                    {r.matched.state ? (
                      <li>
                        <Badge tone="neutral">In {r.matched.state}</Badge>
                      </li>
                    ) : null}
                  </ul>
                </div>
                <FitSummary noticeId={r.notice_id} title={r.title} fit={r.fit} dismiss={dismiss} />
              </article>
            </li>
          ))}
        </ol>
      ) : null}

      {total < FEW_MATCHES ? (
        <section aria-labelledby="widen-heading" className="rounded-lg bg-amber-50 p-4 ring-1 ring-amber-200">
          <h2 id="widen-heading" className="font-semibold text-amber-950">
            {total === 0 ? "Widen your profile to find more" : "Only a few matches: widen your profile?"}
          </h2>
          {widen.length ? (
            <>
              <p className="mt-1 text-sm text-amber-950">
                Each change below updates your profile; the number is what it would match today.
              </p>
              <ul className="mt-3 space-y-2">
                {widen.map((w) => (
                  <li key={w.kind} className="flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
                    <span className="text-sm text-amber-950">
                      {w.label} <span className="font-semibold">→ {plural(w.count, "match", "matches")}</span>
                    </span>
                    <ActionButton action={widenProfileAction} fields={{ suggestion: w.kind }} variant="secondary">
                      Apply
                    </ActionButton>
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p className="mt-1 text-sm text-amber-950">
              New opportunities arrive every hour, and your alert will e-mail them. You can also{" "}
              <Link href={onboardingPath("profile")} className="font-medium underline">
                change your NAICS codes or keywords
              </Link>
              .
            </p>
          )}
        </section>
      ) : null}

      <div className="flex flex-col-reverse gap-3 sm:flex-row sm:justify-between">
        <Link href={onboardingPath("alert")} className={buttonClasses("secondary", "md", "w-full sm:w-auto")}>
          Back
        </Link>
        <ActionButton action={markMatchesViewedAction}>Continue to plans</ActionButton>
      </div>
    </div>
  );
}
