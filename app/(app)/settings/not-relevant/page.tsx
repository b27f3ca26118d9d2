import type { Metadata } from "next";
import Link from "next/link";
import { NoticeActionForm } from "@/components/opportunities/fit-summary";
import { Card, CardHeader, EmptyState, PageHeader } from "@/components/ui";
import { requireMember } from "@/lib/auth/next";
import { formatDate } from "@/lib/format";
import { can } from "@/lib/orgs";
import { listNotRelevant } from "@/lib/relevance";
import { undoNotRelevantAction } from "../../opportunities/actions";
import { SettingsNav } from "../settings-nav";

export const metadata: Metadata = { title: "Not relevant" };

const PATH = "/settings/not-relevant";

/** What the team marked not relevant, newest first; members who may mark restore a notice in one click. */
export default async function NotRelevantPage() {
  const { viewer, ctx } = await requireMember(PATH);
  const marks = await listNotRelevant(ctx);
  const canRestore = can(viewer.org.role, "opportunities:dismiss");
  return (
    <>
      <PageHeader title="Settings" description={viewer.org.name} />
      <SettingsNav current={PATH} />
      <Card>
        <CardHeader
          title="Marked not relevant"
          description="These notices are left out of your team's matches, search and alert e-mails, and notices like them rank lower. Restore one to make it a match again."
        />
        {marks.length === 0 ? (
          <EmptyState
            className="m-4 sm:m-6"
            as="h3"
            title="Nothing marked not relevant"
            description={
              <>
                Use “Not relevant” on a match in{" "}
                <Link href="/opportunities" className="text-indigo-700 underline">
                  Opportunities
                </Link>{" "}
                to hide it and rank notices like it lower.
              </>
            }
          />
        ) : (
          <ul className="divide-y divide-slate-200" aria-label="Notices marked not relevant">
            {marks.map((m) => (
              <li
                key={m.notice_id}
                className="flex flex-wrap items-start justify-between gap-3 px-4 py-3 sm:px-6"
                data-testid="not-relevant-row"
              >
                <div className="min-w-0 flex-1">
                  <Link
                    href={`/opportunities/${encodeURIComponent(m.notice_id)}`}
                    className="font-medium break-words text-slate-900 hover:text-indigo-700"
                  >
                    {m.title}
                  </Link>
                  <p className="text-sm text-slate-600">{m.agency || "Agency not given"}</p>
                  <p className="text-xs text-slate-600">
                    Marked {formatDate(m.created_at)}
                    {m.marked_by_name ? ` by ${m.marked_by_name}` : null}
                  </p>
                </div>
                {canRestore ? (
                  <NoticeActionForm
                    action={undoNotRelevantAction}
                    noticeId={m.notice_id}
                    returnTo={PATH}
                    label={`Restore ${m.title}`}
                  >
                    Restore
                  </NoticeActionForm>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
