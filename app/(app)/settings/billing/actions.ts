"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { memberContext, type MemberViewer } from "@/lib/auth";
import { getViewer } from "@/lib/auth/next";
import { PLAN_IDS } from "@/lib/plans";
import {
  openCustomerPortal,
  startCreditPackCheckout,
  startSubscriptionCheckout,
  type BillingContext,
  pauseSubscription,
  resumeSubscription,
} from "@/lib/billing";
import { runFormAction, type FormState } from "@/lib/http";
import { can } from "@/lib/orgs";

/**
 * Runs a billing action for owners, admins and billing members; everyone else gets an inline
 * refusal. Signed-out callers are redirected before anything runs.
 */
async function runBillingAction<S extends z.ZodType, R>(
  formData: FormData,
  schema: S,
  fn: (ctx: BillingContext, input: z.infer<S>) => Promise<R>,
): Promise<FormState<R>> {
  const viewer = await getViewer();
  if (!viewer) redirect(`/sign-in?callbackUrl=${encodeURIComponent("/settings/billing")}`);
  if (!viewer.org) redirect("/no-organization");
  if (!can(viewer.org.role, "billing:manage"))
    return { status: "error", message: "Only owners, admins and billing members manage the subscription." };
  const ctx = memberContext(viewer as MemberViewer);
  return runFormAction(formData, schema, (input) => fn(ctx, input));
}

const planSchema = z.object({ plan: z.enum(PLAN_IDS).refine((p) => p !== "free", "Choose a paid plan.") });
const noInput = z.object({});

export async function subscribeAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runBillingAction(formData, planSchema, (ctx, { plan }) => startSubscriptionCheckout(ctx, plan));
  if (state.status !== "success" || !state.result) return { ...state, result: undefined };
  redirect(state.result.url);
}

export async function buyCreditsAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runBillingAction(formData, noInput, (ctx) => startCreditPackCheckout(ctx));
  if (state.status !== "success" || !state.result) return { ...state, result: undefined };
  redirect(state.result.url);
}

export async function openPortalAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runBillingAction(formData, noInput, (ctx) => openCustomerPortal(ctx));
  if (state.status !== "success" || !state.result) return { ...state, result: undefined };
  redirect(state.result.url);
}

export async function pauseAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runBillingAction(formData, noInput, (ctx) => pauseSubscription(ctx));
  if (state.status !== "success") return { ...state, result: undefined };
  redirect("/settings/billing?paused=1");
}

export async function resumeAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runBillingAction(formData, noInput, (ctx) => resumeSubscription(ctx));
  if (state.status !== "success") return { ...state, result: undefined };
  redirect("/settings/billing?resumed=1");
}
