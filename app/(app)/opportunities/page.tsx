import type { Metadata } from "next";
import Link from "next/link";
import { OpportunityCard, type CardPipeline } from "@/components/opportunities/opportunity-card";
import { SampleDataBanner } from "@/components/opportunities/sample-data-banner";
import { SearchFilters } from "@/components/opportunities/search-filters";
import { StatusSwitch } from "@/components/opportunities/status-switch";
import { Alert, EmptyState, PageHeader, buttonClasses } from "@/components/ui";
import { requireViewer } from "@/lib/auth/next";
import { fieldErrors } from "@/lib/http";
import {
  countOpportunities,
  filtersFromQuery,
  naicsTitles,
  opportunityFeed,
  opportunityQuerySchema,
  searchOpportunities,
} from "@/lib/opportunities";
import { can } from "@/lib/orgs";
import { pipelineAccess, trackedNoticeIds } from "@/lib/pipeline";
import { orgFitContext } from "@/lib/relevance";
import { trackAction } from "../pipeline/actions";

export const metadata: Metadata = { title: "Opportunities" };

type Params = Record<string, string | string[] | undefined>;
const LIST_KEYS = ["naics", "state", "set_aside"];

// The form sends "5415, 236" in one box; the API takes repeated keys. Accept both.
function normalise(params: Params): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === "") continue;
    const values = (Array.isArray(value) ? value : [value]).filter((v) => v !== "");
    if (values.length === 0) continue;
    out[key] = LIST_KEYS.includes(key) ? values.flatMap((v) => v.split(/[\s,]+/)).filter(Boolean) : values[0]!;
  }
  return out;
}

function withCursor(params: Record<string, string | string[]>, cursor: string) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (key === "cursor") continue;
    for (const v of Array.isArray(value) ? value : [value]) search.append(key, v);
  }
  search.set("cursor", cursor);
  return `/opportunities?${search.toString()}`;
}

type Member = Awaited<ReturnType<typeof requireViewer>>;

/** Each card's Track button: none on plans without the pipeline; "Tracked" for notices already in it. */
async function cardPipeline(
  viewer: Member,
  noticeIds: string[],
): Promise<(noticeId: string) => CardPipeline | undefined> {
  const { id: orgId, role } = viewer.org;
  if (noticeIds.length === 0 || !(await pipelineAccess(orgId)).included) return () => undefined;
  const tracked = await trackedNoticeIds(orgId, { userId: viewer.user.id, role }, noticeIds);
  const track = can(role, "pipeline:manage") ? trackAction : undefined;
  return (noticeId) => ({ tracked: tracked.has(noticeId), track });
}

export default async function OpportunitiesPage({ searchParams }: { searchParams: Promise<Params> }) {
  const viewer = await requireViewer("/opportunities");
  const params = normalise(await searchParams);
  const parsed = opportunityQuerySchema.safeParse(params);
  const feed = opportunityFeed();
  const naicsCodes = (typeof params.naics === "string" ? [params.naics] : (params.naics ?? [])).slice(0, 50);
  const titles = new Map(await naicsTitles(naicsCodes.filter((code) => /^\d{2,6}$/.test(code))));
  const naics = naicsCodes.map((code) => ({ code, title: titles.get(code) ?? "" }));
  if (!parsed.success) {
    return (
      <>
        <PageHeader title="Opportunities" description="Federal contract opportunities from SAM.gov." />
        <SampleDataBanner feed={feed} />
        <SearchFilters
          values={params}
          naics={naics}
          errors={Object.fromEntries(fieldErrors(parsed.error).map((e) => [e.path.split(".")[0]!, e.message]))}
        />
        <Alert tone="error">Some filters are not valid: fix them above and search again.</Alert>
      </>
    );
  }
  // The org's profile scores each result; its not-relevant marks leave the list (and the count).
  const fit = await orgFitContext(viewer.org.id);
  const filters = filtersFromQuery(parsed.data, feed.referenceDate);
  const [page, total] = await Promise.all([
    searchOpportunities(filters, { limit: parsed.data.limit, cursor: parsed.data.cursor }, fit),
    parsed.data.cursor
      ? Promise.resolve(null)
      : countOpportunities({ ...filters, excludeNoticeIds: fit.notRelevant.map((m) => m.noticeId) }),
  ]);
  const pipelineOf = await cardPipeline(
    viewer,
    page.data.map((o) => o.notice_id),
  );
  const canDismiss = can(viewer.org.role, "opportunities:dismiss");
  return (
    <>
      <PageHeader
        title="Opportunities"
        description="Federal contract opportunities from SAM.gov, ranked by how well they match."
      />
      <SampleDataBanner feed={feed} />
      <SearchFilters values={params} naics={naics} errors={{}} />
      <StatusSwitch params={params} current={parsed.data.status} />
      <section aria-labelledby="results-heading" className="mt-6">
        <h2 id="results-heading" className="mb-3 text-sm font-medium text-slate-700" aria-live="polite">
          {total === null
            ? "More results"
            : `${total.toLocaleString("en-US")} ${parsed.data.status === "all" ? "" : `${parsed.data.status} `}${total === 1 ? "notice" : "notices"}`}
        </h2>
        {page.data.length === 0 ? (
          <EmptyState
            title="No opportunities match these filters"
            description={
              parsed.data.status === "open"
                ? "Try fewer keywords, a shorter NAICS code (5415 instead of 541512), fewer state and set-aside filters, or all notices rather than open ones."
                : "Try fewer keywords, a shorter NAICS code (5415 instead of 541512), or remove the state and set-aside filters."
            }
            action={
              <Link href="/opportunities" className={buttonClasses("secondary", "sm")}>
                Clear all filters
              </Link>
            }
          />
        ) : (
          <ol className="space-y-3">
            {page.data.map((o) => (
              <li key={o.notice_id}>
                <OpportunityCard opportunity={o} pipeline={pipelineOf(o.notice_id)} canDismiss={canDismiss} />
              </li>
            ))}
          </ol>
        )}
        {page.nextCursor ? (
          <div className="mt-6 flex justify-center">
            <Link href={withCursor(params, page.nextCursor)} className={buttonClasses("secondary")}>
              Next results
            </Link>
          </div>
        ) : null}
      </section>
    </>
  );
}
