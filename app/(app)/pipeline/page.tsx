import type { Metadata } from "next";
import Link from "next/link";
import { UpgradePrompt } from "@/components/upgrade-prompt";
import { PipelineForm } from "@/components/pipeline/pipeline-form";
import {
  Alert,
  Badge,
  buttonClasses,
  Card,
  CardBody,
  CardHeader,
  EmptyState,
  PageHeader,
  type BadgeTone,
} from "@/components/ui";
import { formatDate } from "@/lib/format";
import { requireMember } from "@/lib/auth/next";
import { can, listMembers } from "@/lib/orgs";
import {
  calendarFeedStatus,
  getPipelineSettings,
  listTracked,
  MAX_REMINDER_DAYS,
  PIPELINE_STAGES,
  pipelineAccess,
  pipelineListQuerySchema,
  STAGE_LABELS,
  type PipelineStage,
} from "@/lib/pipeline";
import { calendarFeedAction, pipelineSettingsAction } from "./actions";
import { TrackedEditor } from "./tracked-editor";

export const metadata: Metadata = { title: "Pipeline" };

const STAGE_TONE: Record<PipelineStage, BadgeTone> = {
  watching: "neutral",
  bidding: "indigo",
  submitted: "warning",
  won: "success",
  lost: "danger",
  no_bid: "neutral",
};

const FILTER_KEYS = ["stage", "assignee", "deadline_from", "deadline_to", "q"] as const;
// w-full + min-w-0: a select sized by a long member name must not widen the page on a phone.
const INPUT = "h-10 w-full min-w-0 rounded-md border border-slate-300 bg-white px-2 text-sm";

type Search = Record<string, string | string[] | undefined>;

function firstOf(search: Search, key: string) {
  const value = search[key];
  return Array.isArray(value) ? value[0] : value;
}

function queryString(search: Search, extra: Record<string, string> = {}) {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = firstOf(search, key);
    if (value) params.set(key, value);
  }
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}

