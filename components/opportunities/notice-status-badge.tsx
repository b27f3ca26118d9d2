import { Badge, type BadgeTone } from "@/components/ui";
import type { NoticeStatus } from "@/lib/opportunities";

const LOOK: Record<NoticeStatus, { label: string; tone: BadgeTone }> = {
  open: { label: "Open", tone: "success" },
  closed: { label: "Closed", tone: "neutral" },
  awarded: { label: "Awarded", tone: "indigo" },
  cancelled: { label: "Cancelled", tone: "danger" },
};

/** Open / closed (deadline passed) / awarded / cancelled, at the feed's reference date. */
export function NoticeStatusBadge({ status }: { status: NoticeStatus }) {
  const { label, tone } = LOOK[status];
  return (
    <Badge tone={tone} data-testid="notice-status">
      {label}
    </Badge>
  );
}
