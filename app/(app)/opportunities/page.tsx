import type { Metadata } from "next";
import Link from "next/link";
import { OpportunityCard, type CardPipeline } from "@/components/opportunities/opportunity-card";
import { SampleDataBanner } from "@/components/opportunities/sample-data-banner";
import { NotRelevantUndo } from "@/components/opportunities/not-relevant-undo";
import { SearchFilters } from "@/components/opportunities/search-filters";
import { SortSwitch } from "@/components/opportunities/sort-switch";
import { StatusSwitch } from "@/components/opportunities/status-switch";
import { Alert, EmptyState, PageHeader, buttonClasses } from "@/components/ui";
import { requireMember } from "@/lib/auth/next";
import { fieldErrors, isAppError, type FieldError } from "@/lib/http";
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
import { findNotRelevant, orgFitContext } from "@/lib/relevance";
import { trackAction } from "../pipeline/actions";
import { notRelevantAction, undoNotRelevantAction } from "./actions";

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

/** This search's URL; with `cursor`, the next page's. */
function searchUrl(params: Record<string, string | string[]>, cursor?: string) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (key === "cursor") continue;
    for (const v of Array.isArray(value) ? value : [value]) search.append(key, v);
  }
  if (cursor) search.set("cursor", cursor);
  const query = search.toString();
  return query ? `/opportunities?${query}` : "/opportunities";
}

type Member = Awaited<ReturnType<typeof requireMember>>;

/** Each card's Track button: none on plans without the pipeline; "Tracked" for notices already in it. */
async function cardPipeline(
  { viewer, ctx }: Member,
  noticeIds: string[],
): Promise<(noticeId: string) => CardPipeline | undefined> {
  if (noticeIds.length === 0 || !(await pipelineAccess(ctx)).included) return () => undefined;
  const tracked = await trackedNoticeIds(ctx, noticeIds);
  const track = can(viewer.org.role, "pipeline:manage") ? trackAction : undefined;
  return (noticeId) => ({ tracked: tracked.has(noticeId), track });
}

function InvalidSearch({
  params,
  naics,
  errors,
  feed,
}: {
  params: Record<string, string | string[]>;
  naics: { code: string; title: string }[];
  errors: FieldError[];
  feed: ReturnType<typeof opportunityFeed>;
}) {
  const cursorOnly = errors.every((e) => e.path === "cursor");
  return (
    <>
      <PageHeader title="Opportunities" description="Federal contract opportunities from SAM.gov." />
      <SampleDataBanner feed={feed} />
      <SearchFilters
        values={params}
        naics={naics}
        errors={Object.fromEntries(errors.map((e) => [e.path.split(".")[0]!, e.message]))}
      />
      {cursorOnly ? (
        <Alert tone="error">
          These results cannot go on from here ({errors[0]?.message ?? "the cursor is not valid"}).{" "}
          <Link href={searchUrl(params)} className="font-medium underline">
            Start again from the first page
          </Link>
          .
        </Alert>
      ) : (
        <Alert tone="error">
          {errors.find((e) => e.path === "sort")?.message ??
            "Some filters are not valid: fix them above and search again."}
        </Alert>
      )}
    </>
  );
}

export default async function OpportunitiesPage({ searchParams }: { searchParams: Promise<Params> }) {
  const { viewer, ctx } = await requireMember("/opportunities");
  // `undo` names the notice just marked not relevant: shown with an Undo, not part of the search.
  const { undo, ...params } = normalise(await searchParams);
  const parsed = opportunityQuerySchema.safeParse(params);
  const feed = opportunityFeed();
  const naicsCodes = (typeof params.naics === "string" ? [params.naics] : (params.naics ?? [])).slice(0, 50);
  const titles = new Map(await naicsTitles(naicsCodes.filter((code) => /^\d{2,6}$/.test(code))));
  const naics = naicsCodes.map((code) => ({ code, title: titles.get(code) ?? "" }));
  if (!parsed.success)
    return <InvalidSearch params={params} naics={naics} errors={fieldErrors(parsed.error)} feed={feed} />;
  // The org's profile scores each result; its not-relevant marks leave the list (and the count).
  const fit = await orgFitContext(ctx);
  const filters = filtersFromQuery(parsed.data, feed.referenceDate);
  const { sort, cursor, limit } = parsed.data;
  let searched;
  try {
    searched = await Promise.all([
      searchOpportunities(filters, { limit, cursor, sort }, fit),
      cursor
        ? Promise.resolve(null)
        : countOpportunities({ ...filters, excludeNoticeIds: fit.notRelevant.map((m) => m.noticeId) }),
    ]);
  } catch (error) {
    // A cursor that no longer fits (the ranking changed) or "best fit" without a profile.
    if (isAppError(error) && error.code === "validation_failed" && error.extra.errors)
      return <InvalidSearch params={params} naics={naics} errors={error.extra.errors} feed={feed} />;
    throw error;
  }
  const [page, total] = searched;
  const pipelineOf = await cardPipeline(
    { viewer, ctx },
    page.data.map((o) => o.notice_id),
  );
  const here = searchUrl(params, cursor);
  const dismiss = can(viewer.org.role, "opportunities:dismiss")
    ? { action: notRelevantAction, returnTo: here }
    : undefined;
  const justMarked = typeof undo === "string" ? await findNotRelevant(ctx, undo) : null;
  return (
    <>
      <PageHeader
        title="Opportunities"
        description="Federal contract opportunities from SAM.gov, ranked by how well they match."
      />
      <SampleDataBanner feed={feed} />
      <SearchFilters values={params} naics={naics} errors={{}} />
      <StatusSwitch params={params} current={parsed.data.status} />
      <SortSwitch params={params} current={sort} withFit={fit.profile !== null} />
      {justMarked && dismiss ? (
        <NotRelevantUndo
          noticeId={justMarked.noticeId}
          title={justMarked.title}
          returnTo={here}
          undo={undoNotRelevantAction}
        />
      ) : null}
      <section aria-labelledby="results-heading" className="mt-6">
        <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="results-heading" className="text-sm font-medium text-slate-700" aria-live="polite">
            {total === null
              ? "More results"
              : `${total.toLocaleString("en-US")} ${parsed.data.status === "all" ? "" : `${parsed.data.status} `}${total === 1 ? "notice" : "notices"}`}
          </h2>
          {fit.notRelevant.length ? (
            <Link href="/settings/not-relevant" className="text-sm text-indigo-700 underline">
              {fit.notRelevant.length.toLocaleString("en-US")} marked not relevant
            </Link>
          ) : null}
        </div>
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
                <OpportunityCard opportunity={o} pipeline={pipelineOf(o.notice_id)} dismiss={dismiss} />
              </li>
            ))}
          </ol>
        )}
        {page.nextCursor ? (
          <div className="mt-6 flex justify-center">
            <Link href={searchUrl(params, page.nextCursor)} className={buttonClasses("secondary")}>
              Next results
            </Link>
          </div>
        ) : null}
      </section>
    </>
  );
}
