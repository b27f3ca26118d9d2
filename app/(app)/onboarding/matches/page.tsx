import type { Metadata } from "next";
import { MatchesStep } from "@/components/onboarding/matches-step";
import { SetupByOthers, StepFrame } from "@/components/onboarding/step-frame";
import { memberContext } from "@/lib/auth";
import type { MemberActor, OrgContext } from "@/lib/context";
import { onboardingMatches, onboardingPath } from "@/lib/onboarding";
import { opportunityFeed } from "@/lib/opportunities";
import { can } from "@/lib/orgs";
import { findNotRelevant } from "@/lib/relevance";
import { notRelevantAction, undoNotRelevantAction } from "../../opportunities/actions";
import { openStep } from "../open-step";

export const metadata: Metadata = { title: "Set up Beacon: matches" };

/** The notice just marked not relevant (`undo=` after the mark), if it still is: the matches show an Undo for it. */
async function undoFor(ctx: OrgContext<MemberActor>, noticeId: string | string[] | undefined) {
  const marked = typeof noticeId === "string" ? await findNotRelevant(ctx, noticeId) : null;
  return marked ? { ...marked, action: undoNotRelevantAction } : undefined;
}

export default async function MatchesStepPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const opened = await openStep("matches");
  const { viewer } = opened;
  if (!opened.allowed) return <SetupByOthers role={viewer.org.role} orgName={viewer.org.name} />;
  const params = await searchParams;
  const feed = opportunityFeed();
  return (
    <StepFrame step="matches" reached={opened.state.step}>
      <MatchesStep
        matches={await onboardingMatches(opened.ctx, 10, feed.referenceDate)}
        widened={params.widened === "1"}
        feed={feed}
        dismiss={
          can(viewer.org.role, "opportunities:dismiss")
            ? { action: notRelevantAction, returnTo: onboardingPath("matches") }
            : undefined
        }
        undo={await undoFor(memberContext(viewer), params.undo)}
      />
    </StepFrame>
  );
}
