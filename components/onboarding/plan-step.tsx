"use client";

import { useActionState, useEffect, useRef } from "react";
import { useFormStatus } from "react-dom";
import { choosePlanAction, completeOnboardingAction } from "@/app/(app)/onboarding/actions";
import { Alert, Button } from "@/components/ui";
import type { FormState } from "@/lib/http/form-state";
import { ActionButton } from "./action-button";

export interface PlanCard {
  id: "free" | "starter" | "pro" | "enterprise";
  name: string;
  tagline: string;
  price: string;
  limits: string[];
  features: string[];
}

const IDLE: FormState<{ plan: string; trialDays: number }> = { status: "idle" };

function ChooseButton({ free, label }: { free: boolean; label: string }) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" variant={free ? "primary" : "secondary"} pending={pending} className="w-full">
      {label}
    </Button>
  );
}

/**
 * Step 4. Free finishes setup. Paid plans explain the trial; Stripe Checkout is not wired yet,
 * so choosing one says so and offers to carry on with Free meanwhile (nothing is charged).
 */
export function PlanStep({ plans, currentPlan, currentPlanName, trialDays }: { plans: PlanCard[]; currentPlan: string; currentPlanName: string; trialDays: number }) {
  const [state, action] = useActionState(choosePlanAction, IDLE);
  const noticeRef = useRef<HTMLDivElement>(null);
  const requested = state.status === "success" ? plans.find((p) => p.id === state.result?.plan) : undefined;

  useEffect(() => {
    if (requested) noticeRef.current?.focus();
  }, [requested]);

  if (currentPlan !== "free") {
    return (
      <div className="space-y-4">
        <Alert tone="success" title={`You are on the ${currentPlanName} plan.`}>
          Nothing to choose here: finish setup and head to your dashboard.
        </Alert>
        <ActionButton action={completeOnboardingAction}>Finish setup</ActionButton>
      </div>
    );
  }

  return (
    <div className="space-y-6">
      {state.status === "error" && state.message ? <Alert tone="error">{state.message}</Alert> : null}
      {requested ? (
        <div ref={noticeRef} tabIndex={-1} className="space-y-3 rounded-lg focus-visible:outline-2 focus-visible:outline-indigo-600">
          <Alert tone="info" title={`${requested.name}: checkout is on its way`}>
            Paying by card through Stripe Checkout arrives with billing, shortly. Your {trialDays}-day free trial (one per organisation) starts there, and
            nothing is charged today. Meanwhile, carry on with the Free plan: your alert is already working.
          </Alert>
          <form action={action}>
            <input type="hidden" name="plan" value="free" />
            <ChooseButton free label="Continue on Free for now" />
          </form>
        </div>
      ) : null}
      <ul className="grid gap-4 sm:grid-cols-2">
        {plans.map((plan) => {
          const free = plan.id === "free";
          return (
            <li key={plan.id} className={`flex flex-col rounded-xl bg-white p-5 shadow-sm ${free ? "ring-2 ring-indigo-600" : "ring-1 ring-slate-200"}`}>
              <h2 className="text-lg font-semibold text-slate-900">{plan.name}</h2>
              <p className="text-sm text-slate-600">{plan.tagline}</p>
              <p className="mt-3 text-2xl font-semibold text-slate-900">
                {plan.price}
                <span className="text-sm font-normal text-slate-600"> / month</span>
              </p>
              {!free ? <p className="text-sm text-emerald-800">{trialDays}-day free trial</p> : null}
              <ul className="mt-3 flex-1 space-y-1 text-sm text-slate-700">
                {[...plan.limits, ...plan.features].map((line) => (
                  <li key={line} className="flex gap-2">
                    <span aria-hidden="true" className="text-indigo-600">
                      ✓
                    </span>
                    {line}
                  </li>
                ))}
              </ul>
              <form action={action} className="mt-4">
                <input type="hidden" name="plan" value={plan.id} />
                <ChooseButton free={free} label={free ? "Continue free" : `Try ${plan.name} free for ${trialDays} days`} />
              </form>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
