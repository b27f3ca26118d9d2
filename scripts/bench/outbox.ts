import { parseArgs } from "node:util";
import nodemailer from "nodemailer";
import { sql } from "drizzle-orm";
import { withSystem } from "@/db/tenant";
import { renderDigestEmail, type DigestOpportunity } from "@/lib/alerts";
import { env, resetEnvCache } from "@/lib/env";
import { deliverDueOutbox, enqueueOutboxMany, OUTBOX_DELIVERY_CONCURRENCY, type EmailPayload } from "@/lib/outbox";
import { startSmtpSink } from "@/tests/support/servers";
import { createBenchDatabase, printTable } from "./bench-database";

// inngest/functions/outbox-delivery.ts runs at most this many deliveries at once.
const PRODUCTION_DELIVERERS = 2;
const ENQUEUE_BATCH = 500;

interface Side {
  sender: "beacon" | "nodemailer";
  seconds: number;
  perSecond: number;
  received: number;
  distinct: number;
}

/**
 * Outbox delivery to a real SMTP server (smtp-server, in this process): N alert-digest e-mails
 * enqueued through lib/outbox, then delivered by `deliverDueOutbox` from as many concurrent
 * deliverers as production runs (claim with a lease, send, record the outcome) — against
 * nodemailer sending the same N messages straight to another such server with the same
 * transport settings and the same number of sends in flight. Each server must receive exactly N.
 */
export async function runOutboxBenchmark(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      messages: { type: "string", default: process.env.BENCH_OUTBOX_MESSAGES ?? "2000" },
      deliverers: { type: "string", default: String(PRODUCTION_DELIVERERS) },
    },
    strict: true,
  });
  const count = Number(values.messages);
  const deliverers = Number(values.deliverers);
  const inFlight = deliverers * OUTBOX_DELIVERY_CONCURRENCY;

  const bench = await createBenchDatabase("beacon_bench_outbox");
  const beaconSink = await startSmtpSink();
  const rawSink = await startSmtpSink();
  const previousSmtp = process.env.SMTP_URL;
  try {
    process.env.SMTP_URL = beaconSink.url;
    resetEnvCache();
    const messages = Array.from({ length: count }, (_, i) => digestEmail(i));

    const enqueueStarted = performance.now();
    for (let start = 0; start < count; start += ENQUEUE_BATCH) {
      const batch = messages.slice(start, start + ENQUEUE_BATCH);
      await withSystem("seed", (tx) =>
        enqueueOutboxMany(
          tx,
          batch.map((payload, j) => ({ kind: "email", payload, dedupeKey: `bench-digest-${start + j}` })),
        ),
      );
    }
    const enqueueSeconds = (performance.now() - enqueueStarted) / 1000;
    console.error(
      `  enqueued ${count} e-mails in ${enqueueSeconds.toFixed(1)} s; delivering with ${deliverers} deliverers × ${OUTBOX_DELIVERY_CONCURRENCY} sends in flight…`,
    );

    const sides: Side[] = [];
    const beaconSeconds = await timed(() =>
      Promise.all(Array.from({ length: deliverers }, (_, d) => drain(`bench-${d + 1}`))),
    );
    sides.push(side("beacon", beaconSeconds, count, beaconSink));
    console.error(`  nodemailer: the same ${count} messages, ${inFlight} in flight…`);
    const rawSeconds = await timed(() => sendDirect(rawSink.url, messages, inFlight));
    sides.push(side("nodemailer", rawSeconds, count, rawSink));

    const outbox = (
      await withSystem("seed", (tx) =>
        tx.execute<{ delivered: string; once: string; sent: string }>(sql`
        select (select count(*) from outbox_events where status = 'delivered')::text as delivered,
               (select count(*) from outbox_events where attempts = 1)::text as once,
               (select count(*) from email_messages where sent_at is not null and transport = 'smtp')::text as sent`),
      )
    ).rows[0]!;
    const [beacon, raw] = sides as [Side, Side];
    const ratio = beacon.perSecond / raw.perSecond;
    const checks = [
      {
        name: `beacon: the SMTP server received exactly ${count} (${beacon.received}), each outbox id once (${beacon.distinct} distinct)`,
        ok: beacon.received === count && beacon.distinct === count,
      },
      {
        name: `beacon: ${count} outbox rows delivered (${outbox.delivered}) on the first attempt (${outbox.once}), ${count} e-mail records sent (${outbox.sent})`,
        ok: Number(outbox.delivered) === count && Number(outbox.once) === count && Number(outbox.sent) === count,
      },
      {
        name: `nodemailer: the SMTP server received exactly ${count} (${raw.received}), each once (${raw.distinct} distinct)`,
        ok: raw.received === count && raw.distinct === count,
      },
    ];
    printTable(
      `Outbox e-mail delivery: ${count} alert digests (≈ ${Math.round(Buffer.byteLength(messages[0]!.html ?? "") / 1024)} kB HTML each) to a local SMTP server, ${inFlight} sends in flight`,
      ["sender", "messages", "seconds", "msgs/s", "received", "beacon/raw"],
      sides.map((s) => [
        s.sender,
        count,
        s.seconds.toFixed(2),
        s.perSecond.toFixed(0),
        s.received,
        s.sender === "beacon" ? ratio.toFixed(2) : "1.00",
      ]),
    );
    console.log(
      `\nBeacon: ${deliverers} deliverers looping deliverDueOutbox (claim ≤ 100 with a lease, send ${OUTBOX_DELIVERY_CONCURRENCY} at a time, record outcomes 25 at a time); ` +
        `nodemailer: sendMail with lib/mail's transport settings, ${inFlight} at a time, nothing recorded. Enqueueing (not timed above): ${(count / enqueueSeconds).toFixed(0)} msgs/s.`,
    );
    for (const check of checks) console.log(`  ${check.ok ? "ok  " : "FAIL"} ${check.name}`);
    console.log(
      JSON.stringify({
        bench: "outbox",
        messages: count,
        deliverers,
        in_flight: inFlight,
        enqueue_s: enqueueSeconds,
        ratio,
        correct: checks.every((c) => c.ok),
        checks,
        results: sides.map((s) => ({
          sender: s.sender,
          seconds: s.seconds,
          msgs_per_s: s.perSecond,
          received: s.received,
        })),
      }),
    );
    const failed = checks.filter((c) => !c.ok);
    if (failed.length > 0)
      throw new Error(`outbox: ${failed.length} correctness check(s) failed: ${failed.map((c) => c.name).join("; ")}`);
    return {
      headline: `beacon ${beacon.perSecond.toFixed(0)} msgs/s, nodemailer ${raw.perSecond.toFixed(0)} msgs/s, ratio ${ratio.toFixed(2)}`,
    };
  } finally {
    if (previousSmtp === undefined) delete process.env.SMTP_URL;
    else process.env.SMTP_URL = previousSmtp;
    resetEnvCache();
    await Promise.all([beaconSink.close(), rawSink.close()]);
    await bench.drop();
  }
}

