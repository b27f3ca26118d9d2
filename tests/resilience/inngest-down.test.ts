// Inngest unreachable while notices are ingested through every path at once (CLI files and the
// demo feed, racing) and Stripe reports a failed payment to the app server: each batch's
// `opportunities/ingested`, and the dunning event, is written with its change and waits in the
// outbox; the instant-alerts sweep, which needs no event, mails every matching instant alert once
// through a real SMTP server; when Inngest is back each event is delivered once, and the runs
// they start send nothing twice. Real PostgreSQL, real SMTP, Inngest's Event API behind a proxy
// that refuses connections.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { alertDigests, outboxEvents } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { INSTANT_ALERTS_SWEEP_CRON, instantAlerts } from "@/inngest/functions/instant-alerts";
import { createAlert } from "@/lib/alerts";
import { makeOrg, contextOf } from "@/tests/support/factories";
import { startFakeInngestServer, type FakeInngestServer } from "@/tests/fakes/inngest-server";
import { pointInngestClient, restoreInngestClient } from "@/tests/support/inngest";
import { executeRequest } from "@/tests/support/inngest-engine";
import { BUNDLED_OPPORTUNITIES_FILE, OPPORTUNITIES_INGESTED, releaseSnapshotBatch } from "@/lib/opportunities";
import { deliverDueOutbox } from "@/lib/outbox";
import { runCommand } from "@/scripts/cli-commands";
import { withTestEnv } from "@/tests/env";
import {
  FIXTURE_PRICE,
  invoiceFailedEventFor,
  subscriptionEventFor,
  TEST_PRICES,
  TEST_WEBHOOK_SECRET,
  type Json,
} from "@/tests/fixtures/stripe/events";
import { startSmtpSink } from "@/tests/support/servers";
import { startAppServer } from "./app-server";
import { survived, withScratchDatabase } from "./harness";
import { startTcpProxy } from "./tcp-proxy";

const WORDS = 3;
const ALERTS_PER_WORD = 4;
const FILES_PER_WORD = 2;
const NOTICES_PER_FILE = 5;

let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let inngestApi: FakeInngestServer;
let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
let dir: string;
let app: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  smtp = await startSmtpSink();
  inngestApi = await startFakeInngestServer();
  proxy = await startTcpProxy(inngestApi.url);
  await pointInngestClient({ INNGEST_BASE_URL: `http://127.0.0.1:${new URL(proxy.url).port}/`, INNGEST_DEV: "1" });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "inngest-down-"));
  app = await startAppServer();
});
afterAll(async () => {
  await app?.close();
  await restoreInngestClient();
  await proxy?.close();
  await inngestApi?.close();
  await smtp?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
withTestEnv(() => ({ SMTP_URL: smtp.url, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, ...TEST_PRICES }));
const scratch = withScratchDatabase();

/** A JSON extract of notices titled with `word`, in the bundled file's shape. */
function noticesFile(word: string, index: number) {
  const template = (JSON.parse(fs.readFileSync(BUNDLED_OPPORTUNITIES_FILE, "utf8")) as Record<string, unknown>[])[0]!;
  const rows = Array.from({ length: NOTICES_PER_FILE }, (_, i) => ({
    ...template,
    NoticeId: randomUUID().replaceAll("-", ""),
    Title: `${word} services, file ${index}, lot ${i + 1}`,
  }));
  const file = path.join(dir, `${word}-${index}.json`);
  fs.writeFileSync(file, JSON.stringify(rows));
  return file;
}

/** Stripe's delivery to the app server: a freshly signed POST; answers the HTTP status. */
async function deliverToApp(event: Json): Promise<number> {
  const payload = JSON.stringify(event);
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_WEBHOOK_SECRET });
  const res = await fetch(`${app.url}/api/webhooks/stripe`, {
    method: "POST",
    body: payload,
    headers: { "content-type": "application/json", "stripe-signature": header },
  });
  await res.arrayBuffer();
  return res.status;
}

const eventRows = (name: string) =>
  db()
    .select()
    .from(outboxEvents)
    .where(and(eq(outboxEvents.kind, "event"), sql`${outboxEvents.payload}->>'name' = ${name}`));
const ingestedEvents = () =>
  db()
    .select()
    .from(outboxEvents)
    .where(and(eq(outboxEvents.kind, "event"), sql`${outboxEvents.payload}->>'name' = ${OPPORTUNITIES_INGESTED}`));

