import type { Metadata } from "next";
import Link from "next/link";
import { Alert, Card, CardBody, PageHeader, buttonClasses } from "@/components/ui";
import { requireMember } from "@/lib/auth/next";
import { can } from "@/lib/orgs";
import { planById } from "@/lib/plans";
import { STEP_LABELS, getBusinessProfile, getOnboardingStep } from "@/lib/onboarding";
import { dashboardSummary } from "@/lib/dashboard";
import { AtAGlance } from "@/components/dashboard/at-a-glance";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { viewer, ctx } = await requireMember("/dashboard");
  const params = await searchParams;
  const plan = planById(viewer.org.plan);
  const setupStep = can(viewer.org.role, "onboarding:manage") ? await getOnboardingStep(ctx) : "done";
  const [summary, profile] = await Promise.all([dashboardSummary(ctx), getBusinessProfile(ctx)]);
  return (
    <>
      <PageHeader
        title={`Welcome${viewer.user.name ? `, ${viewer.user.name}` : ""}`}
        description={`${viewer.org.name} · ${plan.name} plan · you are ${viewer.org.role}`}
      />
      <div className="space-y-4">
        {params.welcome && setupStep === "done" ? (
          <Alert tone="success" title="You are all set.">
            Your first alert is saved: new matching opportunities will arrive by e-mail.
          </Alert>
        ) : null}
        {setupStep !== "done" ? (
          <section
            aria-labelledby="finish-setup"
            className="flex flex-col gap-4 rounded-xl bg-indigo-50 p-4 ring-2 ring-indigo-600 sm:flex-row sm:items-center sm:justify-between sm:p-6"
          >
            <div>
              <h2 id="finish-setup" className="text-lg font-semibold text-slate-900">
                Finish setting up
              </h2>
              <p className="mt-1 text-sm text-slate-700">
                Tell us what your business does and see the federal opportunities that match it, in a few minutes. Next:{" "}
                {STEP_LABELS[setupStep]}.
              </p>
            </div>
            <Link className={buttonClasses("primary", "md", "w-full shrink-0 sm:w-auto")} href="/onboarding">
              Continue setup
            </Link>
          </section>
        ) : null}
        {params.joined ? <Alert tone="success">You joined {viewer.org.name}.</Alert> : null}
        {params.reset ? (
          <Alert tone="success">Your password was changed and your other sessions were signed out.</Alert>
        ) : null}
        {params.denied === "admin" ? <Alert tone="warning">That area is for Beacon operators only.</Alert> : null}
        <AtAGlance summary={summary} naics={profile?.naicsCodes ?? []} />
        <div className="grid gap-4 sm:grid-cols-2">
          <Card>
            <CardBody>
              <h2 className="font-semibold text-slate-900">Your plan</h2>
              <p className="mt-1 text-sm text-slate-600">
                {plan.name}: {plan.monthlyApiQuota.toLocaleString("en-US")} API calls a month, up to{" "}
                {plan.maxAlerts.toLocaleString("en-US")} alerts and {plan.maxSeats.toLocaleString("en-US")} seats.
              </p>
              <Link className={`${buttonClasses("secondary", "sm")} mt-4`} href="/pricing">
                Compare plans
              </Link>
            </CardBody>
          </Card>
          <Card>
            <CardBody>
              <h2 className="font-semibold text-slate-900">Team</h2>
              <p className="mt-1 text-sm text-slate-600">
                {can(viewer.org.role, "members:invite")
                  ? "Invite colleagues and choose what each can do."
                  : "See who else works in this organisation."}
              </p>
              <Link className={`${buttonClasses("secondary", "sm")} mt-4`} href="/settings/team">
                Open team settings
              </Link>
            </CardBody>
          </Card>
          <Card>
            <CardBody>
              <h2 className="font-semibold text-slate-900">API access</h2>
              <p className="mt-1 text-sm text-slate-600">Search opportunities from your own tools with an API key.</p>
              <Link className={`${buttonClasses("secondary", "sm")} mt-4`} href="/settings/api-keys">
                Manage API keys
              </Link>
            </CardBody>
          </Card>
        </div>
      </div>
    </>
  );
}
