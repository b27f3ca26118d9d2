import { PipelineForm } from "@/components/pipeline/pipeline-form";
import { PIPELINE_STAGES, STAGE_LABELS, type ApiTrackedOpportunity } from "@/lib/pipeline";
import { addNoteAction, untrackAction, updateTrackedAction } from "./actions";

export interface MemberOption {
  userId: string;
  label: string;
}

const SELECT = "h-10 w-full min-w-0 rounded-md border border-slate-300 bg-white px-2 text-sm";

/** Stage, assignee, a new note and "stop tracking" for one tracked notice (members who may manage). */
export function TrackedEditor({
  tracked,
  members,
  withNote = true,
}: {
  tracked: ApiTrackedOpportunity;
  members: MemberOption[];
  withNote?: boolean;
}) {
  const key = tracked.id.slice(0, 8);
  const hidden = { id: tracked.id, notice_id: tracked.notice_id };
  return (
    <div className="space-y-3">
      <PipelineForm
        action={updateTrackedAction}
        submit="Save"
        hidden={hidden}
        label={`Stage and assignee of ${tracked.title ?? tracked.notice_id}`}
      >
        <label
          className="flex max-w-full min-w-0 flex-col gap-1 text-sm font-medium text-slate-900"
          htmlFor={`stage-${key}`}
        >
          Stage
          <select id={`stage-${key}`} name="stage" defaultValue={tracked.stage} className={SELECT}>
            {PIPELINE_STAGES.map((stage) => (
              <option key={stage} value={stage}>
                {STAGE_LABELS[stage]}
              </option>
            ))}
          </select>
        </label>
        <label
          className="flex max-w-full min-w-0 flex-col gap-1 text-sm font-medium text-slate-900"
          htmlFor={`assignee-${key}`}
        >
          Assignee
          <select
            id={`assignee-${key}`}
            name="assignee_id"
            defaultValue={tracked.assignee?.user_id ?? ""}
            className={`${SELECT} max-w-[16rem]`}
          >
            <option value="">Unassigned</option>
            {members.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
      </PipelineForm>
      {withNote ? (
        <PipelineForm
          action={addNoteAction}
          submit="Add note"
          hidden={hidden}
          label={`Add a note to ${tracked.title ?? tracked.notice_id}`}
          className="flex flex-col items-start gap-2"
        >
          <label className="flex w-full flex-col gap-1 text-sm font-medium text-slate-900" htmlFor={`note-${key}`}>
            Note for the team
            <textarea
              id={`note-${key}`}
              name="body"
              rows={2}
              required
              maxLength={5000}
              className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
            />
          </label>
        </PipelineForm>
      ) : null}
      <PipelineForm
        action={untrackAction}
        submit="Stop tracking"
        variant="ghost"
        hidden={hidden}
        label={`Stop tracking ${tracked.title ?? tracked.notice_id}`}
      />
    </div>
  );
}
