import type { BadgeTone } from "@/components/ui";

export const JOB_STATUS_TONE: Record<string, BadgeTone> = {
  queued: "neutral",
  running: "indigo",
  succeeded: "success",
  failed: "danger",
  retrying: "warning",
  cancelled: "neutral",
};
