import Stripe from "stripe";
import { env, type Env } from "@/lib/env";
import { AppError } from "@/lib/http";

let cached: { key: string; base: string; client: Stripe } | null = null;

/**
 * The Stripe SDK client. `STRIPE_API_BASE_URL` points it at another host (the tests' local
 * Stripe-compatible server); otherwise it talks to api.stripe.com. Retries are the SDK's own
 * (with its automatic idempotency keys on POST), so a brief Stripe hiccup is absorbed.
 */
export function stripeClient(e: Env = env()): Stripe {
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
