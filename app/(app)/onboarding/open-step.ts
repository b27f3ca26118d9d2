import "server-only";
import { redirect } from "next/navigation";
import type { MemberViewer } from "@/lib/auth";
import { requireMember } from "@/lib/auth/next";
import {
  getOnboardingState,
  onboardingPath,
  visibleStep,
  type BusinessProfileRow,
  type OnboardingContext,
  type OnboardingState,
  type OnboardingStep,
} from "@/lib/onboarding";
import { naicsTitles } from "@/lib/opportunities";
import { can } from "@/lib/orgs";

export type OpenStep =
  | { allowed: false; viewer: MemberViewer }
  | { allowed: true; viewer: MemberViewer; ctx: OnboardingContext; state: OnboardingState };

/**
 * The signed-in member's onboarding as the page of `step` needs it. The server keeps the order:
 * a step not reached yet sends the member to the step they are on, and the steps after the
 * profile need one. Roles that cannot set up get `allowed: false`.
 */
export async function openStep(step: OnboardingStep): Promise<OpenStep> {
  const { viewer, ctx } = await requireMember(onboardingPath(step));
  if (!can(viewer.org.role, "onboarding:manage")) return { allowed: false, viewer };
  const state = await getOnboardingState(ctx);
  const reached = step === "done" ? state.step === "done" : visibleStep(state.step, step) === step;
  if (!reached) redirect(onboardingPath(state.step));
  if (!state.profile && step !== "profile" && step !== "done") redirect(onboardingPath("profile"));
  return { allowed: true, viewer, ctx, state };
}

/** The profile's NAICS codes with their titles, as the profile form and the filter summary show them. */
export async function profileNaics(profile: BusinessProfileRow | null) {
  const codes = profile?.naicsCodes ?? [];
  const titles = Object.fromEntries(await naicsTitles(codes));
  return codes.map((code) => ({ code, title: titles[code] ?? "" }));
}
