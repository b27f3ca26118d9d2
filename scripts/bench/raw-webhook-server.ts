/**
 * The baseline for `npm run bench -- webhook`: the least a Stripe webhook endpoint can do —
 * plain `node:http` and `pg`, the Stripe SDK's signature check (the same call and tolerance as
 * Beacon's), then one `INSERT … ON CONFLICT DO NOTHING` of the event id into a table. No rate
 * limit, no claim, no processing, no events to send.
 *
 * Run as its own process (the bench starts it): DATABASE_URL, PORT, POOL_MAX, STRIPE_WEBHOOK_SECRET.
 */
import http from "node:http";
import pg from "pg";
import Stripe from "stripe";

const BODY_LIMIT = 1024 * 1024;
const TOLERANCE_SECONDS = 300;
const secret = process.env.STRIPE_WEBHOOK_SECRET!;
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_MAX ?? 10) });
pool.on("error", () => {});

function send(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

async function readBody(req: http.IncomingMessage) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
  if (req.method === "GET") return send(res, 200, { ok: true });
  if (req.method !== "POST" || req.url !== "/api/webhooks/stripe") return send(res, 404, { error: "not_found" });
  const body = await readBody(req);
  if (!body) return send(res, 413, { error: "payload_too_large" });
  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(
      body,
      String(req.headers["stripe-signature"] ?? ""),
      secret,
      TOLERANCE_SECONDS,
    );
  } catch {
    return send(res, 400, { error: "invalid_payload" });
  }
  const inserted = await pool.query(
    `insert into bench_raw_stripe_events (id, type, created) values ($1, $2, to_timestamp($3)) on conflict (id) do nothing`,
    [event.id, event.type, event.created],
  );
  send(res, 200, { received: true, duplicate: inserted.rowCount === 0 });
}

const server = http.createServer((req, res) => {
  handle(req, res).catch(() => {
    if (!res.headersSent) send(res, 500, { error: "internal" });
    else res.destroy();
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1");
process.on("SIGTERM", () => {
  server.close();
  void pool.end().finally(() => process.exit(0));
});
