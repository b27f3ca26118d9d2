import { sendEventsAfterCommit } from "@/inngest/send";
import { assertOperatorCan, operatorAuth } from "@/lib/auth";
import { reprocessStripeEvent } from "@/lib/billing/reconcile";
import { notFound, route } from "@/lib/http";
import { assertAdminWritable } from "@/lib/ops";

export const dynamic = "force-dynamic";

/** Re-processes a failed (or stranded) Stripe event: fetched from Stripe again, applied, audited. */
export const POST = route(
  async ({ auth, params, requestId }) => {
    assertOperatorCan(auth, "stripe_events:reprocess");
    assertAdminWritable();
    const id = String(params.id ?? "");
    if (!/^evt_[A-Za-z0-9_]{1,200}$/.test(id)) notFound("Stripe event");
    const { events, ...result } = await reprocessStripeEvent(id, { type: "operator", id: auth.viewer.user.id, email: auth.viewer.user.email }, requestId);
    await sendEventsAfterCommit(events);
    return { body: { id, ...result } };
  },
  { authenticate: operatorAuth },
);
