// Browser-safe: the page, the stepper and the server share the order of the steps.

export const ONBOARDING_STEPS = ["profile", "alert", "matches", "plan"] as const;
export type OnboardingStepId = (typeof ONBOARDING_STEPS)[number];
export type OnboardingStep = OnboardingStepId | "done";

export const STEP_LABELS: Record<OnboardingStepId, string> = {
  profile: "Your business",
  alert: "First alert",
  matches: "Matches",
  plan: "Plan",
};

/** The timestamps that decide the step (a subset of the `onboarding_progress` row). */
export interface StepProgress {
  profileCompletedAt: Date | null;
  alertCompletedAt: Date | null;
  firstAlertId: string | null;
  matchesViewedAt: Date | null;
  onboardingCompletedAt: Date | null;
}

/** The first step not yet done; "done" once onboarding is complete. */
export function stepFromProgress(progress: StepProgress | null | undefined): OnboardingStep {
  if (!progress?.profileCompletedAt) return "profile";
  if (progress.onboardingCompletedAt) return "done";
  if (!progress.alertCompletedAt || !progress.firstAlertId) return "alert";
  if (!progress.matchesViewedAt) return "matches";
  return "plan";
}

/** Each step has its own page, so a step is a link, a history entry and a reload away. */
export function onboardingPath(step: OnboardingStep): string {
  return `/onboarding/${step}`;
}

export function stepIndex(step: OnboardingStep): number {
  return step === "done" ? ONBOARDING_STEPS.length : ONBOARDING_STEPS.indexOf(step);
}

/**
 * The step to show: `?step=` may go back to a step already reached, never ahead of the
 * current one. Anything else shows the current step.
 */
export function visibleStep(current: OnboardingStep, requested: unknown): OnboardingStep {
  if (typeof requested !== "string") return current;
  const wanted = ONBOARDING_STEPS.find((s) => s === requested);
  if (!wanted) return current;
  return stepIndex(wanted) <= stepIndex(current) ? wanted : current;
}
