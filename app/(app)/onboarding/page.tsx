import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SetupByOthers } from "@/components/onboarding/step-frame";
import { requireMember } from "@/lib/auth/next";
import { getOnboardingStep, onboardingPath, visibleStep } from "@/lib/onboarding";
import { can } from "@/lib/orgs";

export const metadata: Metadata = { title: "Set up Beacon" };

/**
 * Where sign-up lands and the dashboard's "finish setting up" links: the step the org is on.
 * `?step=` (links made before each step had its own page) still opens a step already reached.
 */
export default async function OnboardingPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { viewer, ctx } = await requireMember("/onboarding");
  if (!can(viewer.org.role, "onboarding:manage"))
    return <SetupByOthers role={viewer.org.role} orgName={viewer.org.name} />;
  const params = await searchParams;
  const step = visibleStep(await getOnboardingStep(ctx), params.step);
  const query = new URLSearchParams();
  for (const key of ["checkout", "widened", "undo"])
    if (typeof params[key] === "string") query.set(key, params[key] as string);
  redirect(`${onboardingPath(step)}${query.size ? `?${query}` : ""}`);
}
