import type { BadgeTone } from "@/components/ui";

/** How worried an operator should be about a Stripe subscription status. */
export function subscriptionTone(status: string): BadgeTone {
  if (status === "active") return "success";
  if (status === "trialing") return "indigo";
  if (status === "past_due" || status === "unpaid" || status === "incomplete") return "danger";
  if (status === "paused") return "warning";
  return "neutral";
}
