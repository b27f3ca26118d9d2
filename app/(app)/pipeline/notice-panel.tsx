import Link from "next/link";
import { TrackButton } from "@/components/pipeline/track-button";
import { Badge, Card, CardBody, CardHeader } from "@/components/ui";
import { memberContext, type MemberViewer } from "@/lib/auth";
import { can, listMembers } from "@/lib/orgs";
import { getTracked, pipelineAccess, STAGE_LABELS, trackedForNotice } from "@/lib/pipeline";
import { formatDateTime } from "@/lib/format";
import { trackAction } from "./actions";
import { TrackedEditor } from "./tracked-editor";

const when = (iso: string) => formatDateTime(iso);

/** The notice page's pipeline box: Track, or its stage, assignee and notes; an upgrade hint on plans without it. */
export async function PipelineNoticePanel({ viewer, noticeId }: { viewer: MemberViewer; noticeId: string }) {
  const ctx = memberContext(viewer);
  const { role } = viewer.org;
  const access = await pipelineAccess(ctx);
  if (!access.included) {
    return (
      <p className="text-sm text-slate-600" id="pipeline">
        Track this notice, assign it and get a deadline reminder with the{" "}
        <Link href={access.upgradeUrl} className="font-medium text-indigo-700 underline">
          pipeline (Starter and up)
        </Link>
        .
      </p>
    );
  }
  const manage = can(role, "pipeline:manage");
  const summary = await trackedForNotice(ctx, noticeId);
  if (!summary) {
    return (
      <section id="pipeline" aria-label="Pipeline">
        {manage ? (
          <TrackButton
            action={trackAction}
            noticeId={noticeId}
            tracked={false}
            label="Track this notice"
            size="md"
            variant="primary"
          />
        ) : (
          <p className="text-sm text-slate-600">Not in your team&apos;s pipeline.</p>
        )}
      </section>
    );
  }
  const [tracked, members] = await Promise.all([getTracked(ctx, summary.id), listMembers(ctx)]);
  return (
    <section id="pipeline" aria-labelledby="pipeline-heading">
      <Card>
        <CardHeader
          title={<span id="pipeline-heading">In your pipeline</span>}
          actions={<Badge tone="indigo">{STAGE_LABELS[tracked.stage]}</Badge>}
          description={`Assignee: ${tracked.assignee ? (tracked.assignee.name ?? tracked.assignee.email) : "nobody yet"}`}
        />
        <CardBody className="space-y-4">
          {tracked.notes.length > 0 ? (
            <ol className="space-y-2" aria-label="Notes" data-testid="pipeline-notes">
              {tracked.notes.map((note) => (
                <li key={note.id} className="rounded-md bg-slate-50 px-3 py-2 text-sm">
                  <p className="break-words whitespace-pre-line text-slate-900">{note.body}</p>
                  <p className="mt-1 text-xs text-slate-600">
                    {note.author ? (note.author.name ?? note.author.email) : "A former member"} ·{" "}
                    {when(note.created_at)}
                  </p>
                </li>
              ))}
            </ol>
          ) : (
            <p className="text-sm text-slate-600">No notes yet.</p>
          )}
          {manage ? (
            <TrackedEditor
              tracked={tracked}
              members={members.map((m) => ({ userId: m.userId, label: m.name ? `${m.name} (${m.email})` : m.email }))}
            />
          ) : null}
          <Link href="/pipeline" className="inline-block text-sm font-medium text-indigo-700 underline">
            Open the pipeline
          </Link>
        </CardBody>
      </Card>
    </section>
  );
}
