import type { Metadata } from "next";
import { AlertStep } from "@/components/onboarding/alert-step";
import { FiltersSummary } from "@/components/onboarding/filters-summary";
import { SetupByOthers, StepFrame } from "@/components/onboarding/step-frame";
import { defaultAlertName } from "@/lib/onboarding";
import { openStep, profileNaics } from "../open-step";

export const metadata: Metadata = { title: "Set up Beacon: first alert" };

export default async function AlertStepPage() {
  const opened = await openStep("alert");
  const { viewer } = opened;
  if (!opened.allowed) return <SetupByOthers role={viewer.org.role} orgName={viewer.org.name} />;
  const { step, firstAlert } = opened.state;
  const profile = opened.state.profile!; // openStep sends members without a profile to its step
  return (
    <StepFrame step="alert" reached={step}>
      <AlertStep
        defaults={{ name: defaultAlertName(profile.companyName), deliveryEmail: viewer.user.email }}
        filters={
          <FiltersSummary
            naics={await profileNaics(profile)}
            keywords={profile.keywords}
            setAsides={profile.setAsides}
            states={profile.states}
          />
        }
        existing={
          firstAlert
            ? { name: firstAlert.name, frequency: firstAlert.frequency, deliveryEmail: firstAlert.deliveryEmail }
            : null
        }
      />
    </StepFrame>
  );
}
