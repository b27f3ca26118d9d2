import {
  readAlert,
  readProfile,
  readProgress,
  type BusinessProfileRow,
  type OnboardingContext,
  type OnboardingProgressRow,
} from "./progress";
import { stepFromProgress, type OnboardingStep } from "./steps";

export interface OnboardingState {
  /** The first step not yet done ("done" once onboarding is complete). */
  step: OnboardingStep;
  profile: BusinessProfileRow | null;
  progress: OnboardingProgressRow | null;
  /** The alert created in the wizard, while it still exists. */
  firstAlert: NonNullable<Awaited<ReturnType<typeof readAlert>>> | null;
}

/** Everything the wizard needs to resume where the org left off. */
export async function getOnboardingState(ctx: OnboardingContext): Promise<OnboardingState> {
  const { orgId } = ctx;
  return ctx.transaction(async (tx) => {
    const profile = await readProfile(tx, orgId);
    const progress = await readProgress(tx, orgId);
    const firstAlert = await readAlert(tx, orgId, progress?.firstAlertId ?? null);
    return { step: stepFromProgress(progress), profile, progress, firstAlert };
  });
}

/** Just the current step (the dashboard's "finish setting up" card). */
export async function getOnboardingStep(ctx: OnboardingContext): Promise<OnboardingStep> {
  return stepFromProgress(await ctx.transaction((tx) => readProgress(tx, ctx.orgId)));
}
