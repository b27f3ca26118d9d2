import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { Alert } from "@/components/ui";
import { safeReturnPath, SIGNUPS_PAUSED } from "@/lib/auth";
import { getViewer } from "@/lib/auth/next";
import { PLAN_IDS, planById, type PlanId } from "@/lib/plans";
import { flagEnabled } from "@/lib/flags";

export const metadata: Metadata = { title: "Create your account" };

export default async function SignUpPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = typeof params.callbackUrl === "string" ? safeReturnPath(params.callbackUrl) : undefined;
  if (await getViewer()) redirect(callbackUrl ?? "/dashboard");
  const plan =
    typeof params.plan === "string" && (PLAN_IDS as string[]).includes(params.plan)
      ? (params.plan as PlanId)
      : undefined;
  const email = typeof params.email === "string" ? params.email.slice(0, 254) : undefined;
  if (!(await flagEnabled("signups"))) {
    return (
      <>
        <h1 className="text-2xl font-semibold text-slate-900">Create your Beacon account</h1>
        <Alert tone="info" className="mt-6" title="Sign-ups are paused">
          {SIGNUPS_PAUSED}
        </Alert>
      </>
    );
  }
  return (
    <>
      <h1 className="text-2xl font-semibold text-slate-900">Create your Beacon account</h1>
      <p className="mt-2 text-sm text-slate-600">
        {plan && plan !== "free"
          ? `You picked ${planById(plan).name}. Set up your account first; you can start the 7-day trial during onboarding.`
          : "Free to start. Describe your business and see matching opportunities in minutes."}
      </p>
      <div className="mt-6">
        <SignUpForm callbackUrl={callbackUrl} plan={plan} email={email} />
      </div>
    </>
  );
}
