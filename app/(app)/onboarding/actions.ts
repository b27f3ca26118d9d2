"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
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
} from "@/lib/onboarding";
import { can, type OrgActor } from "@/lib/orgs";

/** The org and member acting; signed-out people go to sign-in and come back here. */
async function onboardingContext(): Promise<{ orgId: string; actor: OrgActor; email: string }> {
  const viewer = await getViewer();
  if (!viewer) redirect(`/sign-in?callbackUrl=${encodeURIComponent("/onboarding")}`);
  if (!viewer.org) redirect("/no-organization");
  return { orgId: viewer.org.id, actor: { userId: viewer.user.id, role: viewer.org.role }, email: viewer.user.email };
}

/** Every step's page shows the progress: none may come back from the browser's history as it was. */
function progressChanged() {
  revalidatePath("/onboarding", "layout");
}

/** After a step is saved: on to the first step not done yet (an earlier step edited again leads back there). */
async function continueOnboarding(orgId: string): Promise<never> {
  progressChanged();
  redirect(onboardingPath(await getOnboardingStep(orgId)));
}

export async function saveProfileAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { orgId, actor } = await onboardingContext();
  const state = await runFormAction(formData, businessProfileSchema, (input) =>
    saveBusinessProfile(orgId, actor, input),
  );
  if (state.status !== "success") return state;
  return continueOnboarding(orgId);
}

export async function createFirstAlertAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { orgId, actor } = await onboardingContext();
  const state = await runFormAction(formData, firstAlertSchema, (input) => createFirstAlert(orgId, actor, input));
  if (state.status !== "success") return state;
  return continueOnboarding(orgId);
}

export async function widenProfileAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { orgId, actor } = await onboardingContext();
  const state = await runFormAction(formData, widenSchema, (input) =>
    applyWidenSuggestion(orgId, actor, input.suggestion),
  );
  if (state.status !== "success") return state;
  progressChanged();
  redirect(`${onboardingPath("matches")}?widened=1`);
}

export async function markMatchesViewedAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { orgId, actor } = await onboardingContext();
  const state = await runFormAction(formData, z.object({}), () => markMatchesViewed(orgId, actor));
  if (state.status !== "success") return state;
  return continueOnboarding(orgId);
}

export async function choosePlanAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { orgId, actor, email } = await onboardingContext();
  const state = await runFormAction(formData, choosePlanSchema, async (input) => {
    const choice = await choosePlan(orgId, actor, input.plan);
    if (choice.completed) return null;
    // A paid plan goes through Stripe Checkout; its success page brings the customer back to this step.
    if (!can(actor.role, "billing:manage"))
      throw new AppError(
        "forbidden",
        "Only owners, admins and billing members can start a paid plan. Ask one of them, or continue free.",
      );
    return startSubscriptionCheckout(
      orgId,
      choice.plan,
      { type: "user", id: actor.userId, email },
      onboardingPath("plan"),
    );
  });
  if (state.status !== "success") return { ...state, result: undefined };
  progressChanged();
  redirect(state.result ? state.result.url : "/dashboard?welcome=1");
}

export async function completeOnboardingAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { orgId, actor } = await onboardingContext();
  const state = await runFormAction(formData, z.object({}), () => completeOnboarding(orgId, actor));
  if (state.status !== "success") return state;
  progressChanged();
  redirect("/dashboard?welcome=1");
}
