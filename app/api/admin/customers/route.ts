import { z } from "zod";
import { assertOperatorCan, operatorAuth, operatorContext } from "@/lib/auth";
import { pageQuerySchema, parseQuery, route } from "@/lib/http";
import { CUSTOMER_SEGMENTS, searchCustomers } from "@/lib/ops";

export const dynamic = "force-dynamic";

const querySchema = pageQuerySchema.extend({
  q: z.string().max(200).default(""),
  segment: z.enum(CUSTOMER_SEGMENTS).default("all"),
});

/** Customers by org name, member e-mail or Stripe customer id, newest first, one tab at a time. */
export const GET = route(
  async ({ auth, url, requestId }) => {
    assertOperatorCan(auth, "ops:read");
    const query = parseQuery(url, querySchema);
    const { items, nextCursor } = await searchCustomers(operatorContext(auth.viewer, { requestId }), query);
    return {
      body: {
        data: items.map((r) => ({
          org_id: r.id,
          name: r.name,
          plan: r.plan,
          subscription_status: r.subscriptionStatus,
          open_ops_alerts: r.openAlerts,
          onboarding_completed_at: r.onboardingCompletedAt?.toISOString() ?? null,
          created_at: r.createdAt.toISOString(),
          ops_alerts_muted_until: r.opsAlertsMutedUntil?.toISOString() ?? null,
        })),
        next_cursor: nextCursor,
      },
    };
  },
  { authenticate: operatorAuth },
);
