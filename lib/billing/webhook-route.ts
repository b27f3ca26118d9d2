import { systemActor, systemContext } from "@/lib/context";
import { readBodyWithLimit, route } from "@/lib/http";
import { clientIpOf, enforceRateLimit, STRIPE_WEBHOOK_RATE_LIMIT } from "@/lib/ratelimit";
import { receiveStripeWebhook } from "./webhook";

/** Stripe's events are far below this; anything larger is refused before verification. */
const STRIPE_BODY_LIMIT = 1024 * 1024;

/**
 * `POST /api/webhooks/stripe`: 200 `{ received, duplicate }`, 400 bad signature, 413 too large,
 * 429 rate limited per IP (before the body is read), 500 failed processing. Here rather than in
 * its route file because `next start` also answers it before Next.js (instrumentation-node.ts).
 */
export const stripeWebhookRoute = route(async ({ request, requestId }) => {
  const { headers } = await enforceRateLimit(
    `stripe-webhook:ip:${clientIpOf(request.headers)}`,
    STRIPE_WEBHOOK_RATE_LIMIT,
  );
  const raw = await readBodyWithLimit(request, STRIPE_BODY_LIMIT);
  // The events it caused are in the outbox, committed with it, and already handed to Inngest.
  const { received, duplicate } = await receiveStripeWebhook(systemContext(systemActor("billing"), { requestId }), {
    rawBody: raw,
    signature: request.headers.get("stripe-signature"),
  });
  return { body: { received, duplicate }, headers };
});
