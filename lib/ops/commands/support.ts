import { z } from "zod";
import { resetOperatorTotp } from "@/lib/auth";
import { reprocessStripeEvent } from "@/lib/billing";
import { operatorAuditActor } from "@/lib/context";
import { defineOperatorCommand } from "./define";

/** Re-processes a failed (or stranded) Stripe event: fetched from Stripe again and applied. */
export const reprocessStripe = defineOperatorCommand({
  name: "stripe-events.reprocess",
  permission: "stripe_events:reprocess",
  writes: true,
  audit: "ops.stripe_event.reprocessed",
  params: z.object({ id: z.string().regex(/^evt_[A-Za-z0-9_]{1,200}$/) }),
  notFound: "Stripe event",
  run: async (ctx, { id }) => {
    const { status, error } = await reprocessStripeEvent(ctx, id);
    return { id, status, error };
  },
});

/** Authenticator recovery by another ops_admin: new secret, re-enrolment at next sign-in, sessions ended. */
export const resetOperatorAuthenticator = defineOperatorCommand({
  name: "operators.reset-totp",
  permission: "operators:manage",
  writes: true,
  audit: "ops.mfa.reset",
  params: z.object({ id: z.string().uuid() }),
  notFound: "operator",
  run: async (ctx, { id }) => {
    const result = await resetOperatorTotp(id, operatorAuditActor(ctx.actor), ctx.requestId);
    return { operator_id: id, revoked_sessions: result.revokedSessions };
  },
});
