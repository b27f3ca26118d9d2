import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

/**
 * A local stand-in for the part of Stripe's API Beacon calls (these machines cannot reach
 * api.stripe.com). It speaks Stripe's wire format — form-encoded requests with bracketed keys,
 * JSON objects copied from Stripe's own OpenAPI fixtures, list envelopes, error envelopes,
 * Idempotency-Key replay — and hosts minimal "Checkout" and "Customer Portal" pages so a
 * browser can complete a purchase. Every state change also produces the Event Stripe would
 * send, which tests sign with the Stripe SDK and deliver to the webhook.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const RESOURCES = path.join(import.meta.dirname, "..", "fixtures", "stripe", "resources");

function resource(name: string): Json {
  return JSON.parse(fs.readFileSync(path.join(RESOURCES, `${name}.json`), "utf8"));
}

function newId(prefix: string) {
  return `${prefix}_fake${randomBytes(10).toString("hex")}`;
}

/** Stripe's form encoding (`a[b][0][c]=v`) back into objects and arrays. */
export function parseStripeForm(body: string): Json {
  const out: Json = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const parts = rawKey.replace(/\]/g, "").split("[");
    let cursor = out;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(parts[i + 1]!);
      if (last) cursor[part] = value;
      else cursor = cursor[part] ??= nextIsIndex ? [] : {};
    });
  }
  return out;
}

export interface FakeStripeEvent {
  event: Json;
  /** False until a test says it delivered the event (drives `delivery_success=false` listings). */
  delivered: boolean;
}

export interface FakeStripeOptions {
  port?: number;
  /** Clock for `created`, periods and trials (unix seconds). */
  now?: () => number;
}

export interface FakeStripe {
  url: string;
  customers: Map<string, Json>;
  sessions: Map<string, Json>;
  subscriptions: Map<string, Json>;
  invoices: Map<string, Json>;
  /** Refunds made through POST /v1/refunds. */
  refunds: Map<string, Json>;
  events: FakeStripeEvent[];
  /** Every API request received: method, path and parsed params. */
  requests: { method: string; path: string; params: Json; idempotencyKey: string | null }[];
  /** Completes a Checkout Session as if the customer paid; returns the events Stripe would send. */
  completeCheckout(sessionId: string): Json[];
  /** Changes a subscription the way Stripe would (status, cancel_at_period_end…) and records the event. */
  updateSubscription(subscriptionId: string, patch: Json, type?: string): Json;
  /** An invoice of `customer` as Stripe holds it (finalized and paid unless `fields` say otherwise); listed by GET /v1/invoices. */
  addInvoice(customer: string, fields?: Json): Json;
  /** Makes the next `n` API requests answer 500 (Stripe outage). */
  failNext(n: number): void;
  close(): Promise<void>;
}

