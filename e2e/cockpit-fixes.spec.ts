import http from "node:http";
import { expect, test, type APIRequestContext } from "@playwright/test";
import Stripe from "stripe";
import { signInOperator, uniqueEmail } from "./helpers";
import { cronTrigger, runInngestFunction } from "./inngest";

// The app talks to a local Stripe-compatible server (tests/fakes/stripe-api.ts, started by playwright.config.ts).
const stripeUrl = new URL(process.env.E2E_STRIPE_URL!);
const webhookSecret = process.env.E2E_STRIPE_WEBHOOK_SECRET!;
// The Stripe SDK pointed at that server, as the e2e stand-in for whoever acts on Stripe's side.
const stripe = new Stripe("sk_test_e2e_cockpit", {
  host: stripeUrl.hostname,
  port: Number(stripeUrl.port),
  protocol: "http",
  maxNetworkRetries: 0,
});

interface StripeEventJson {
  id: string;
  type: string;
  data: { object: Record<string, unknown> };
}

async function deliver(request: APIRequestContext, event: unknown) {
  const payload = JSON.stringify(event);
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret });
  return request.post("/api/webhooks/stripe", {
    data: payload,
    headers: { "stripe-signature": header, "content-type": "application/json" },
  });
}

/**
 * A Stripe event whose processing fails. Beacon's handlers are order-tolerant by design: an event
 * about a customer or org Beacon does not know yet is stored and acknowledged, and links up later,
 * so no ordering of well-formed events makes one fail and then succeed. What does fail is a signed
 * delivery whose object the handler cannot apply — here a subscription event whose object lost
 * its id on the way (a relay rewriting bodies, a webhook endpoint rendering a broken shape).
 * Stripe's own copy of the event, which the cockpit's re-process fetches by design, is intact:
 * that is the recovery path this journey exercises.
 *
 * A customer subscribes through the fake Stripe's API and hosted Checkout; the checkout event is
 * delivered intact, the subscription event damaged. Returns the failed event's id.
 */
async function failOneStripeEvent(request: APIRequestContext): Promise<string> {
  const customer = await stripe.customers.create({ email: uniqueEmail("cockpit-stripe"), name: "Damaged Delivery Co" });
  const session = await stripe.checkout.sessions.create({
    mode: "subscription",
    customer: customer.id,
    line_items: [{ price: "price_e2e_starter", quantity: 1 }],
    success_url: `${stripeUrl.origin}/done`,
  });
  const paid = await request.post(session.url!, { maxRedirects: 0 });
  expect(paid.status()).toBe(303);
  const pending = (await (await request.get(`${stripeUrl.origin}/_fake/events`)).json()) as StripeEventJson[];
  const mine = pending.filter((e) => e.data.object.customer === customer.id);
  const checkout = mine.find((e) => e.type === "checkout.session.completed")!;
  const created = mine.find((e) => e.type === "customer.subscription.created")!;
  expect(checkout).toBeDefined();
  expect(created).toBeDefined();

  const ok = await deliver(request, checkout);
  expect(ok.status()).toBe(200);
  await request.post(`${stripeUrl.origin}/_fake/events/${checkout.id}/delivered`);

  const damaged = structuredClone(created);
  delete damaged.data.object.id;
  const failed = await deliver(request, damaged);
  // 500 to Stripe: it will retry; the event is stored as failed with the error.
  expect(failed.status()).toBe(500);
  expect(failed.headers()["content-type"]).toContain("application/problem+json");
  return created.id;
}

test("an operator re-processes a failed Stripe event: Beacon fetches Stripe's copy and applies it", async ({
  page,
  request,
}) => {
  const eventId = await failOneStripeEvent(request);

  await signInOperator(page);
  await page.goto("/admin/ops/stripe-events?status=failed");
  await expect(page.getByRole("heading", { name: "Stripe events", exact: true })).toBeVisible();
  const row = page.getByTestId("stripe-event-row").filter({ hasText: eventId });
  await expect(row).toContainText("customer.subscription.created");
  await expect(row).toContainText("failed");
  await expect(row).toContainText("subscription event without a subscription id");

  await row.getByRole("button", { name: "Re-process" }).click();
  // Processed now, so it leaves the failed tab.
  await expect(row).toHaveCount(0);

  await page.goto(`/admin/ops/stripe-events?id=${eventId}`);
  const done = page.getByTestId("stripe-event-row").filter({ hasText: eventId });
  await expect(done).toContainText("processed");
  await expect(done).not.toContainText("subscription event without a subscription id");
  await expect(done.getByRole("button", { name: "Re-process" })).toHaveCount(0);

  await page.goto(`/admin/ops/audit?q=${eventId}`);
  await expect(page.getByText("ops.stripe_event.reprocessed").first()).toBeVisible();
});

