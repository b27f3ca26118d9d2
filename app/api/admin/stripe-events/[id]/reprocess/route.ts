import { assertOperatorCan, operatorAuth } from "@/lib/auth";
import { reprocessStripeEvent } from "@/lib/billing/reconcile";
import { notFound, route } from "@/lib/http";
import { assertAdminWritable, breakGlassTokenFrom } from "@/lib/ops";

export const dynamic = "force-dynamic";

/** Re-processes a failed (or stranded) Stripe event: fetched from Stripe again, applied, audited. */
export const POST = route(
  async ({ auth, params, request, requestId }) => {
    assertOperatorCan(auth, "stripe_events:reprocess");
    const actor = await assertAdminWritable(auth.viewer.user, breakGlassTokenFrom(request));
    const id = String(params.id ?? "");
    if (!/^evt_[A-Za-z0-9_]{1,200}$/.test(id)) notFound("Stripe event");
    const { status, error } = await reprocessStripeEvent(id, actor, requestId);
    return { body: { id, status, error } };
  },
  { authenticate: operatorAuth },
);