export async function startFakeStripe(options: FakeStripeOptions = {}): Promise<FakeStripe> {
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const customers = new Map<string, Json>();
  const sessions = new Map<string, Json>();
  const subscriptions = new Map<string, Json>();
  const invoices = new Map<string, Json>();
  /** Invoice payments (GET /v1/invoice_payments), by invoice id: how a paid invoice was paid. */
  const invoicePayments = new Map<string, Json[]>();
  const refunds = new Map<string, Json>();
  const portals = new Map<string, Json>();
  const events: FakeStripeEvent[] = [];
  const requests: FakeStripe["requests"] = [];
  const idempotent = new Map<string, { status: number; body: Json }>();
  let failures = 0;
  let base = "";

  function emit(type: string, object: Json, previous?: Json) {
    const event = resource("event");
    event.id = newId("evt");
    event.type = type;
    event.created = now();
    event.livemode = false;
    event.api_version = "2026-10-28.endive";
    event.pending_webhooks = 1;
    event.request = { id: null, idempotency_key: null };
    event.data = { object: structuredClone(object), ...(previous ? { previous_attributes: previous } : {}) };
    events.push({ event, delivered: false });
    return event;
  }

  function list(data: Json[], url: string) {
    return { object: "list", data, has_more: false, url };
  }

  /** A list page as Stripe pages it: newest first, `limit` (default 10, max 100), `starting_after`, `has_more`. */
  function listPage(data: Json[], query: URLSearchParams, url: string) {
    const limit = Math.min(Math.max(Number(query.get("limit") ?? 10), 1), 100);
    const after = query.get("starting_after");
    const start = after ? data.findIndex((o) => o.id === after) + 1 : 0;
    return { object: "list", data: data.slice(start, start + limit), has_more: start + limit < data.length, url };
  }

  function addInvoice(customer: string, fields: Json = {}) {
    const invoice = resource("invoice");
    const total = Number(fields.total ?? 2900);
    const status = fields.status ?? "paid";
    Object.assign(invoice, {
      id: newId("in"),
      customer,
      created: now(),
      number: `FAKE-${String(invoices.size + 1).padStart(4, "0")}`,
      status,
      currency: "usd",
      subtotal: total,
      total,
      amount_due: total,
      amount_paid: status === "paid" ? total : 0,
      amount_remaining: status === "paid" ? 0 : total,
      livemode: false,
      ...fields,
    });
    invoices.set(invoice.id, invoice);
    return invoice;
  }

  function missing(kind: string, id: string) {
    return {
      status: 404,
      body: {
        error: {
          type: "invalid_request_error",
          code: "resource_missing",
          message: `No such ${kind}: '${id}'`,
          param: "id",
        },
      },
    };
  }

  /** A subscription without a trial is charged at once: a paid invoice, paid by a PaymentIntent. */
  function chargeFirstInvoice(sub: Json, start: number, end: number) {
    const invoice = addInvoice(sub.customer, {
      billing_reason: "subscription_create",
      period_start: start,
      period_end: start,
      parent: {
        type: "subscription_details",
        quote_details: null,
        subscription_details: { metadata: sub.metadata, subscription: sub.id },
      },
    });
    invoice.lines = {
      object: "list",
      data: [{ id: newId("il"), object: "line_item", amount: invoice.total, currency: "usd", period: { start, end } }],
      has_more: false,
      url: `/v1/invoices/${invoice.id}/lines`,
    };
    invoicePayments.set(invoice.id, [
      {
        id: newId("inpay"),
        object: "invoice_payment",
        amount_paid: invoice.amount_paid,
        amount_requested: invoice.amount_due,
        created: start,
        currency: "usd",
        invoice: invoice.id,
        is_default: true,
        livemode: false,
        payment: { type: "payment_intent", payment_intent: newId("pi") },
        status: "paid",
        status_transitions: { canceled_at: null, paid_at: start },
      },
    ]);
    return invoice;
  }

  function createSubscription(session: Json) {
    const sub = resource("subscription");
    const t = now();
    const trialDays = Number(session.__subscription_data?.trial_period_days ?? 0);
    const periodEnd = t + (trialDays > 0 ? trialDays : 30) * 86_400;
    sub.id = newId("sub");
    sub.customer = session.customer;
    sub.created = t;
    sub.start_date = t;
    sub.billing_cycle_anchor = periodEnd;
    sub.status = trialDays > 0 ? "trialing" : "active";
    sub.trial_start = trialDays > 0 ? t : null;
    sub.trial_end = trialDays > 0 ? periodEnd : null;
    sub.cancel_at_period_end = false;
    sub.cancel_at = null;
    sub.canceled_at = null;
    sub.ended_at = null;
    sub.pause_collection = null;
    sub.latest_invoice = null;
    sub.schedule = null;
    sub.test_clock = null;
    sub.metadata = { ...(session.__subscription_data?.metadata ?? {}) };
    const item = sub.items.data[0];
    item.id = newId("si");
    item.subscription = sub.id;
    item.created = t;
    item.price.id = session.__price;
    item.plan.id = session.__price;
    item.current_period_start = t;
    item.current_period_end = periodEnd;
    sub.items = {
      object: "list",
      data: [item],
      has_more: false,
      total_count: 1,
      url: `/v1/subscription_items?subscription=${sub.id}`,
    };
    if (trialDays === 0) sub.latest_invoice = chargeFirstInvoice(sub, t, periodEnd).id;
    subscriptions.set(sub.id, sub);
    return sub;
  }

  function publicSession(session: Json) {
    const out = { ...session };
    delete out.__price;
    delete out.__subscription_data;
    return out;
  }

  function completeCheckout(sessionId: string): Json[] {
    const session = sessions.get(sessionId);
    if (!session) throw new Error(`no such session ${sessionId}`);
    if (session.status === "complete") return [];
    const sent: Json[] = [];
    session.status = "complete";
    if (session.mode === "subscription") {
      const sub = createSubscription(session);
      session.subscription = sub.id;
      session.payment_status = sub.status === "trialing" ? "no_payment_required" : "paid";
      sent.push(emit("customer.subscription.created", sub));
    } else {
      session.payment_intent = newId("pi");
      session.payment_status = "paid";
    }
    sent.unshift(emit("checkout.session.completed", publicSession(session)));
    return sent;
  }

  function updateSubscription(subscriptionId: string, patch: Json, type = "customer.subscription.updated") {
    const sub = subscriptions.get(subscriptionId);
    if (!sub) throw new Error(`no such subscription ${subscriptionId}`);
    const previous: Json = {};
    for (const key of Object.keys(patch)) previous[key] = sub[key] ?? null;
    Object.assign(sub, patch);
    emit(type, sub, previous);
    return sub;
  }

  function api(method: string, pathname: string, query: URLSearchParams, params: Json): { status: number; body: Json } {
    let m: RegExpMatchArray | null;
    if (method === "POST" && pathname === "/v1/customers") {
      const customer = resource("customer");
      Object.assign(customer, {
        id: newId("cus"),
        created: now(),
        email: params.email ?? null,
        name: params.name ?? null,
        metadata: params.metadata ?? {},
        livemode: false,
        test_clock: null,
      });
      customers.set(customer.id, customer);
      return { status: 200, body: customer };
    }
    if ((m = pathname.match(/^\/v1\/customers\/([^/]+)$/))) {
      const customer = customers.get(m[1]!);
      if (!customer) return missing("customer", m[1]!);
      if (method === "POST")
        Object.assign(customer, { ...params, metadata: { ...customer.metadata, ...(params.metadata ?? {}) } });
      return { status: 200, body: customer };
    }
    if (method === "POST" && pathname === "/v1/checkout/sessions") {
      if (!params.customer || !customers.has(params.customer)) return missing("customer", String(params.customer));
      const price = params.line_items?.[0]?.price;
      if (!price)
        return {
          status: 400,
          body: {
            error: {
              type: "invalid_request_error",
              message: "Missing required param: line_items[0][price].",
              param: "line_items",
            },
          },
        };
      const session = resource("checkout.session");
      const id = `cs_test_${randomBytes(16).toString("hex")}`;
      Object.assign(session, {
        id,
        created: now(),
        expires_at: now() + 86_400,
        livemode: false,
        mode: params.mode,
        customer: params.customer,
        client_reference_id: params.client_reference_id ?? null,
        metadata: params.metadata ?? {},
        success_url: params.success_url,
        cancel_url: params.cancel_url ?? null,
        status: "open",
        payment_status: "unpaid",
        subscription: null,
        payment_intent: null,
        invoice: null,
        url: `${base}/checkout/${id}`,
        __price: price,
        __subscription_data: params.subscription_data ?? null,
      });
      sessions.set(id, session);
      return { status: 200, body: publicSession(session) };
    }
    if (method === "GET" && pathname === "/v1/checkout/sessions") {
      const customer = query.get("customer");
      const status = query.get("status");
      const data = [...sessions.values()]
        .filter((cs) => (!customer || cs.customer === customer) && (!status || cs.status === status))
        .sort((a, b) => b.created - a.created)
        .map(publicSession);
      return { status: 200, body: listPage(data, query, "/v1/checkout/sessions") };
    }
    if (method === "POST" && (m = pathname.match(/^\/v1\/checkout\/sessions\/([^/]+)\/expire$/))) {
      const session = sessions.get(m[1]!);
      if (!session) return missing("checkout.session", m[1]!);
      if (session.status !== "open") {
        return {
          status: 400,
          body: {
            error: {
              type: "invalid_request_error",
              message: `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`,
            },
          },
        };
      }
      session.status = "expired";
      emit("checkout.session.expired", publicSession(session));
      return { status: 200, body: publicSession(session) };
    }
    if (method === "GET" && (m = pathname.match(/^\/v1\/checkout\/sessions\/([^/]+)$/))) {
      const session = sessions.get(m[1]!);
      return session ? { status: 200, body: publicSession(session) } : missing("checkout.session", m[1]!);
    }
    if (method === "POST" && pathname === "/v1/billing_portal/sessions") {
      if (!params.customer || !customers.has(params.customer)) return missing("customer", String(params.customer));
      const portal = resource("billing_portal.session");
      const id = newId("bps");
      Object.assign(portal, {
        id,
        created: now(),
        customer: params.customer,
        return_url: params.return_url ?? null,
        url: `${base}/portal/${id}`,
        livemode: false,
      });
      portals.set(id, portal);
      return { status: 200, body: portal };
    }
    if (method === "GET" && pathname === "/v1/subscriptions") {
      const customer = query.get("customer");
      const status = query.get("status") ?? "active";
      const data = [...subscriptions.values()].filter(
        (s) =>
          (!customer || s.customer === customer) &&
          (status === "all"
            ? true
            : status === "active"
              ? !["canceled", "incomplete_expired"].includes(s.status)
              : s.status === status),
      );
      return { status: 200, body: list(data, "/v1/subscriptions") };
    }
    if ((m = pathname.match(/^\/v1\/subscriptions\/([^/]+)$/))) {
      const sub = subscriptions.get(m[1]!);
      if (!sub) return missing("subscription", m[1]!);
      if (method === "GET") return { status: 200, body: sub };
      if (method === "DELETE") {
        if (["canceled", "incomplete_expired"].includes(sub.status)) {
          return {
            status: 400,
            body: {
              error: {
                type: "invalid_request_error",
                code: "resource_missing",
                message: `A canceled subscription can only update its cancellation_details and metadata.`,
              },
            },
          };
        }
        // Stripe: ends at once; with prorate=true the unused time becomes a credit on the customer's balance (not a refund).
        const t = now();
        return {
          status: 200,
          body: updateSubscription(
            sub.id,
            { status: "canceled", canceled_at: t, ended_at: t, cancel_at_period_end: false },
            "customer.subscription.deleted",
          ),
        };
      }
      const patch: Json = {};
      if ("pause_collection" in params) {
        patch.pause_collection =
          params.pause_collection === ""
            ? null
            : {
                behavior: params.pause_collection.behavior,
                resumes_at: params.pause_collection.resumes_at ? Number(params.pause_collection.resumes_at) : null,
              };
      }
      if ("cancel_at_period_end" in params) patch.cancel_at_period_end = params.cancel_at_period_end === "true";
      if ("trial_end" in params) {
        // Stripe: a Unix time in the future (or "now"); while trialing, the period ends with the trial.
        const trialEnd = params.trial_end === "now" ? now() : Number(params.trial_end);
        if (!Number.isInteger(trialEnd) || (params.trial_end !== "now" && trialEnd <= now())) {
          return {
            status: 400,
            body: {
              error: {
                type: "invalid_request_error",
                code: "parameter_invalid_integer",
                message: "Invalid timestamp: must be an integer Unix timestamp in the future.",
                param: "trial_end",
              },
            },
          };
        }
        patch.trial_end = trialEnd;
        if (sub.status === "trialing") {
          patch.billing_cycle_anchor = trialEnd;
          if (params.trial_end === "now") patch.status = "active";
          const item = sub.items.data[0];
          if (item) item.current_period_end = trialEnd;
        }
      }
      if (params.metadata) patch.metadata = { ...sub.metadata, ...params.metadata };
      return { status: 200, body: updateSubscription(sub.id, patch) };
    }
    if (method === "GET" && pathname === "/v1/invoices") {
      const customer = query.get("customer");
      const subscription = query.get("subscription");
      const status = query.get("status");
      const bound = (op: string) => (query.has(`created[${op}]`) ? Number(query.get(`created[${op}]`)) : null);
      const gte = bound("gte"),
        gt = bound("gt"),
        lte = bound("lte"),
        lt = bound("lt");
      const data = [...invoices.values()]
        .filter(
          (i) =>
            (!customer || i.customer === customer) &&
            (!subscription || i.parent?.subscription_details?.subscription === subscription) &&
            (!status || i.status === status),
        )
        .filter(
          (i) =>
            (gte === null || i.created >= gte) &&
            (gt === null || i.created > gt) &&
            (lte === null || i.created <= lte) &&
            (lt === null || i.created < lt),
        )
        .sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1));
      return { status: 200, body: listPage(data, query, "/v1/invoices") };
    }
    if (method === "GET" && pathname === "/v1/invoice_payments") {
      const invoice = query.get("invoice");
      if (!invoice)
        return {
          status: 400,
          body: {
            error: { type: "invalid_request_error", message: "Missing required param: invoice.", param: "invoice" },
          },
        };
      return { status: 200, body: listPage(invoicePayments.get(invoice) ?? [], query, "/v1/invoice_payments") };
    }
    if (method === "POST" && pathname === "/v1/refunds") {
      const paymentIntent = params.payment_intent;
      const paid = [...invoicePayments.values()].flat().find((p) => p.payment.payment_intent === paymentIntent);
      if (!paid) return missing("payment_intent", String(paymentIntent));
      const refunded = [...refunds.values()]
        .filter((r) => r.payment_intent === paymentIntent)
        .reduce((sum, r) => sum + r.amount, 0);
      const amount = params.amount === undefined ? paid.amount_paid - refunded : Number(params.amount);
      if (!Number.isInteger(amount) || amount < 1 || amount > paid.amount_paid - refunded) {
        return {
          status: 400,
          body: {
            error: {
              type: "invalid_request_error",
              code: "amount_too_large",
              message: `Refund amount (${amount}) is greater than unrefunded amount on charge (${paid.amount_paid - refunded}).`,
              param: "amount",
            },
          },
        };
      }
      const refund = {
        id: newId("re"),
        object: "refund",
        amount,
        balance_transaction: newId("txn"),
        charge: newId("ch"),
        created: now(),
        currency: paid.currency,
        destination_details: null,
        metadata: params.metadata ?? {},
        payment_intent: paymentIntent,
        reason: params.reason ?? null,
        receipt_number: null,
        source_transfer_reversal: null,
        status: "succeeded",
        transfer_reversal: null,
      };
      refunds.set(refund.id, refund);
      emit("refund.created", refund);
      return { status: 200, body: refund };
    }
    if (method === "GET" && pathname === "/v1/events") {
      const gte = Number(query.get("created[gte]") ?? 0);
      const type = query.get("type");
      const undeliveredOnly = query.get("delivery_success") === "false";
      const data = events
        .filter((e) => e.event.created >= gte && (!type || e.event.type === type) && (!undeliveredOnly || !e.delivered))
        .map((e) => e.event)
        .reverse();
      return { status: 200, body: list(data, "/v1/events") };
    }
    if (method === "GET" && (m = pathname.match(/^\/v1\/events\/([^/]+)$/))) {
      const found = events.find((e) => e.event.id === m![1]);
      return found ? { status: 200, body: found.event } : missing("event", m[1]!);
    }
    return {
      status: 404,
      body: { error: { type: "invalid_request_error", message: `Unrecognized request URL (${method}: ${pathname}).` } },
    };
  }

  function page(res: http.ServerResponse, title: string, body: string) {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`,
    );
  }

  /** The hosted pages a browser sees: Checkout (pay) and the Customer Portal. */
  function hosted(req: http.IncomingMessage, res: http.ServerResponse, pathname: string) {
    let m: RegExpMatchArray | null;
    // Control endpoints for tests in another process (Playwright): the events Stripe would send.
    if (req.method === "GET" && pathname === "/_fake/events") {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify(events.filter((e) => !e.delivered).map((e) => e.event)));
    }
    if (req.method === "POST" && (m = pathname.match(/^\/_fake\/events\/([^/]+)\/delivered$/))) {
      const found = events.find((e) => e.event.id === m![1]);
      if (found) found.delivered = true;
      return res.writeHead(found ? 204 : 404).end();
    }
    if ((m = pathname.match(/^\/checkout\/([^/]+)$/))) {
      const session = sessions.get(m[1]!);
      if (!session) return page(res, "Checkout session not found", "");
      if (req.method === "POST") {
        completeCheckout(session.id);
        res.writeHead(303, { location: String(session.success_url).replace("{CHECKOUT_SESSION_ID}", session.id) });
        return res.end();
      }
      const trial = session.__subscription_data?.trial_period_days;
      return page(
        res,
        "Test checkout",
        `<p>Price ${session.__price}${trial ? ` · ${trial}-day free trial` : ""}</p><form method="post"><button type="submit">${session.mode === "subscription" ? "Subscribe" : "Pay"}</button></form>` +
          (session.cancel_url ? `<p><a href="${session.cancel_url}">Back</a></p>` : ""),
      );
    }
    if ((m = pathname.match(/^\/portal\/([^/]+)$/))) {
      const portal = portals.get(m[1]!);
      if (!portal) return page(res, "Portal session not found", "");
      return page(
        res,
        "Test customer portal",
        `<p>Customer ${portal.customer}</p><p><a href="${portal.return_url}">Return to Beacon</a></p>`,
      );
    }
    res.writeHead(404).end();
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", base);
      if (!url.pathname.startsWith("/v1/")) return hosted(req, res, url.pathname);
      const params = parseStripeForm(Buffer.concat(chunks).toString("utf8"));
      const idempotencyKey = typeof req.headers["idempotency-key"] === "string" ? req.headers["idempotency-key"] : null;
      requests.push({ method: req.method ?? "GET", path: url.pathname, params, idempotencyKey });
      const auth = req.headers.authorization ?? "";
      let answer: { status: number; body: Json };
      if (!/^Bearer sk_(test|live)_/.test(auth)) {
        answer = {
          status: 401,
          body: { error: { type: "invalid_request_error", message: "Invalid API Key provided." } },
        };
      } else if (failures > 0) {
        failures--;
        answer = { status: 500, body: { error: { type: "api_error", message: "An unknown error occurred" } } };
      } else if (idempotencyKey && req.method === "POST" && idempotent.has(idempotencyKey)) {
        answer = idempotent.get(idempotencyKey)!;
      } else {
        answer = api(req.method ?? "GET", url.pathname, url.searchParams, params);
        if (idempotencyKey && req.method === "POST") idempotent.set(idempotencyKey, answer);
      }
      res.writeHead(answer.status, {
        "content-type": "application/json",
        "request-id": newId("req"),
        "stripe-version": "2026-10-28.endive",
      });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    customers,
    sessions,
    subscriptions,
    invoices,
    refunds,
    events,
    requests,
    addInvoice,
    completeCheckout,
    updateSubscription,
    failNext: (n) => {
      failures = n;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
