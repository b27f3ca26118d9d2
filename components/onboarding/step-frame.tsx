import Link from "next/link";
import type { ReactNode } from "react";
import { Alert, PageHeader, buttonClasses } from "@/components/ui";
import { ONBOARDING_STEPS, STEP_LABELS, type OnboardingStep, type OnboardingStepId } from "@/lib/onboarding";
import { OnboardingStepper } from "./stepper";

const DESCRIPTIONS: Record<OnboardingStepId, string> = {
  profile: "Tell us what your business does. It takes a minute, and we use it to find federal opportunities for you.",
  alert: "Get new matching opportunities by e-mail, as often as you like.",
  matches: "These open opportunities match your profile right now.",
  plan: "Start free, or try a paid plan for more alerts, seats and API calls.",
};

/** What every step's page shows around the step: the progress, the step's title and where it stands. */
export function StepFrame({
  step,
  reached,
  children,
}: {
  step: OnboardingStepId;
  reached: OnboardingStep;
  children: ReactNode;
}) {
  return (
    <div className="mx-auto max-w-3xl">
      <OnboardingStepper shown={step} reached={reached} />
      <PageHeader title={STEP_LABELS[step]} description={DESCRIPTIONS[step]} className="mb-6" />
      <p className="sr-only">
        Step {ONBOARDING_STEPS.indexOf(step) + 1} of {ONBOARDING_STEPS.length}
      </p>
      {children}
    </div>
  );
}

/** For roles that may look but not set up (viewers, billing members). */
export function SetupByOthers({ role, orgName }: { role: string; orgName: string }) {
  return (
    <>
      <PageHeader title="Set up Beacon" />
      <Alert tone="info" className="mt-6" title="Setup is done by your team's owners, admins and members.">
        You are {role} in {orgName}, so you can look around but not change the setup.
      </Alert>
      <Link href="/dashboard" className={`${buttonClasses("secondary")} mt-4`}>
        Go to the dashboard
      </Link>
    </>
  );
}
