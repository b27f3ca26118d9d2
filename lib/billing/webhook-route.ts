import { systemActor, systemContext } from "@/lib/context";
import { isAppError, readBodyWithLimit, route } from "@/lib/http";
import { clientIpOf, FailureLimit, STRIPE_WEBHOOK_RATE_LIMIT } from "@/lib/ratelimit";
import { receiveStripeWebhook } from "./webhook";

/** Stripe's events are far below this; anything larger is refused before verification. */
const STRIPE_BODY_LIMIT = 1024 * 1024;

/** What a sender without the webhook secret gets: a wrong signature, a body that is not an event, one too large. */
const NOT_FROM_STRIPE = new Set(["invalid_payload", "payload_too_large"]);

/**
 * Deliveries Stripe did not sign, counted per address. Stripe's own are never counted, so a burst
 * of its retries is never refused; an address over the limit is refused before its body is read.
 */
const unsignedPerAddress = new FailureLimit(STRIPE_WEBHOOK_RATE_LIMIT);

/**
 * `POST /api/webhooks/stripe`: 200 `{ received, duplicate }`, 400 bad signature, 413 too large,
 * 429 once an address sent 300 unsigned deliveries in a minute (before the body is read), 500
 * failed processing. Here rather than in its route file because `next start` also answers it
 * before Next.js (instrumentation-node.ts).
 */
export const stripeWebhookRoute = route(async ({ request, requestId }) => {
  const address = `stripe-webhook:ip:${clientIpOf(request.headers)}`;
  unsignedPerAddress.refuseWhileOver(address);
  try {
    const raw = await readBodyWithLimit(request, STRIPE_BODY_LIMIT);
    // The events it caused are in the outbox, committed with it, and already handed to Inngest.
    const { received, duplicate } = await receiveStripeWebhook(systemContext(systemActor("billing"), { requestId }), {
      rawBody: raw,
      signature: request.headers.get("stripe-signature"),
    });
    return { body: { received, duplicate } };
  } catch (error) {
    if (isAppError(error) && NOT_FROM_STRIPE.has(error.code)) await unsignedPerAddress.countFailure(address);
    throw error;
  }
});
