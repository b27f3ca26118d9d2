import { completeOnboardingAction } from "@/app/(app)/onboarding/actions";
import { Alert } from "@/components/ui";
import { ActionButton } from "@/components/forms/action-button";
import { PlanChooser } from "./plan-chooser";

// A server component: the cards render here, only the choose forms are client code (./plan-chooser.tsx).

export interface PlanCard {
  id: "free" | "starter" | "pro" | "enterprise";
  name: string;
  tagline: string;
  price: string;
  features: string[];
  /** Why this paid plan cannot be bought on this installation (Stripe not configured), or null. */
  blocker: string | null;
}

/**
 * Step 4. Free finishes setup. A paid plan goes to Stripe Checkout (with the one trial per
 * organisation when it is still available); its success page brings the customer back here.
 */
export function PlanStep({
  plans,
  currentPlan,
  currentPlanName,
  trialDays,
  checkoutCanceled,
}: {
  plans: PlanCard[];
  currentPlan: string;
  currentPlanName: string;
  /** Null when the org already used its trial. */
  trialDays: number | null;
  checkoutCanceled: boolean;
}) {
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
    <PlanChooser
      notice={
        checkoutCanceled ? (
          <Alert tone="info" title="Checkout was canceled">
            Nothing was charged. Pick a plan again, or continue free: your alert is already working.
          </Alert>
        ) : null
      }
      plans={plans.map((plan) => {
        const free = plan.id === "free";
        return {
          id: plan.id,
          free,
          label: free
            ? "Continue free"
            : trialDays
              ? `Try ${plan.name} free for ${trialDays} days`
              : `Subscribe to ${plan.name}`,
          unavailable: plan.blocker,
          card: (
            <>
              <h2 className="text-lg font-semibold text-slate-900">{plan.name}</h2>
              <p className="text-sm text-slate-600">{plan.tagline}</p>
              <p className="mt-3 text-2xl font-semibold text-slate-900">
                {plan.price}
                <span className="text-sm font-normal text-slate-600"> / month</span>
              </p>
              {!free && trialDays ? <p className="text-sm text-emerald-800">{trialDays}-day free trial</p> : null}
              <ul className="mt-3 flex-1 space-y-1 text-sm text-slate-700">
                {plan.features.map((line) => (
                  <li key={line} className="flex gap-2">
                    <span aria-hidden="true" className="text-indigo-600">
                      ✓
                    </span>
                    {line}
                  </li>
                ))}
              </ul>
            </>
          ),
        };
      })}
    />
  );
}
