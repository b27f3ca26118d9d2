import type { Metadata } from "next";
import Link from "next/link";
import { SetupByOthers } from "@/components/onboarding/step-frame";
import { OnboardingStepper } from "@/components/onboarding/stepper";
import { Card, CardBody, PageHeader, buttonClasses } from "@/components/ui";
import { onboardingPath } from "@/lib/onboarding";
import { openStep } from "../open-step";

export const metadata: Metadata = { title: "Beacon is set up" };

export default async function OnboardingDonePage() {
  const opened = await openStep("done");
  const { viewer } = opened;
  if (!opened.allowed) return <SetupByOthers role={viewer.org.role} orgName={viewer.org.name} />;
  return (
    <>
      <PageHeader
        title="You are all set"
        description="Your profile and first alert are saved. New matches will arrive by e-mail."
      />
      <OnboardingStepper shown="done" reached="done" />
      <Card>
        <CardBody className="space-y-4">
          <p className="text-sm text-slate-700">You can come back to any step to change it.</p>
          <div className="flex flex-col gap-3 sm:flex-row">
            <Link href="/dashboard" className={buttonClasses("primary", "md", "w-full sm:w-auto")}>
              Go to the dashboard
            </Link>
            <Link href={onboardingPath("matches")} className={buttonClasses("secondary", "md", "w-full sm:w-auto")}>
              See matches again
            </Link>
          </div>
        </CardBody>
      </Card>
    </>
  );
}
