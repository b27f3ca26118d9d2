import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { NoticeAttachments } from "@/components/opportunities/notice-attachments";
import { NoticeContacts } from "@/components/opportunities/notice-contacts";
import { NoticeDeadline } from "@/components/opportunities/notice-deadline";
import { NoticeActionForm } from "@/components/opportunities/fit-summary";
import { NoticeHistory } from "@/components/opportunities/notice-history";
import { NotRelevantUndo } from "@/components/opportunities/not-relevant-undo";
import { NoticeMatch } from "@/components/opportunities/notice-match";
import { NoticeStatusBadge } from "@/components/opportunities/notice-status-badge";
import { SampleDataBanner } from "@/components/opportunities/sample-data-banner";
import { Badge, Card, CardBody } from "@/components/ui";
import { requireMember } from "@/lib/auth/next";
import { formatDate, formatUsdCents } from "@/lib/format";
import { isAppError } from "@/lib/http";
import { getBusinessProfile, profileMatchCriteria, stateName } from "@/lib/onboarding";
import {
  descriptionParagraphs,
  getOpportunity,
  naicsTitles,
  opportunityFeed,
  readableAgencyPath,
} from "@/lib/opportunities";
import { can } from "@/lib/orgs";
import { orgFitContext } from "@/lib/relevance";
import { PipelineNoticePanel } from "../../pipeline/notice-panel";
import { notRelevantAction, undoNotRelevantAction } from "../actions";

export const metadata: Metadata = { title: "Opportunity" };

function placeOf(place: { city: string | null; state: string | null; country: string | null }): string {
  const region = place.state ? stateName(place.state) : place.country && place.country !== "USA" ? place.country : null;
  return [place.city, region].filter(Boolean).join(", ") || "—";
}

