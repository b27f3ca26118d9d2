import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { NoticeStatusBadge } from "@/components/opportunities/notice-status-badge";
import { formatDate } from "@/lib/format";
import { SampleDataBanner } from "@/components/opportunities/sample-data-banner";
import { Badge, Card, CardBody } from "@/components/ui";
import { requireViewer } from "@/lib/auth/next";
import { isAppError } from "@/lib/http";
import { getOpportunity, naicsTitles, opportunityFeed } from "@/lib/opportunities";
import { PipelineNoticePanel } from "../../pipeline/notice-panel";

export const metadata: Metadata = { title: "Opportunity" };

export default async function OpportunityPage({ params }: { params: Promise<{ noticeId: string }> }) {
  const { noticeId } = await params;
  const viewer = await requireViewer(`/opportunities/${encodeURIComponent(noticeId)}`);
  const feed = opportunityFeed();
  const opportunity = await getOpportunity(noticeId, feed.referenceDate).catch((error: unknown) => {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  });
  const titles = opportunity.naics_code ? await naicsTitles([opportunity.naics_code]) : new Map<string, string>();
  const o = opportunity;
  return (
    <article className="space-y-6">
      <p>
        <Link href="/opportunities" className="text-sm font-medium text-indigo-700 underline">
          ← Back to opportunities
        </Link>
      </p>
      <SampleDataBanner feed={feed} />
      <header>
        <h1 className="text-2xl font-semibold text-slate-900">{o.title}</h1>
        <p className="mt-1 text-slate-600">{o.agency}</p>
        <div className="mt-3 flex flex-wrap gap-2">
          <NoticeStatusBadge status={o.status} />
          {o.type ? <Badge>{o.type}</Badge> : null}
          {o.set_aside ? <Badge tone="indigo">{o.set_aside_description ?? o.set_aside}</Badge> : null}
        </div>
      </header>
      <Card>
        <CardBody>
          <dl className="grid gap-3 text-sm sm:grid-cols-2">
            <div>
              <dt className="text-slate-600">Notice id</dt>
              <dd className="font-mono text-slate-900 break-all">{o.notice_id}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Solicitation number</dt>
              <dd className="text-slate-900">{o.solicitation_number ?? "—"}</dd>
            </div>
            <div>
              <dt className="text-slate-600">NAICS</dt>
              <dd className="text-slate-900">
                {o.naics_code ? `${o.naics_code} ${titles.get(o.naics_code) ?? ""}` : "—"}
              </dd>
            </div>
            <div>
              <dt className="text-slate-600">Place of performance</dt>
              <dd className="text-slate-900">{o.state ?? "—"}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Posted</dt>
              <dd className="text-slate-900">{formatDate(o.posted_date)}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Responses due</dt>
              <dd className="text-slate-900">{formatDate(o.response_deadline)}</dd>
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
      <PipelineNoticePanel
        orgId={viewer.org.id}
        userId={viewer.user.id}
        role={viewer.org.role}
        noticeId={o.notice_id}
      />
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
        <div className="whitespace-pre-line break-words text-sm leading-relaxed text-slate-800">
          {o.description || "No description was published with this notice."}
        </div>
      </section>
    </article>
  );
}
