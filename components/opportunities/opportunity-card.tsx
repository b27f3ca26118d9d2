import Link from "next/link";
import { TrackButton, TrackedLink } from "@/components/pipeline/track-button";
import { Badge } from "@/components/ui";
import type { FormState } from "@/lib/http";
import type { OpportunityResult } from "@/lib/opportunities";
import { FitSummary, type DismissAction } from "./fit-summary";
import { NoticeStatusBadge } from "./notice-status-badge";
import { formatDate } from "@/lib/format";

/** The team's pipeline as a result card sees it: whether it holds the notice, and the track action if the member may track. */
export interface CardPipeline {
  tracked: boolean;
  track?: (prev: FormState, formData: FormData) => Promise<FormState>;
}

/**
 * One search result, with its fit for the org (when it has a profile), the pipeline's Track
 * button and the "Not relevant" button for those who may use them. Highlights are escaped
 * server-side; only <mark> tags are HTML.
 */
export function OpportunityCard({
  opportunity,
  pipeline,
  dismiss,
}: {
  opportunity: OpportunityResult;
  pipeline?: CardPipeline;
  /** The "Not relevant" action, for members who may mark notices. */
  dismiss?: DismissAction;
}) {
  const o = opportunity;
  return (
    <article className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="opportunity-result">
      <div className="flex items-start justify-between gap-3">
        <NoticeStatusBadge status={o.status} />
        {pipeline?.tracked ? (
          <TrackedLink />
        ) : pipeline?.track ? (
          <TrackButton action={pipeline.track} noticeId={o.notice_id} tracked={false} label={`Track ${o.title}`} />
        ) : null}
      </div>
      <h3 className="mt-1 text-base font-semibold text-slate-900">
        <Link
          href={`/opportunities/${o.notice_id}`}
          className="hover:text-indigo-700 [&_mark]:bg-amber-100 [&_mark]:text-inherit"
          dangerouslySetInnerHTML={{ __html: o.highlights.title }}
        />
      </h3>
      <p className="mt-1 text-sm text-slate-600">{o.agency || "Agency not given"}</p>
      <p
        className="mt-2 line-clamp-3 text-sm text-slate-700 [&_mark]:bg-amber-100"
        dangerouslySetInnerHTML={{ __html: o.highlights.excerpt }}
      />
      <dl className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
        <div>
          <dt className="inline">Posted </dt>
          <dd className="inline font-medium text-slate-800">{formatDate(o.posted_date)}</dd>
        </div>
        <div>
          <dt className="inline">Responses due </dt>
          <dd className="inline font-medium text-slate-800">{formatDate(o.response_deadline)}</dd>
        </div>
        {o.type ? (
          <div>
            <dt className="sr-only">Type</dt>
            <dd>{o.type}</dd>
          </div>
        ) : null}
      </dl>
      <ul className="mt-3 flex flex-wrap gap-1.5" aria-label="Why it matched">
        {o.naics_code ? (
          <li>
            <Badge tone={o.matched.naics ? "indigo" : "neutral"}>NAICS {o.naics_code}</Badge>
          </li>
        ) : null}
        {o.set_aside ? (
          <li>
            <Badge tone={o.matched.set_aside ? "indigo" : "neutral"}>{o.set_aside}</Badge>
          </li>
        ) : null}
        {o.state ? (
          <li>
            <Badge tone={o.matched.state ? "indigo" : "neutral"}>{o.state}</Badge>
          </li>
        ) : null}
        {o.matched.keywords.map((k) => (
          <li key={k}>
            <Badge tone="success">“{k}”</Badge>
          </li>
        ))}
      </ul>
      <FitSummary noticeId={o.notice_id} title={o.title} fit={o.fit} dismiss={dismiss} />
    </article>
  );
}
