"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { getViewer } from "@/lib/auth/next";
import { PLAN_IDS } from "@/lib/plans";
import {
  openCustomerPortal,
  startCreditPackCheckout,
  startSubscriptionCheckout,
  type BillingActor,
  pauseSubscription,
  resumeSubscription,
} from "@/lib/billing";
import { runFormAction, type FormState } from "@/lib/http";
import { can } from "@/lib/orgs";

type BillingContext = { orgId: string; actor: BillingActor };

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
  const ctx: BillingContext = {
    orgId: viewer.org.id,
    actor: { type: "user", id: viewer.user.id, email: viewer.user.email },
  };
  return runFormAction(formData, schema, (input) => fn(ctx, input));
}

const planSchema = z.object({ plan: z.enum(PLAN_IDS).refine((p) => p !== "free", "Choose a paid plan.") });
const noInput = z.object({});

export async function subscribeAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runBillingAction(formData, planSchema, ({ orgId, actor }, { plan }) =>
    startSubscriptionCheckout(orgId, plan, actor),
  );
  if (state.status !== "success" || !state.result) return { ...state, result: undefined };
  redirect(state.result.url);
}

export async function buyCreditsAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runBillingAction(formData, noInput, ({ orgId, actor }) => startCreditPackCheckout(orgId, actor));
  if (state.status !== "success" || !state.result) return { ...state, result: undefined };
  redirect(state.result.url);
}

export async function openPortalAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runBillingAction(formData, noInput, ({ orgId }) => openCustomerPortal(orgId));
  if (state.status !== "success" || !state.result) return { ...state, result: undefined };
  redirect(state.result.url);
}

export async function pauseAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runBillingAction(formData, noInput, ({ orgId, actor }) => pauseSubscription(orgId, actor));
  if (state.status !== "success") return { ...state, result: undefined };
  redirect("/settings/billing?paused=1");
}

export async function resumeAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runBillingAction(formData, noInput, ({ orgId, actor }) => resumeSubscription(orgId, actor));
  if (state.status !== "success") return { ...state, result: undefined };
  redirect("/settings/billing?resumed=1");
}