export default async function PipelinePage({ searchParams }: { searchParams: Promise<Search> }) {
  const { viewer, ctx } = await requireMember("/pipeline");
  const access = await pipelineAccess(ctx);

  if (!access.included) {
    return (
      <>
        <PageHeader title="Pipeline" description={viewer.org.name} />
        <UpgradePrompt
          title="Track your bids with the pipeline"
          description={`Track notices through watching, bidding and submitted to won or lost, assign them to your team, keep notes, get e-mailed before response deadlines and see them in your calendar. The pipeline comes with Starter and up; ${viewer.org.name} is on ${access.planName}.`}
          upgradeUrl={access.upgradeUrl}
        />
      </>
    );
  }

  const search = await searchParams;
  const raw: Record<string, string> = {};
  for (const key of [...FILTER_KEYS, "cursor"]) {
    const value = firstOf(search, key);
    if (value) raw[key] = value;
  }
  const parsed = pipelineListQuerySchema.safeParse(raw);
  const manage = can(viewer.org.role, "pipeline:manage");
  const [page, members, settings, feed] = await Promise.all([
    listTracked(ctx, parsed.success ? parsed.data : { limit: 50 }),
    listMembers(ctx),
    getPipelineSettings(ctx),
    calendarFeedStatus(viewer.user.id),
  ]);
  const memberOptions = members.map((m) => ({ userId: m.userId, label: m.name ? `${m.name} (${m.email})` : m.email }));
  const filtered = FILTER_KEYS.some((key) => firstOf(search, key));

  return (
    <>
      <PageHeader
        title="Pipeline"
        description={`Notices ${viewer.org.name} is tracking. Everyone in the team sees the same list.`}
      />

      <form
        method="get"
        className="mb-6 grid gap-3 rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:grid-cols-3 lg:grid-cols-6"
        aria-label="Filter the pipeline"
      >
        <label className="flex min-w-0 flex-col gap-1 text-sm font-medium text-slate-900">
          Stage
          <select name="stage" defaultValue={firstOf(search, "stage") ?? ""} className={INPUT}>
            <option value="">All stages</option>
            {PIPELINE_STAGES.map((stage) => (
              <option key={stage} value={stage}>
                {STAGE_LABELS[stage]}
              </option>
            ))}
          </select>
        </label>
        <label className="flex min-w-0 flex-col gap-1 text-sm font-medium text-slate-900">
          Assignee
          <select name="assignee" defaultValue={firstOf(search, "assignee") ?? ""} className={INPUT}>
            <option value="">Anyone</option>
            <option value="unassigned">Unassigned</option>
            {memberOptions.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        <label className="flex min-w-0 flex-col gap-1 text-sm font-medium text-slate-900">
          Due from
          <input
            type="date"
            name="deadline_from"
            defaultValue={firstOf(search, "deadline_from") ?? ""}
            className={INPUT}
          />
        </label>
        <label className="flex min-w-0 flex-col gap-1 text-sm font-medium text-slate-900">
          Due by
          <input type="date" name="deadline_to" defaultValue={firstOf(search, "deadline_to") ?? ""} className={INPUT} />
        </label>
        <label className="flex min-w-0 flex-col gap-1 text-sm font-medium text-slate-900">
          Text
          <input type="search" name="q" defaultValue={firstOf(search, "q") ?? ""} maxLength={200} className={INPUT} />
        </label>
        <div className="flex items-end gap-2">
          <button type="submit" className={buttonClasses("primary")}>
            Filter
          </button>
          {filtered ? (
            <Link href="/pipeline" className={buttonClasses("ghost")}>
              Clear
            </Link>
          ) : null}
        </div>
      </form>

      {!parsed.success ? (
        <Alert tone="warning" className="mb-4">
          Some filters were not valid and were ignored: {parsed.error.issues.map((i) => i.message).join(" ")}
        </Alert>
      ) : null}

      <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-slate-600" aria-live="polite">
          {page.data.length === 0
            ? "Nothing tracked here yet."
            : `Showing ${page.data.length}${page.next_cursor ? "+" : ""}.`}
        </p>
        <a
          href={`/api/app/pipeline/export${queryString(search)}`}
          download
          className={buttonClasses("secondary")}
          data-testid="pipeline-csv"
        >
          Download CSV
        </a>
      </div>

      {page.data.length === 0 ? (
        <EmptyState
          title={filtered ? "No tracked notice matches these filters" : "Your pipeline is empty"}
          description="Open a notice from Opportunities and press Track to follow it here."
          action={
            <Link href="/opportunities" className={buttonClasses("primary")}>
              Find opportunities
            </Link>
          }
        />
      ) : (
        <ul className="space-y-4" data-testid="pipeline-list">
          {page.data.map((t) => (
            <li key={t.id}>
              <Card>
                <CardBody className="space-y-3">
                  <div className="flex flex-wrap items-start justify-between gap-2">
                    <div className="min-w-0">
                      <h2 className="text-base font-semibold break-words text-slate-900">
                        <Link
                          href={`/opportunities/${encodeURIComponent(t.notice_id)}`}
                          className="underline-offset-2 hover:underline"
                        >
                          {t.title ?? t.notice_id}
                        </Link>
                      </h2>
                      {t.agency ? <p className="text-sm break-words text-slate-600">{t.agency}</p> : null}
                    </div>
                    <Badge tone={STAGE_TONE[t.stage]}>{STAGE_LABELS[t.stage]}</Badge>
                  </div>
                  <dl className="grid gap-2 text-sm sm:grid-cols-3">
                    <div>
                      <dt className="text-slate-600">Responses due</dt>
                      <dd className="text-slate-900">{formatDate(t.response_deadline)}</dd>
                    </div>
                    <div>
                      <dt className="text-slate-600">Assignee</dt>
                      <dd className="break-words text-slate-900">
                        {t.assignee ? (t.assignee.name ?? t.assignee.email) : "Unassigned"}
                      </dd>
                    </div>
                    <div>
                      <dt className="text-slate-600">Notes</dt>
                      <dd className="text-slate-900">
                        <Link
                          href={`/opportunities/${encodeURIComponent(t.notice_id)}#pipeline`}
                          className="text-indigo-700 underline"
                        >
                          {t.notes_count} {t.notes_count === 1 ? "note" : "notes"}
                        </Link>
                      </dd>
                    </div>
                  </dl>
                  {t.last_note ? (
                    <p className="rounded-md bg-slate-50 px-3 py-2 text-sm break-words whitespace-pre-line text-slate-800">
                      <span className="sr-only">Latest note: </span>
                      {t.last_note}
                    </p>
                  ) : null}
                  {manage ? <TrackedEditor tracked={t} members={memberOptions} /> : null}
                </CardBody>
              </Card>
            </li>
          ))}
        </ul>
      )}
      {page.next_cursor ? (
        <p className="mt-4">
          <Link
            href={`/pipeline${queryString(search, { cursor: page.next_cursor })}`}
            className={buttonClasses("secondary")}
          >
            Next page
          </Link>
        </p>
      ) : null}

      <div className="mt-10 grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader
            title="Deadline reminders"
            description="The assignee (or whoever tracked it) is e-mailed this many days before a response deadline, for notices you are watching or bidding on. 0 turns reminders off."
          />
          <CardBody>
            {can(viewer.org.role, "org:update") ? (
              <PipelineForm action={pipelineSettingsAction} submit="Save reminder" label="Reminder lead time">
                <label className="flex flex-col gap-1 text-sm font-medium text-slate-900" htmlFor="reminder-days">
                  Days before the deadline
                  <input
                    id="reminder-days"
                    name="reminder_days"
                    type="number"
                    min={0}
                    max={MAX_REMINDER_DAYS}
                    required
                    defaultValue={settings.reminder_days}
                    className={`${INPUT} w-28`}
                  />
                </label>
              </PipelineForm>
            ) : (
              <p className="text-sm text-slate-700">
                {settings.reminder_days === 0
                  ? "Reminders are off."
                  : `Reminders go out ${settings.reminder_days} days ahead.`}{" "}
                Owners and admins can change this.
              </p>
            )}
          </CardBody>
        </Card>
        <Card>
          <CardHeader
            title="Calendar feed"
            description="Your own secret link to subscribe to from Google Calendar, Outlook or Apple Calendar: the response deadlines your teams are watching or bidding on."
          />
          <CardBody className="space-y-3">
            <p className="text-sm text-slate-700" data-testid="calendar-feed-status">
              {feed.active
                ? `Active since ${formatDate(feed.created_at)}${feed.last_used_at ? `, last read ${formatDate(feed.last_used_at)}` : ""}. We only keep a fingerprint of the link, so a new one replaces it.`
                : "No calendar feed yet."}
            </p>
            <PipelineForm
              action={calendarFeedAction}
              submit={feed.active ? "Replace feed link" : "Create feed link"}
              variant={feed.active ? "secondary" : "primary"}
              label="Calendar feed"
            >
              {feed.active ? (
                <button type="submit" name="intent" value="revoke" className={buttonClasses("ghost")}>
                  Turn feed off
                </button>
              ) : null}
            </PipelineForm>
          </CardBody>
        </Card>
      </div>
    </>
  );
}
