"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { getViewer } from "@/lib/auth/next";
import { runFormAction, type FormState } from "@/lib/http";
import {
  applyWidenSuggestion,
  businessProfileSchema,
  choosePlan,
  choosePlanSchema,
  completeOnboarding,
  createFirstAlert,
  firstAlertSchema,
  markMatchesViewed,
  saveBusinessProfile,
  widenSchema,
} from "@/lib/onboarding";
import type { OrgActor } from "@/lib/orgs";

/** The org and member acting; signed-out people go to sign-in and come back here. */
async function onboardingContext(): Promise<{ orgId: string; actor: OrgActor }> {
  const viewer = await getViewer();
  if (!viewer) redirect(`/sign-in?callbackUrl=${encodeURIComponent("/onboarding")}`);
  if (!viewer.org) redirect("/no-organization");
  return { orgId: viewer.org.id, actor: { userId: viewer.user.id, role: viewer.org.role } };
}

export async function saveProfileAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { orgId, actor } = await onboardingContext();
  const state = await runFormAction(formData, businessProfileSchema, (input) => saveBusinessProfile(orgId, actor, input));
  if (state.status !== "success") return state;
  redirect("/onboarding");
}

export async function createFirstAlertAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { orgId, actor } = await onboardingContext();
  const state = await runFormAction(formData, firstAlertSchema, (input) => createFirstAlert(orgId, actor, input));
  if (state.status !== "success") return state;
  redirect("/onboarding");
}

export async function widenProfileAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { orgId, actor } = await onboardingContext();
  const state = await runFormAction(formData, widenSchema, (input) => applyWidenSuggestion(orgId, actor, input.suggestion));
  if (state.status !== "success") return state;
  redirect("/onboarding?step=matches&widened=1");
}

export async function markMatchesViewedAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { orgId, actor } = await onboardingContext();
  const state = await runFormAction(formData, z.object({}), () => markMatchesViewed(orgId, actor));
  if (state.status !== "success") return state;
  redirect("/onboarding");
}

export async function choosePlanAction(_prev: FormState, formData: FormData): Promise<FormState<{ plan: string; trialDays: number }>> {
  const { orgId, actor } = await onboardingContext();
  const state = await runFormAction(formData, choosePlanSchema, (input) => choosePlan(orgId, actor, input.plan));
  if (state.status !== "success" || !state.result) return { ...state, result: undefined };
  if (state.result.completed) redirect("/dashboard?welcome=1");
  // No checkout yet: say so plainly and let the customer carry on with the free plan.
  return { status: "success", result: { plan: state.result.plan, trialDays: state.result.trialDays } };
}

export async function completeOnboardingAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { orgId, actor } = await onboardingContext();
  const state = await runFormAction(formData, z.object({}), () => completeOnboarding(orgId, actor));
  if (state.status !== "success") return state;
  redirect("/dashboard?welcome=1");
}