it("Inngest unreachable during ingestion → every instant alert still delivered once", async (context) => {
  const words = Array.from({ length: WORDS }, () => `sounding${randomUUID().slice(0, 8)}`);
  const alerts = [];
  for (const word of words)
    for (let i = 0; i < ALERTS_PER_WORD; i++) {
      const { orgId, owner } = await makeOrg("enterprise");
      alerts.push({
        word,
        alert: await createAlert(contextOf(orgId, owner), {
          name: `${word} ${i}`,
          frequency: "instant",
          q: word,
          delivery_email: `${word}-${i}@resilience.test`,
        }),
      });
    }
  const bystander = await (async () => {
    const { orgId, owner } = await makeOrg("enterprise");
    return createAlert(contextOf(orgId, owner), {
      name: "nothing matches",
      frequency: "instant",
      q: `nomatch${randomUUID().slice(0, 8)}`,
      delivery_email: "bystander@resilience.test",
    });
  })();

  const billed = await makeOrg("pro");
  const [subId, customer] = [`sub_${randomUUID().slice(0, 12)}`, `cus_${randomUUID().slice(0, 12)}`];
  const created = Math.floor(Date.now() / 1000) - 60;

  await proxy.set("refusing");
  const cli = (file: string) =>
    runCommand("opportunities:ingest", { file }, { database: scratch, migrateDatabase, seedDatabase });
  const failedPayment = async () => [
    await deliverToApp(
      subscriptionEventFor({ orgId: billed.orgId, subId, customer, created, status: "active", price: FIXTURE_PRICE }),
    ),
    await deliverToApp(invoiceFailedEventFor({ subId, customer, created: created + 1 })),
  ];
  // Every path at once: the ingestion lock orders them, whoever wins.
  const files = words.flatMap((word) => Array.from({ length: FILES_PER_WORD }, (_, i) => noticesFile(word, i)));
  const [webhooks, snapshot, ...imports] = await Promise.all([
    failedPayment(),
    releaseSnapshotBatch(),
    ...files.map(cli),
  ]);
  expect(webhooks).toEqual([200, 200]);
  expect(imports.every((r) => r.inserted === NOTICES_PER_FILE)).toBe(true);
  expect(snapshot?.inserted).toBeGreaterThan(0);
  const [dunning] = await eventRows("billing/invoice.payment_failed");
  expect(dunning).toMatchObject({ status: "pending", attempts: 1 });

  const waiting = await ingestedEvents();
  expect(waiting).toHaveLength(files.length + 1);
  expect(waiting.every((e) => e.status === "pending" && e.attempts === 1 && e.lastError)).toBe(true);
  expect(inngestApi.events).toHaveLength(0);
  survived(
    context,
    `${waiting.length} ingestion events and a webhook's dunning event written with their changes, none lost while Inngest refused them`,
  );

  // No event arrives; the sweep alone delivers every alert's notices, over real SMTP.
  const swept = await executeRequest(
    instantAlerts,
    { name: "inngest/scheduled.timer", data: { cron: INSTANT_ALERTS_SWEEP_CRON }, id: `cron-${randomUUID()}` },
    { runId: `run-${randomUUID()}` },
  );
  expect(swept.error).toBeUndefined();
  expect(swept.result).toMatchObject({ alerts: alerts.length, digests: alerts.length, emails: alerts.length });
  for (const { alert } of alerts) {
    const digests = await db().select().from(alertDigests).where(eq(alertDigests.alertId, alert.id));
    expect(digests.map((d) => d.matchCount)).toEqual([FILES_PER_WORD * NOTICES_PER_FILE]);
  }

  // Inngest is back. The refusals opened the `inngest` circuit: the first sweep sends one probe,
  // whose success closes it, and the next sweep delivers the rest. Inngest then runs instant
  // alerts for each event.
  await proxy.set("up");
  const later = new Date(Date.now() + 2 * 3_600_000);
  const probe = await deliverDueOutbox({ now: later, limit: 1_000 });
  expect(probe.delivered).toBe(1);
  const rest = await deliverDueOutbox({ now: new Date(later.getTime() + 60_000), limit: 1_000 });
  expect(rest.delivered).toBe(waiting.length);
  expect(inngestApi.events.filter((e) => e.id === (dunning!.payload as { id: string }).id)).toHaveLength(1);
  expect((await ingestedEvents()).map((e) => e.status)).toEqual(waiting.map(() => "delivered"));
  const delivered = inngestApi.events.filter((e) => e.name === OPPORTUNITIES_INGESTED);
  expect(new Set(delivered.map((e) => e.id)).size).toBe(waiting.length);
  expect(delivered).toHaveLength(waiting.length);
  for (const event of delivered) {
    const run = await executeRequest(
      instantAlerts,
      { name: event.name, id: event.id!, data: event.data ?? {} },
      { runId: `run-${randomUUID()}` },
    );
    expect(run.error).toBeUndefined();
    expect(run.result).toMatchObject({ digests: 0, emails: 0 });
  }
  survived(context, `${delivered.length} events delivered once when Inngest came back; their runs sent nothing twice`);

  // Exactly one e-mail per matching alert reached the SMTP server; none for the bystander.
  const byRecipient = new Map<string, number>();
  for (const message of smtp.received) for (const to of message.to) byRecipient.set(to, (byRecipient.get(to) ?? 0) + 1);
  for (const { alert } of alerts) expect(byRecipient.get(alert.deliveryEmail), alert.deliveryEmail).toBe(1);
  expect(byRecipient.has(bystander.deliveryEmail)).toBe(false);
  expect([...smtp.countsById().values()].every((n) => n === 1)).toBe(true);
  survived(context, `${alerts.length} instant alerts each e-mailed once over SMTP, every notice included`);
});
