import { assertOperatorCan, operatorAuth, operatorContext } from "@/lib/auth";
import { route } from "@/lib/http";
import { opsOverview } from "@/lib/ops";

export const dynamic = "force-dynamic";

/**
 * The cockpit overview as JSON (the overview page polls it): platform counts, health (alerts,
 * outbox, Stripe events by status, job failures, stale heartbeats), business metrics (MRR,
 * subscriptions, 30-day churn, onboarding funnel; definitions in lib/ops/business-metrics.ts)
 * and job outcomes per hour over the last 24 h.
 */
export const GET = route(
  async ({ auth, requestId }) => {
    assertOperatorCan(auth, "ops:read");
    return { body: await opsOverview(operatorContext(auth.viewer, { requestId })) };
  },
  { authenticate: operatorAuth },
);