/**
 * Stands in for the ops team's chat webhook (OPS_ALERT_WEBHOOK_URL in playwright.config.ts points
 * here): answers 500 until told to accept, and records what it was sent.
 */
function startOpsWebhookReceiver(port: number) {
  const state = { accepting: false, rejected: [] as string[], accepted: [] as { outboxId: string; text: string }[] };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = String((JSON.parse(Buffer.concat(chunks).toString("utf8")) as { text?: unknown }).text ?? "");
      if (!state.accepting) {
        state.rejected.push(text);
        return res.writeHead(500).end("receiver down");
      }
      state.accepted.push({ outboxId: String(req.headers["beacon-event-id"] ?? ""), text });
      res.writeHead(200).end("ok");
    });
  });
  const listening = new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { state, listening, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test.describe("dead letters", () => {
  let receiver: ReturnType<typeof startOpsWebhookReceiver>;
  test.beforeAll(async () => {
    receiver = startOpsWebhookReceiver(Number(process.env.E2E_OPS_WEBHOOK_PORT));
    await receiver.listening;
  });
  test.afterAll(async () => receiver.close());

  test("an operator replays a dead letter: the ops alert that could not be delivered reaches the webhook once", async ({
    page,
    request,
  }) => {
    // A failed Stripe event in the last hour: the detector's webhook_failure_rate condition (the
    // few other events of the run are processed, well under 95%).
    await failOneStripeEvent(request);

    // The scheduled detector runs as Inngest would run it; it opens the alert and sends the
    // notification right after its commit. The receiver is down, and with one attempt allowed in
    // e2e (OUTBOX_MAX_ATTEMPTS=1) the message is dead at once.
    const run = await runInngestFunction(request, "ops-alerts", cronTrigger("*/15 * * * *"));
    expect((run.output as { notified: number }).notified).toBeGreaterThan(0);
    expect(receiver.state.rejected.filter((t) => t.includes("webhook_failure_rate"))).toHaveLength(1);

    await signInOperator(page);
    // Recorded like any scheduled run.
    const runs = await page.request.get("/api/admin/job-runs?function=ops-alerts&limit=200");
    expect((await runs.json()).data).toContainEqual(
      expect.objectContaining({ run_id: run.runId, status: "succeeded", trigger: "cron" }),
    );

    await page.goto("/admin/ops/dead-letters?kind=webhook&q=webhook_failure_rate");
    await expect(page.getByRole("heading", { name: "Dead letters", exact: true })).toBeVisible();
    const row = page.getByTestId("dead-letter-row");
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("webhook answered HTTP 500");
    await expect(row).toContainText("1 attempts");

    // The receiver is back; the operator replays.
    receiver.state.accepting = true;
    await row.getByRole("button", { name: "Replay" }).click();
    await expect(row).toHaveCount(0);
    await expect(page.getByText("No dead letters")).toBeVisible();

    const delivered = receiver.state.accepted.filter((a) => a.text.includes("webhook_failure_rate"));
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.text).toMatch(
      /^\[critical\] webhook_failure_rate: \d+ of \d+ Stripe events failed processing in the last hour/,
    );
    const outboxId = delivered[0]!.outboxId;
    const stored = await page.request.get(`/api/admin/dead-letters/${outboxId}`);
    expect(stored.status()).toBe(200);
    expect(await stored.json()).toMatchObject({ id: outboxId, status: "delivered", attempts: 1, last_error: null });

    await page.goto(`/admin/ops/audit?q=${outboxId}`);
    await expect(page.getByText("outbox.replay").first()).toBeVisible();
  });
});