async function timed(work: () => Promise<unknown>) {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

function side(
  sender: Side["sender"],
  seconds: number,
  count: number,
  sink: Awaited<ReturnType<typeof startSmtpSink>>,
): Side {
  return {
    sender,
    seconds,
    perSecond: count / seconds,
    received: sink.received.length,
    distinct: sink.countsById().size,
  };
}

/** One production deliverer: runs the sweep until it claims nothing. */
async function drain(workerId: string) {
  for (;;) {
    const summary = await deliverDueOutbox({ workerId });
    if (summary.retrying > 0 || summary.dead > 0)
      throw new Error(
        `${workerId}: ${summary.retrying + summary.dead} deliveries failed: ${summary.results.find((r) => r.error)?.error}`,
      );
    if (summary.claimed === 0) return;
  }
}

/** The baseline: the same messages through nodemailer, configured like lib/mail/transport.ts. */
async function sendDirect(url: string, messages: EmailPayload[], inFlight: number) {
  const transport = nodemailer.createTransport({
    url,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  const from = env().MAIL_FROM;
  let next = 0;
  const sender = async () => {
    while (next < messages.length) {
      const i = next++;
      const m = messages[i]!;
      await transport.sendMail({
        from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        messageId: `<bench-direct-${i}@beacon.outbox>`,
      });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, sender));
  transport.close();
}

/** An alert digest as the alerts pass renders it: ten opportunities. */
function digestEmail(i: number): EmailPayload {
  const windowEnd = new Date(Date.UTC(2026, 10, 22, 6));
  const opportunities: DigestOpportunity[] = Array.from({ length: 10 }, (_, k) => ({
    noticeId: `bench${i}n${k}`,
    title: `Facilities maintenance and janitorial services, building ${k + 1} (lot ${i % 97})`,
    agency: "GENERAL SERVICES ADMINISTRATION.PUBLIC BUILDINGS SERVICE.PBS R5",
    naicsCode: "561720",
    setAsideCode: k % 2 ? "SBA" : null,
    setAsideDescription: k % 2 ? "Total Small Business Set-Aside (FAR 19.5)" : null,
    popState: "IL",
    postedAt: new Date(windowEnd.getTime() - (k + 1) * 3_600_000),
    responseDeadline: new Date(windowEnd.getTime() + 14 * 86_400_000),
    uiLink: null,
  }));
  const rendered = renderDigestEmail({
    alert: { name: `Janitorial IL ${i}`, q: "janitorial", naics: ["5617"], states: ["IL"], setAsides: [] },
    opportunities,
    total: 12,
    windowStart: new Date(windowEnd.getTime() - 86_400_000),
    windowEnd,
    baseUrl: "https://beacon.example",
  });
  return {
    kind: "alert_digest",
    to: `subscriber+${i}@bench.test`,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
  };
}
