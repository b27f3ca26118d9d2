import { afterEach, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { POST } from "@/app/api/webhooks/stripe/route";
import { db } from "@/db/client";
import { stripeEvents } from "@/db/schema";
import { describeOnOneDatabase } from "@/tests/db";
import { withTestEnv } from "@/tests/env";
import { fixture, signed, TEST_WEBHOOK_SECRET } from "@/tests/fixtures/stripe/events";
import { STRIPE_EVENT_HANDLERS, type StripeEventHandler } from "@/lib/billing/stripe-events";

withTestEnv({ STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET });
afterEach(() => vi.restoreAllMocks());

const URL = "http://localhost/api/webhooks/stripe";
let n = 0;

/** customer.updated fixture; changed: event id only. */
function customerUpdated() {
  const event = fixture("stripe-ruby-mock__customer.updated.json");
  event.id = `evt_route_${Date.now().toString(36)}_${n++}`;
  return event;
}

function post(body: BodyInit, headers: Record<string, string> = {}) {
  return POST(
    new Request(URL, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", ...headers },
      duplex: "half",
    } as RequestInit),
  );
}

describeOnOneDatabase("POST /api/webhooks/stripe", () => {
  it("answers 200 { received, duplicate } and stores the event once", async () => {
    const event = customerUpdated();
    const { payload, header } = signed(event);
    const first = await post(payload, { "stripe-signature": header });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: true, duplicate: false });
    const second = await post(payload, { "stripe-signature": header });
    expect(await second.json()).toEqual({ received: true, duplicate: true });
    expect(await db().select().from(stripeEvents).where(eq(stripeEvents.id, event.id))).toHaveLength(1);
  });

  it("answers 400 Problem+JSON for a bad signature and stores nothing", async () => {
    const event = customerUpdated();
    const { payload, header } = signed(event, "whsec_not_ours");
    const res = await post(payload, { "stripe-signature": header });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.json()).toMatchObject({ status: 400, code: "invalid_payload" });
    const missing = await post(payload);
    expect(missing.status).toBe(400);
    expect(await db().select().from(stripeEvents).where(eq(stripeEvents.id, event.id))).toHaveLength(0);
  });

  it("answers 413 over 1 MiB, whether declared or streamed", async () => {
    const big = "x".repeat(1024 * 1024 + 1);
    const declared = await post(big, { "stripe-signature": "t=1,v1=00" });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ code: "payload_too_large" });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 17; i++) controller.enqueue(new Uint8Array(64 * 1024));
        controller.close();
      },
    });
    const streamed = await post(stream, { "stripe-signature": "t=1,v1=00" });
    expect(streamed.status).toBe(413);
  });

  it("answers 500 when processing failed, and 200 on Stripe's retry", async () => {
    const handlers = STRIPE_EVENT_HANDLERS as Record<string, StripeEventHandler>;
    vi.spyOn(handlers, "customer.updated").mockRejectedValueOnce(new Error("temporary failure"));
    const event = customerUpdated();
    const { payload, header } = signed(event);
    const failed = await post(payload, { "stripe-signature": header });
    expect(failed.status).toBe(500);
    expect(failed.headers.get("content-type")).toBe("application/problem+json");
    expect(JSON.stringify(await failed.json())).not.toContain("temporary failure");
    const [row] = await db().select().from(stripeEvents).where(eq(stripeEvents.id, event.id));
    expect(row).toMatchObject({ status: "failed", lastError: "temporary failure" });
    const retried = await post(payload, { "stripe-signature": header });
    expect(retried.status).toBe(200);
    expect(await retried.json()).toEqual({ received: true, duplicate: false });
  });
});
