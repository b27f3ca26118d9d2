import { expect, test, type APIRequestContext } from "@playwright/test";
import Stripe from "stripe";
import { signUp, uniqueEmail } from "./helpers";

// The app talks to a local Stripe-compatible server (tests/fakes/stripe-api.ts, started by playwright.config.ts).
const stripeUrl = process.env.E2E_STRIPE_URL!;
const webhookSecret = process.env.E2E_STRIPE_WEBHOOK_SECRET!;

interface StripeEventJson {
  id: string;
  type: string;
  data: { object: { customer?: string } };
}

/** Delivers the events Stripe would now send for `customer`, signed by the Stripe SDK, like Stripe does. */
async function deliverStripeEvents(request: APIRequestContext, customer: string) {
  const pending = (await (await request.get(`${stripeUrl}/_fake/events`)).json()) as StripeEventJson[];
  const mine = pending.filter((e) => e.data.object.customer === customer);
  expect(mine.length).toBeGreaterThan(0);
  for (const event of mine) {
    const payload = JSON.stringify(event);
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret });
    const response = await request.post("/api/webhooks/stripe", {
      data: payload,
      headers: { "stripe-signature": header, "content-type": "application/json" },
    });
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual({ received: true, duplicate: false });
    await request.post(`${stripeUrl}/_fake/events/${event.id}/delivered`);
  }
  return mine.map((e) => e.type);
}

test.describe("billing", () => {
  test("upgrade through Stripe Checkout: the plan shows on return, the webhooks that follow agree, pause and resume", async ({
    page,
    request,
  }) => {
    await signUp(page, { name: "Bea Buyer", email: uniqueEmail("buyer"), organizationName: "Upgrade Works" });
    await page.goto("/settings/billing");
    await expect(page.getByText("Your first paid plan starts with a 7-day free trial.")).toBeVisible();
    await page.getByRole("button", { name: "Start Pro trial" }).click();

    // Stripe's hosted Checkout (the local stand-in).
    await expect(page).toHaveURL(new RegExp(`^${stripeUrl}/checkout/cs_test_`));
    await expect(page.getByText("7-day free trial")).toBeVisible();
    await page.getByRole("button", { name: "Subscribe" }).click();

    // Back in Beacon: synced from Stripe on the return, before any webhook.
    await expect(page).toHaveURL(/\/settings\/billing\?checkout=success/);
    await expect(page.getByText("Thank you: your purchase is active.")).toBeVisible();
    await expect(page.getByTestId("current-plan")).toHaveText("Pro");
    await expect(page.getByText("Trial", { exact: true })).toBeVisible();
    await expect(page.getByText(/of 50,000 API calls used/)).toBeVisible();

    // The webhooks arrive afterwards and change nothing.
    const events = (await (await request.get(`${stripeUrl}/_fake/events`)).json()) as StripeEventJson[];
    const checkout = events.find((e) => e.type === "checkout.session.completed");
    expect(checkout).toBeDefined();
    const delivered = await deliverStripeEvents(request, checkout!.data.object.customer!);
    expect(delivered).toEqual(expect.arrayContaining(["checkout.session.completed", "customer.subscription.created"]));
    await page.reload();
    await expect(page.getByText("Trial", { exact: true })).toBeVisible();

    // Pause: paid features stop, read access stays; resume brings them back.
    await page.getByRole("button", { name: "Pause subscription" }).click();
    await expect(page.getByText("Subscription paused.")).toBeVisible();
    await expect(page.getByText("Paused", { exact: true })).toBeVisible();
    await expect(page.getByText(/of 100 API calls used/)).toBeVisible();
    await page.getByRole("button", { name: "Resume subscription" }).click();
    await expect(page.getByText("Subscription resumed.")).toBeVisible();
    await expect(page.getByText(/of 50,000 API calls used/)).toBeVisible();

    // Card changes and cancellation live in Stripe's Customer Portal.
    await page.getByRole("button", { name: "Open billing portal" }).click();
    await expect(page).toHaveURL(new RegExp(`^${stripeUrl}/portal/`));
    await page.getByRole("link", { name: "Return to Beacon" }).click();
    await expect(page).toHaveURL(/\/settings\/billing$/);
  });

  test("the webhook alone upgrades the org when the customer never comes back from Checkout", async ({
    page,
    request,
  }) => {
    await signUp(page, { name: "Wes Webhook", email: uniqueEmail("webhook-only"), organizationName: "Closed The Tab" });
    await page.goto("/settings/billing");
    await page.getByRole("button", { name: "Start Starter trial" }).click();
    await expect(page).toHaveURL(new RegExp(`^${stripeUrl}/checkout/cs_test_`));
    const checkoutUrl = page.url();

    // The customer pays, then closes the tab: Beacon's return page is never visited.
    const paid = await request.post(checkoutUrl, { maxRedirects: 0 });
    expect(paid.status()).toBe(303);
    const sessionId = new URL(checkoutUrl).pathname.split("/").pop()!;
    const events = (await (await request.get(`${stripeUrl}/_fake/events`)).json()) as (StripeEventJson & {
      data: { object: { id?: string } };
    })[];
    const completed = events.find((e) => e.type === "checkout.session.completed" && e.data.object.id === sessionId);
    expect(completed).toBeDefined();

    await page.goto("/settings/billing");
    await expect(page.getByTestId("current-plan")).toHaveText("Free");
    await deliverStripeEvents(request, completed!.data.object.customer!);
    await page.reload();
    await expect(page.getByTestId("current-plan")).toHaveText("Starter");
    await expect(page.getByText("Trial", { exact: true })).toBeVisible();
  });

  test("a wrong or stale Stripe signature is refused with Problem+JSON and stores nothing", async ({ request }) => {
    const payload = JSON.stringify({
      id: "evt_e2e_forged",
      object: "event",
      type: "customer.subscription.updated",
      created: 1,
      data: { object: { id: "sub_forged" } },
    });
    const forged = Stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_not_the_right_one" });
    const bad = await request.post("/api/webhooks/stripe", {
      data: payload,
      headers: { "stripe-signature": forged, "content-type": "application/json" },
    });
    expect(bad.status()).toBe(400);
    expect(bad.headers()["content-type"]).toContain("application/problem+json");
    expect((await bad.json()).code).toBe("invalid_payload");
    const stale = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: webhookSecret,
      timestamp: Math.floor(Date.now() / 1000) - 3600,
    });
    const old = await request.post("/api/webhooks/stripe", {
      data: payload,
      headers: { "stripe-signature": stale, "content-type": "application/json" },
    });
    expect(old.status()).toBe(400);
  });
});
