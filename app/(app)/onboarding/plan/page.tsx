import type { Metadata } from "next";
import { PlanStep, type PlanCard } from "@/components/onboarding/plan-step";
import { SetupByOthers, StepFrame } from "@/components/onboarding/step-frame";
import { PLANS, TRIAL_DAYS, formatMonthlyPrice, planById } from "@/lib/plans";
import { planPurchaseBlocker, trialAvailable } from "@/lib/billing";
import { openStep } from "../open-step";

export const metadata: Metadata = { title: "Set up Beacon: plan" };

export default async function PlanStepPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const opened = await openStep("plan");
  const { viewer } = opened;
  if (!opened.allowed) return <SetupByOthers role={viewer.org.role} orgName={viewer.org.name} />;
  const params = await searchParams;
  const plans: PlanCard[] = PLANS.map((p) => ({
    id: p.id,
    name: p.name,
    tagline: p.tagline,
    price: formatMonthlyPrice(p),
    // The plan table's features already state the numbers (alerts, seats, API calls).
    features: p.features,
    blocker: p.stripePriceEnv ? planPurchaseBlocker(p.id) : null,
  }));
  return (
    <StepFrame step="plan" reached={opened.state.step}>
      <PlanStep
        plans={plans}
        currentPlan={viewer.org.plan}
        currentPlanName={planById(viewer.org.plan).name}
        trialDays={(await trialAvailable(opened.ctx)) ? TRIAL_DAYS : null}
        checkoutCanceled={params.checkout === "canceled"}
      />
    </StepFrame>
  );
}
