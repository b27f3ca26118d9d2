import { env, type Env } from "@/lib/env";
import { PLANS, type PlanId } from "./plans";

/** Stripe price id → plan, through the STRIPE_PRICE_* variables. Unknown prices map to null. */
export function planForPrice(priceId: string | null, e: Env = env()): PlanId | null {
  if (!priceId) return null;
  for (const plan of PLANS) {
    if (plan.stripePriceEnv && e[plan.stripePriceEnv] === priceId) return plan.id;
  }
  return null;
}
