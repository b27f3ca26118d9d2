import { Alert } from "@/components/ui";
import type { OpportunityFeed } from "@/lib/opportunities";

/** Says, wherever notices are shown, when they are the bundled snapshot rather than live SAM.gov data. */
export function SampleDataBanner({ feed }: { feed: OpportunityFeed }) {
  if (feed.live || !feed.notice) return null;
  return (
    <Alert tone="info" className="mb-4">
      <span data-testid="sample-data-banner">{feed.notice}</span>. Open and closed are judged as of that day.
    </Alert>
  );
}
