import { formatDateTime } from "@/lib/format";
import { daysLeft, type NoticeStatus } from "@/lib/opportunities";

function left(days: number): string {
  if (days <= 0) return "due today";
  return days === 1 ? "1 day left" : `${days} days left`;
}

/** When responses are due and how long is left, or why the notice no longer takes them. */
export function NoticeDeadline({
  status,
  deadline,
  referenceDate,
}: {
  status: NoticeStatus;
  deadline: string | null;
  referenceDate: Date;
}) {
  const due = formatDateTime(deadline);
  const days = daysLeft(deadline, referenceDate);
  let text: string;
  if (status === "awarded") text = "Awarded: this notice announces a contract already made.";
  else if (status === "cancelled") text = "Cancelled by the agency.";
  else if (status === "closed")
    text = deadline ? `Closed: responses were due ${due}.` : "Closed: SAM.gov archived or deactivated it.";
  else if (deadline && days !== null) text = `Responses due ${due} · ${left(days)}`;
  else text = "Open: no response deadline given.";
  return (
    <p className="mt-2 text-sm font-medium text-slate-800" data-testid="notice-deadline">
      {text}
    </p>
  );
}
