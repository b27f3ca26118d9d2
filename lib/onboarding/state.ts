import { withTenant } from "@/db/tenant";
import {
  assertOrgId,
  readAlert,
  readProfile,
  readProgress,
  type BusinessProfileRow,
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
export async function getOnboardingState(orgId: string): Promise<OnboardingState> {
  assertOrgId(orgId);
  return withTenant(orgId, async (tx) => {
    const profile = await readProfile(tx, orgId);
    const progress = await readProgress(tx, orgId);
    const firstAlert = await readAlert(tx, orgId, progress?.firstAlertId ?? null);
    return { step: stepFromProgress(progress), profile, progress, firstAlert };
  });
}

/** Just the current step (the dashboard's "finish setting up" card). */
export async function getOnboardingStep(orgId: string): Promise<OnboardingStep> {
  assertOrgId(orgId);
  return stepFromProgress(await withTenant(orgId, (tx) => readProgress(tx, orgId)));
}
