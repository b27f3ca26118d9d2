import { Alert } from "@/components/ui";
import { NoticeActionForm } from "./fit-summary";

/** Shown right after a member marks a notice not relevant: what left the list, and one click to bring it back. */
export function NotRelevantUndo({
  noticeId,
  title,
  returnTo,
  undo,
}: {
  noticeId: string;
  title: string;
  returnTo: string;
  undo: (formData: FormData) => Promise<void>;
}) {
  return (
    <Alert
      tone="info"
      className="mt-4"
      action={
        <NoticeActionForm action={undo} noticeId={noticeId} returnTo={returnTo} label={`Undo not relevant: ${title}`}>
          Undo
        </NoticeActionForm>
      }
    >
      <span data-testid="not-relevant-undo">
        “{title}” is marked not relevant for your team: it left your matches, and notices like it rank lower.
      </span>
    </Alert>
  );
}
