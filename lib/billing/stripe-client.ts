import { AsyncLocalStorage } from "node:async_hooks";
import Stripe from "stripe";
import { env, type Env } from "@/lib/env";
import { AppError } from "@/lib/http";

let cached: { key: string; base: string; client: Stripe } | null = null;

/**
 * Thrown by `stripeClient()` where Stripe may not be called: inside a transaction that applies
 * a batch of webhook events, where a slow Stripe (15 s, 2 retries) would hold up every event of
 * the batch. The webhook then applies that event again on its own, where Stripe may be called.
 */
export class StripeCallNotHere extends Error {
  constructor() {
    super("Stripe is not called while a batch of events is applied: this event is applied on its own");
  }
}

const stripeCalls = new AsyncLocalStorage<"allowed" | "refused">();

/** Runs `fn` with Stripe calls refused (`StripeCallNotHere`) or allowed, whatever the caller's setting. */
export function withStripeCalls<T>(setting: "allowed" | "refused", fn: () => Promise<T>): Promise<T> {
  return stripeCalls.run(setting, fn);
}

/**
 * The Stripe SDK client. `STRIPE_API_BASE_URL` points it at another host (the tests' local
 * Stripe-compatible server); otherwise it talks to api.stripe.com. Retries are the SDK's own
 * (with its automatic idempotency keys on POST), so a brief Stripe hiccup is absorbed.
 */
export function stripeClient(e: Env = env()): Stripe {
  if (stripeCalls.getStore() === "refused") throw new StripeCallNotHere();
  const key = e.STRIPE_SECRET_KEY;
  if (!key)
    throw new AppError("conflict", "Payments are not set up on this installation (STRIPE_SECRET_KEY is missing).");
  const base = e.STRIPE_API_BASE_URL ?? "";
  if (cached && cached.key === key && cached.base === base) return cached.client;
  const target = base ? new URL(base) : null;
  const client = new Stripe(key, {
    maxNetworkRetries: 2,
    timeout: 15_000,
    appInfo: { name: "Beacon" },
    ...(target
      ? {
          host: target.hostname,
          port: target.port ? Number(target.port) : target.protocol === "https:" ? 443 : 80,
          protocol: target.protocol === "https:" ? "https" : "http",
        }
      : {}),
  });
  cached = { key, base, client };
  return client;
}

export function stripeConfigured(e: Env = env()) {
  return Boolean(e.STRIPE_SECRET_KEY);
}
