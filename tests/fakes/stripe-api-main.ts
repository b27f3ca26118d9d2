import { startFakeStripe } from "./stripe-api";

// The fake Stripe API as its own process, for the Playwright journeys (see playwright.config.ts).
const port = Number(process.env.FAKE_STRIPE_PORT ?? 3290);
const fake = await startFakeStripe({ port });
console.log(`fake Stripe API on ${fake.url}`);
const stop = () => void fake.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
