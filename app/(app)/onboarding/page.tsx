import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { AlertStep } from "@/components/onboarding/alert-step";
import { MatchesStep } from "@/components/onboarding/matches-step";
import { PlanStep, type PlanCard } from "@/components/onboarding/plan-step";
import { FiltersSummary } from "@/components/onboarding/filters-summary";
import { ProfileStep } from "@/components/onboarding/profile-step";
import { OnboardingStepper } from "@/components/onboarding/stepper";
import { Alert, Card, CardBody, PageHeader, buttonClasses } from "@/components/ui";
import { requireViewer } from "@/lib/auth/next";
import { PLANS, TRIAL_DAYS, formatMonthlyPrice, planById } from "@/lib/plans";
import { planPurchaseBlocker, trialAvailable } from "@/lib/billing";
import {
  STEP_LABELS,
  defaultAlertName,
  getOnboardingState,
  onboardingMatches,
  visibleStep,
  type OnboardingStepId,
} from "@/lib/onboarding";
import { SET_ASIDE_OPTIONS, US_STATES } from "@/lib/onboarding/options";
import { naicsTitles, opportunityFeed } from "@/lib/opportunities";
import { can } from "@/lib/orgs";
import { findNotRelevant } from "@/lib/relevance";
import { notRelevantAction, undoNotRelevantAction } from "../opportunities/actions";

export const metadata: Metadata = { title: "Set up Beacon" };

/** The notice just marked not relevant (`undo=` after the mark), if it still is: the matches show an Undo for it. */
async function undoFor(orgId: string, noticeId: string | string[] | undefined) {
  const marked = typeof noticeId === "string" ? await findNotRelevant(orgId, noticeId) : null;
  return marked ? { ...marked, action: undoNotRelevantAction } : undefined;
}

const DESCRIPTIONS: Record<OnboardingStepId, string> = {
  profile: "Tell us what your business does. It takes a minute, and we use it to find federal opportunities for you.",
  alert: "Get new matching opportunities by e-mail, as often as you like.",
  matches: "These open opportunities match your profile right now.",
  plan: "Start free, or try a paid plan for more alerts, seats and API calls.",
};

export default async function OnboardingPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const viewer = await requireViewer("/onboarding");
  const params = await searchParams;
  const orgId = viewer.org.id;

  if (!can(viewer.org.role, "onboarding:manage")) {
    return (
      <>
        <PageHeader title="Set up Beacon" />
        <Alert tone="info" className="mt-6" title="Setup is done by your team's owners, admins and members.">
          You are {viewer.org.role} in {viewer.org.name}, so you can look around but not change the setup.
        </Alert>
        <Link href="/dashboard" className={`${buttonClasses("secondary")} mt-4`}>
          Go to the dashboard
        </Link>
      </>
    );
  }

  const state = await getOnboardingState(orgId);
  const shown = visibleStep(state.step, params.step);
  const profile = state.profile;
  const titles = Object.fromEntries(await naicsTitles(profile?.naicsCodes ?? []));
  const naics = (profile?.naicsCodes ?? []).map((code) => ({ code, title: titles[code] ?? "" }));

  if (shown === "done") {
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
              <Link href="/onboarding?step=matches" className={buttonClasses("secondary", "md", "w-full sm:w-auto")}>
                See matches again
              </Link>
            </div>
          </CardBody>
        </Card>
      </>
    );
  }

  let body: ReactNode;
  if (shown === "profile" || !profile) {
    const orgName = viewer.org.name.endsWith("'s organisation") ? "" : viewer.org.name;
    body = (
      <ProfileStep
        orgId={orgId}
        setAsideOptions={SET_ASIDE_OPTIONS}
        stateOptions={US_STATES}
        basedOn={profile?.updatedAt.toISOString() ?? null}
        initial={{
          companyName: profile?.companyName ?? orgName,
          naics,
          keywords: profile?.keywords ?? [],
          keywordText: "",
          setAsides: profile?.setAsides ?? [],
          states: profile?.states ?? [],
        }}
      />
    );
  } else if (shown === "alert") {
    const alert = state.firstAlert;
    body = (
      <AlertStep
        defaults={{ name: defaultAlertName(profile.companyName), deliveryEmail: viewer.user.email }}
        filters={
          <FiltersSummary
            naics={naics}
            keywords={profile.keywords}
            setAsides={profile.setAsides}
            states={profile.states}
          />
        }
        existing={alert ? { name: alert.name, frequency: alert.frequency, deliveryEmail: alert.deliveryEmail } : null}
      />
    );
  } else if (shown === "matches") {
    const feed = opportunityFeed();
    body = (
      <MatchesStep
        matches={await onboardingMatches(orgId, 10, feed.referenceDate)}
        widened={params.widened === "1"}
        feed={feed}
        dismiss={
          can(viewer.org.role, "opportunities:dismiss")
            ? { action: notRelevantAction, returnTo: "/onboarding?step=matches" }
            : undefined
        }
        undo={await undoFor(orgId, params.undo)}
      />
    );
  } else {
    const plans: PlanCard[] = PLANS.map((p) => ({
      id: p.id,
      name: p.name,
      tagline: p.tagline,
      price: formatMonthlyPrice(p),
      // The plan table's features already state the numbers (alerts, seats, API calls).
      features: p.features,
      blocker: p.stripePriceEnv ? planPurchaseBlocker(p.id) : null,
    }));
    body = (
      <PlanStep
        plans={plans}
        currentPlan={viewer.org.plan}
        currentPlanName={planById(viewer.org.plan).name}
        trialDays={(await trialAvailable(orgId)) ? TRIAL_DAYS : null}
        checkoutCanceled={params.checkout === "canceled"}
      />
    );
  }

  const stepNumber = ["profile", "alert", "matches", "plan"].indexOf(shown) + 1;
  return (
    <div className="mx-auto max-w-3xl">
      <OnboardingStepper shown={shown} reached={state.step} />
      <PageHeader title={STEP_LABELS[shown]} description={DESCRIPTIONS[shown]} className="mb-6" />
      <p className="sr-only">Step {stepNumber} of 4</p>
      {body}
    </div>
  );
}