export default async function OpportunityPage({ params }: { params: Promise<{ noticeId: string }> }) {
  const { noticeId } = await params;
  const here = `/opportunities/${encodeURIComponent(noticeId)}`;
  const { viewer, ctx } = await requireMember(here);
  const feed = opportunityFeed();
  const [stored, fit] = await Promise.all([getBusinessProfile(ctx), orgFitContext(ctx)]);
  const profile = stored
    ? {
        naicsCodes: stored.naicsCodes,
        keywords: stored.keywords,
        setAsides: stored.setAsides,
        states: stored.states,
      }
    : null;
  // The same criteria as the onboarding matches and the first alert, so "why" agrees with them.
  const criteria = profile ? profileMatchCriteria(profile) : null;
  const o = await getOpportunity(
    noticeId,
    feed.referenceDate,
    criteria ? { naics: criteria.filters.naics, ...criteria.prefer } : {},
    fit,
  ).catch((error: unknown) => {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  });
  const titles = o.naics_code ? await naicsTitles([o.naics_code]) : new Map<string, string>();
  const naicsTitle = o.naics_code ? (titles.get(o.naics_code) ?? null) : null;
  const paragraphs = descriptionParagraphs(o.description);
  const canDismiss = can(viewer.org.role, "opportunities:dismiss");
  const marked = fit.notRelevant.some((m) => m.noticeId === o.notice_id);
  return (
    <article className="space-y-6">
      <p>
        <Link href="/opportunities" className="text-sm font-medium text-indigo-700 underline">
          ← Back to opportunities
        </Link>
      </p>
      <SampleDataBanner feed={feed} />
      <header>
        <h1 className="text-2xl font-semibold break-words text-slate-900">{o.title}</h1>
        <p className="mt-1 text-slate-600" data-testid="agency-path">
          {readableAgencyPath(o.agency_levels.length ? o.agency_levels : [o.agency]) || "Agency not given"}
        </p>
        <div className="mt-3 flex flex-wrap gap-2">
          <NoticeStatusBadge status={o.status} />
          {o.type ? <Badge>{o.type}</Badge> : null}
          {o.set_aside ? <Badge tone="indigo">{o.set_aside_description ?? o.set_aside}</Badge> : null}
        </div>
        <NoticeDeadline status={o.status} deadline={o.response_deadline} referenceDate={feed.referenceDate} />
      </header>
      <NoticeMatch notice={o} profile={profile} naicsTitle={naicsTitle} />
      {canDismiss && marked ? (
        <NotRelevantUndo noticeId={o.notice_id} title={o.title} returnTo={here} undo={undoNotRelevantAction} />
      ) : canDismiss ? (
        <div className="flex justify-end">
          <NoticeActionForm
            action={notRelevantAction}
            noticeId={o.notice_id}
            returnTo={here}
            label={`Not relevant: ${o.title}`}
          >
            Not relevant
          </NoticeActionForm>
        </div>
      ) : null}
      <PipelineNoticePanel viewer={viewer} noticeId={o.notice_id} />
      <Card>
        <CardBody>
          <dl className="grid gap-3 text-sm sm:grid-cols-2">
            <div>
              <dt className="text-slate-600">Solicitation number</dt>
              <dd className="break-all text-slate-900">{o.solicitation_number ?? "—"}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Notice id</dt>
              <dd className="font-mono break-all text-slate-900">{o.notice_id}</dd>
            </div>
            <div>
              <dt className="text-slate-600">NAICS</dt>
              <dd className="text-slate-900">{o.naics_code ? `${o.naics_code} ${naicsTitle ?? ""}` : "—"}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Set-aside</dt>
              <dd className="text-slate-900">{o.set_aside ? (o.set_aside_description ?? o.set_aside) : "None"}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Place of performance</dt>
              <dd className="text-slate-900">{placeOf(o.place)}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Posted</dt>
              <dd className="text-slate-900">{formatDate(o.posted_date)}</dd>
            </div>
          </dl>
          {o.url ? (
            <a
              href={o.url}
              className="mt-4 inline-block text-sm font-medium text-indigo-700 underline"
              rel="noopener noreferrer"
              target="_blank"
            >
              View on SAM.gov
            </a>
          ) : null}
        </CardBody>
      </Card>
      {o.award ? (
        <section aria-labelledby="award-heading">
          <h2 id="award-heading" className="mb-2 text-lg font-semibold text-slate-900">
            Award
          </h2>
          <dl className="grid gap-3 text-sm sm:grid-cols-2">
            <div>
              <dt className="text-slate-600">Awardee</dt>
              <dd className="break-words text-slate-900">{o.award.awardee ?? "—"}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Amount</dt>
              <dd className="text-slate-900">{formatUsdCents(o.award.amount_cents)}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Contract number</dt>
              <dd className="break-all text-slate-900">{o.award.number ?? "—"}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Awarded</dt>
              <dd className="text-slate-900">{formatDate(o.award.date)}</dd>
            </div>
          </dl>
        </section>
      ) : null}
      <NoticeContacts contacts={o.contacts} />
      <NoticeAttachments links={o.resource_links} additionalInfoLink={o.additional_info_link} samUrl={o.url} />
      <NoticeHistory changes={o.changes} noticeId={o.notice_id} />
      {o.versions.length ? (
        <section aria-labelledby="versions-heading">
          <h2 id="versions-heading" className="mb-2 text-lg font-semibold text-slate-900">
            Postings of this solicitation
          </h2>
          <p className="mb-2 text-sm text-slate-600">
            SAM.gov posted this solicitation {o.versions.length} times; searches show the latest.
          </p>
          <ol className="space-y-1 text-sm">
            {o.versions.map((v) => (
              <li key={v.notice_id}>
                {v.notice_id === o.notice_id ? (
                  <span className="font-medium text-slate-900">
                    {formatDate(v.posted_date)} · {v.type ?? "Notice"} (this page)
                  </span>
                ) : (
                  <Link
                    href={`/opportunities/${encodeURIComponent(v.notice_id)}`}
                    className="text-indigo-700 underline"
                  >
                    {formatDate(v.posted_date)} · {v.type ?? "Notice"}
                  </Link>
                )}
                {v.latest ? <span className="ml-2 text-xs text-slate-600">latest</span> : null}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      <section aria-labelledby="description-heading">
        <h2 id="description-heading" className="mb-2 text-lg font-semibold text-slate-900">
          Description
        </h2>
        {paragraphs.length ? (
          <div className="space-y-3 text-sm leading-relaxed break-words text-slate-800" data-testid="description">
            {paragraphs.map((p, i) => (
              <p key={i}>{p}</p>
            ))}
          </div>
        ) : (
          <p className="text-sm text-slate-600">
            {o.url
              ? "No description came with this notice; see its page on SAM.gov."
              : "No description was published with this notice."}
          </p>
        )}
      </section>
    </article>
  );
}
