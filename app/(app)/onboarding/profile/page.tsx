import type { Metadata } from "next";
import { ProfileStep } from "@/components/onboarding/profile-step";
import { SetupByOthers, StepFrame } from "@/components/onboarding/step-frame";
import { SET_ASIDE_OPTIONS, US_STATES } from "@/lib/onboarding/options";
import { openStep, profileNaics } from "../open-step";

export const metadata: Metadata = { title: "Set up Beacon: your business" };

export default async function ProfileStepPage() {
  const opened = await openStep("profile");
  const { viewer } = opened;
  if (!opened.allowed) return <SetupByOthers role={viewer.org.role} orgName={viewer.org.name} />;
  const { profile, step } = opened.state;
  const orgName = viewer.org.name.endsWith("'s organisation") ? "" : viewer.org.name;
  return (
    <StepFrame step="profile" reached={step}>
      <ProfileStep
        orgId={viewer.org.id}
        setAsideOptions={SET_ASIDE_OPTIONS}
        stateOptions={US_STATES}
        basedOn={profile?.updatedAt.toISOString() ?? null}
        initial={{
          companyName: profile?.companyName ?? orgName,
          naics: await profileNaics(profile),
          keywords: profile?.keywords ?? [],
          keywordText: "",
          setAsides: profile?.setAsides ?? [],
          states: profile?.states ?? [],
        }}
      />
    </StepFrame>
  );
}
