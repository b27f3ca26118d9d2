"use client";

import { useActionState, type ReactNode } from "react";
import { useFormStatus } from "react-dom";
import { choosePlanAction } from "@/app/(app)/onboarding/actions";
import { Alert, Button } from "@/components/ui";
import type { FormState } from "@/lib/http";

const IDLE: FormState = { status: "idle" };

export interface PlanChoice {
  id: string;
  free: boolean;
  /** The button's words, e.g. "Try Starter free for 14 days". */
  label: string;
  /** Why it cannot be chosen here (payments not configured), shown instead of the button. */
  unavailable?: string | null;
  /** The plan's card (name, price, limits), rendered on the server. */
  card: ReactNode;
}

function ChooseButton({ free, label }: { free: boolean; label: string }) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" variant={free ? "primary" : "secondary"} pending={pending} className="w-full">
      {label}
    </Button>
  );
}

/**
 * The plan cards' choose buttons, all sending choosePlanAction; its error shows above the cards.
 * Only the forms are client code: the cards come rendered from the server (./plan-step.tsx).
 */
export function PlanChooser({ plans, notice }: { plans: PlanChoice[]; notice: ReactNode }) {
  const [state, action] = useActionState(choosePlanAction, IDLE);
  return (
    <div className="space-y-6">
      {state.status === "error" && state.message ? <Alert tone="error">{state.message}</Alert> : null}
      {notice}
      <ul className="grid gap-4 sm:grid-cols-2">
        {plans.map((plan) => (
          <li
            key={plan.id}
            className={`flex flex-col rounded-xl bg-white p-5 shadow-sm ${plan.free ? "ring-2 ring-indigo-600" : "ring-1 ring-slate-200"}`}
          >
            {plan.card}
            {plan.unavailable ? (
              <div className="mt-4 space-y-2">
                <Button
                  type="button"
                  variant="secondary"
                  disabled
                  className="w-full"
                  aria-describedby={`unavailable-${plan.id}`}
                >
                  {plan.label}
                </Button>
                <p id={`unavailable-${plan.id}`} className="text-sm text-slate-600">
                  {plan.unavailable}
                </p>
              </div>
            ) : (
              <form action={action} className="mt-4">
                <input type="hidden" name="plan" value={plan.id} />
                <ChooseButton free={plan.free} label={plan.label} />
              </form>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
