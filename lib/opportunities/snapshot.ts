import { env } from "@/lib/env";
import { formatDate } from "@/lib/format";

/**
 * The bundled SAM.gov snapshot: every notice posted on one day (US Eastern), as published in
 * that day's extract. Without SAM_API_KEY it is all Beacon has, so it is shown as what it is.
 */
export const SNAPSHOT_DATE = "2026-04-24";
export const SNAPSHOT_LABEL = formatDate(`${SNAPSHOT_DATE}T12:00:00Z`);
export const BUNDLED_OPPORTUNITIES_FILE = `db/seed-data/sam/contract-opportunities_${SNAPSHOT_DATE}.json`;

/** The end of the snapshot's day in Washington (EDT, UTC-4): the moment the snapshot describes. */
export const SNAPSHOT_REFERENCE_DATE = new Date(`${SNAPSHOT_DATE}T23:59:59.999-04:00`);

export interface OpportunityFeed {
  /** True only when notices come from SAM.gov itself (SAM_API_KEY is set). */
  live: boolean;
  /** The instant "open" and "closed" are judged at: now when live, the snapshot's day otherwise. */
  referenceDate: Date;
  /** Banner text for sample data; null when live. */
  notice: string | null;
}

/** The one definition of the reference date for openness, and whether the data is live. */
export function opportunityFeed(now = new Date()): OpportunityFeed {
  if (env().SAM_API_KEY) return { live: true, referenceDate: now, notice: null };
  return {
    live: false,
    referenceDate: SNAPSHOT_REFERENCE_DATE,
    notice: `Sample data: SAM.gov notices of ${SNAPSHOT_LABEL} — set SAM_API_KEY for live data`,
  };
}
