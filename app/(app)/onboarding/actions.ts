"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { memberContext, type MemberViewer } from "@/lib/auth";
import { getViewer } from "@/lib/auth/next";
import { startSubscriptionCheckout } from "@/lib/billing";
import { AppError, runFormAction, type FormState } from "@/lib/http";
import {
  applyWidenSuggestion,
  businessProfileSchema,
  choosePlan,
  choosePlanSchema,
  completeOnboarding,
  createFirstAlert,
  firstAlertSchema,
  getOnboardingStep,
  markMatchesViewed,
  onboardingPath,
  saveBusinessProfile,
  widenSchema,
  type OnboardingContext,
} from "@/lib/onboarding";
import { can } from "@/lib/orgs";

/** The member acting and their context; signed-out people go to sign-in and come back here. */
async function onboardingContext(): Promise<{ ctx: OnboardingContext }> {
  const viewer = await getViewer();
  if (!viewer) redirect(`/sign-in?callbackUrl=${encodeURIComponent("/onboarding")}`);
  if (!viewer.org) redirect("/no-organization");
  return { ctx: memberContext(viewer as MemberViewer) };
}

/** Every step's page shows the progress: none may come back from the browser's history as it was. */
function progressChanged() {
  revalidatePath("/onboarding", "layout");
}

/** After a step is saved: on to the first step not done yet (an earlier step edited again leads back there). */
async function continueOnboarding(ctx: OnboardingContext): Promise<never> {
  progressChanged();
  redirect(onboardingPath(await getOnboardingStep(ctx)));
}

export async function saveProfileAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { ctx } = await onboardingContext();
  const state = await runFormAction(formData, businessProfileSchema, (input) => saveBusinessProfile(ctx, input));
  if (state.status !== "success") return state;
  return continueOnboarding(ctx);
}

export async function createFirstAlertAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { ctx } = await onboardingContext();
  const state = await runFormAction(formData, firstAlertSchema, (input) => createFirstAlert(ctx, input));
  if (state.status !== "success") return state;
  return continueOnboarding(ctx);
}

export async function widenProfileAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { ctx } = await onboardingContext();
  const state = await runFormAction(formData, widenSchema, (input) => applyWidenSuggestion(ctx, input.suggestion));
  if (state.status !== "success") return state;
  progressChanged();
  redirect(`${onboardingPath("matches")}?widened=1`);
}

export async function markMatchesViewedAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { ctx } = await onboardingContext();
  const state = await runFormAction(formData, z.object({}), () => markMatchesViewed(ctx));
  if (state.status !== "success") return state;
  return continueOnboarding(ctx);
}

export async function choosePlanAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { ctx } = await onboardingContext();
  const state = await runFormAction(formData, choosePlanSchema, async (input) => {
    const choice = await choosePlan(ctx, input.plan);
    if (choice.completed) return null;
    // A paid plan goes through Stripe Checkout; its success page brings the customer back to this step.
    if (!can(ctx.actor.role, "billing:manage"))
      throw new AppError(
        "forbidden",
        "Only owners, admins and billing members can start a paid plan. Ask one of them, or continue free.",
      );
    return startSubscriptionCheckout(ctx, choice.plan, onboardingPath("plan"));
  });
  if (state.status !== "success") return { ...state, result: undefined };
  progressChanged();
  redirect(state.result ? state.result.url : "/dashboard?welcome=1");
}

export async function completeOnboardingAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { ctx } = await onboardingContext();
  const state = await runFormAction(formData, z.object({}), () => completeOnboarding(ctx));
  if (state.status !== "success") return state;
  progressChanged();
  redirect("/dashboard?welcome=1");
}
