import { type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import http from "node:http";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import Stripe from "stripe";
import { withSystem } from "@/db/tenant";
import { organizations } from "@/db/schema";
import { startFakeInngestServer } from "@/tests/fakes/inngest-server";
import { orgContext, systemActor } from "@/lib/context";
import { setQuotaRemaining } from "@/lib/metering";
import { TEST_PRICES, type Json } from "@/tests/fixtures/stripe/events";
import { createBenchDatabase, ownerExecute, printTable } from "./bench-database";
import { BenchProfile, transactionCount } from "./cpu-profile";
import { startCpuCount, type CpuSpent } from "./cpu-time";
import {
  ensureProductionBuild,
  freePort,
  startBeacon,
  startBeaconWorkers,
  startScript,
  stderrTail,
  stop,
  stopAndWait,
  waitForReady,
} from "./servers";
import {
  customerEvents,
  deliveryOrder,
  EVENTS_PER_CUSTOMER,
  IN_ORDER_END_STATE,
  INNGEST_EVENTS_PER_CUSTOMER,
  seededRandom,
} from "./webhook-events";

const PATH = "/api/webhooks/stripe";
const WEBHOOK_SECRET = `whsec_bench_${randomBytes(12).toString("hex")}`;
/**
 * Customers whose lives (the same seven events and share of re-deliveries as the measured ones)
 * warm each server up first, so the measured deliveries run code the JIT has already compiled,
 * as a server that has been up for a while does. Beacon's rate rose with the warm-up, and at this
 * many customers three runs agreed within 2.5 % (README, "Benchmarks"); a warm-up of one kind of
 * event left every other handler to be compiled while it was being measured.
 */
const WARMUP_CUSTOMERS = "600";
// Each address stays under the webhook's 300/min per-IP limit for the length of a run.
const REQUESTS_PER_ADDRESS = 100;
/** Issue 17's bar: distinct events per second at 16 senders with 20% re-deliveries. */
const TARGET_EVENTS_PER_SECOND = 500;

interface SideResult {
  server: "beacon" | "raw";
  seconds: number;
  requests: number;
  /** Distinct events per second of wall time (re-deliveries take time but do not count). */
  eventsPerSecond: number;
  deliveriesPerSecond: number;
  duplicatesAnswered: number;
  failed: number;
  statusCodes: Record<string, number>;
  /** CPU seconds the server and its PostgreSQL backends spent on the measured deliveries. */
  cpu: CpuSpent | null;
}

/**
 * Stripe webhook ingestion: signed, real-shaped events (tests/fixtures/stripe) from N concurrent
 * senders with a share of re-deliveries, against Beacon's route on `next start` and against a
 * raw node:http server that only checks the signature and inserts the id (raw-webhook-server.ts).
 * Afterwards every distinct event must be stored and processed exactly once on both sides.
 */
export async function runWebhookBenchmark(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      events: { type: "string", default: process.env.BENCH_WEBHOOK_EVENTS ?? "2100" },
      concurrency: { type: "string", default: "16" },
      duplicates: { type: "string", default: "0.2" },
      // Customers' lives delivered to each server before the measured ones.
      warmup: { type: "string", default: WARMUP_CUSTOMERS },
      build: { type: "boolean", default: false },
      profile: { type: "boolean", default: false },
      // Beacon as `npm start` with this many workers behind one port (needs REDIS_URL).
      workers: { type: "string", default: "1" },
    },
    strict: true,
  });
  const workers = Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1) throw new Error("--workers is a whole number of workers, 1 or more");
  if (workers > 1 && values.profile)
    throw new Error("--profile profiles one `next start` process: use it without --workers");
  const beaconName = workers > 1 ? `beacon ×${workers}` : "beacon";
  const customers = Math.max(1, Math.round(Number(values.events) / EVENTS_PER_CUSTOMER));
  const concurrency = Number(values.concurrency);
  const duplicateShare = Number(values.duplicates);
  const warmupCustomers = Number(values.warmup);
  if (!Number.isInteger(warmupCustomers) || warmupCustomers < 0)
    throw new Error("--warmup is a whole number of customers, 0 or more");
  if (!(duplicateShare >= 0 && duplicateShare < 1))
    throw new Error("--duplicates is the share of re-deliveries among all deliveries, in [0, 1)");

  const profile = values.profile ? new BenchProfile() : null;
  ensureProductionBuild(values.build);
  const bench = await createBenchDatabase("beacon_bench_webhook");
  const inngest = await startFakeInngestServer();
  const children: ChildProcess[] = [];
  try {
    const orgIds = await seedCustomerOrgs(customers, "Bench webhook customer");
    const warmupOrgIds = await seedCustomerOrgs(warmupCustomers, "Bench warm-up customer");
    await ownerExecute(
      sql`create table bench_raw_stripe_events (id text primary key, type text not null, created timestamptz not null, received_at timestamptz not null default now())`,
    );

    const distinct = customers * EVENTS_PER_CUSTOMER;
    const duplicates = Math.round((distinct * duplicateShare) / (1 - duplicateShare));
    const order = deliveryOrder(
      orgIds.map((orgId, i) => customerEvents(orgId, i + 1)),
      duplicates,
      seededRandom(7),
    );
    const warmupDistinct = warmupCustomers * EVENTS_PER_CUSTOMER;
    const warmup = deliveryOrder(
      warmupOrgIds.map((orgId, i) => customerEvents(orgId, i + 1, "warm")),
      Math.round((warmupDistinct * duplicateShare) / (1 - duplicateShare)),
      seededRandom(11),
    );
    console.error(
      `  ${customers} customers × ${EVENTS_PER_CUSTOMER} events = ${distinct} distinct + ${duplicates} re-deliveries = ${order.length} deliveries, ${concurrency} senders`,
    );

    const beaconPort = await freePort();
    const beaconEnv = {
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      ...TEST_PRICES,
      // Beacon sends dunning events to Inngest after commit: to a local stand-in of its Event API.
      INNGEST_BASE_URL: inngest.url,
      INNGEST_EVENT_KEY: "bench-event-key",
      INNGEST_DEV: "0",
      // As behind one proxy: the sender's X-Forwarded-For entry is the client address the per-IP limit counts.
      TRUSTED_PROXY_HOPS: "1",
      RATE_LIMIT_KEY_PREFIX: `bench:rl:${randomBytes(4).toString("hex")}`,
    };
    children.push(
      workers > 1
        ? startBeaconWorkers(beaconPort, bench.url, workers, beaconEnv)
        : startBeacon(beaconPort, bench.url, beaconEnv, profile?.nodeArgs()),
    );
    const rawPort = await freePort();
    children.push(
      startScript("raw-webhook-server.ts", {
        DATABASE_URL: bench.url,
        PORT: String(rawPort),
        POOL_MAX: "10",
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      }),
    );
    await Promise.all([
      waitForReady(`http://127.0.0.1:${beaconPort}/api/readyz`, children[0]!),
      waitForReady(`http://127.0.0.1:${rawPort}/`, children[1]!),
    ]);

    const sides: SideResult[] = [];
    let transactions: number | null = null;
    for (const [server, port, child] of [
      ["beacon", beaconPort, children[0]!],
      ["raw", rawPort, children[1]!],
    ] as const) {
      const warmed = await deliver(port, warmup, concurrency, 0, warmupDistinct);
      // A server that failed its warm-up would be measured doing something else.
      if (warmed.failed > 0)
        throw new Error(
          `${server}: ${warmed.failed} warm-up deliveries failed (${JSON.stringify(warmed.statusCodes)})`,
        );
      console.error(
        `  ${server}: warmed up with ${warmup.length} deliveries of ${warmupCustomers} customers' events, measuring…`,
      );
      const committedBefore = profile && server === "beacon" ? await transactionCount() : 0;
      const cpuSpent = await startCpuCount(child.pid);
      const delivered = await deliver(port, order, concurrency, 1, distinct);
      sides.push({ server, ...delivered, cpu: await cpuSpent() });
      if (profile && server === "beacon") transactions = (await transactionCount()) - committedBefore;
    }
    const beaconStderr = stderrTail(children[0]!);
    // Node writes the profile as Beacon exits.
    if (profile) await stopAndWait(children[0]!);

    const checks = await verify(
      distinct,
      duplicates,
      customers,
      sides,
      inngest.events.filter((e) => e.id?.startsWith("stripe-evt_bench")).length,
    );
    const [beacon, raw] = sides as [SideResult, SideResult];
    const ratio = beacon.eventsPerSecond / raw.eventsPerSecond;
    // CPU per distinct event, server and database together: what the machine pays, whatever else runs on it.
    const cpuMsPerEvent = (side: SideResult) =>
      side.cpu ? ((side.cpu.server + side.cpu.database) * 1000) / distinct : null;
    const cpuRatio = cpuMsPerEvent(raw) && cpuMsPerEvent(beacon) ? cpuMsPerEvent(raw)! / cpuMsPerEvent(beacon)! : null;
    const cpuCell = (side: SideResult) =>
      side.cpu
        ? `${cpuMsPerEvent(side)!.toFixed(2)} (${((side.cpu.server * 1000) / distinct).toFixed(2)} + ${((side.cpu.database * 1000) / distinct).toFixed(2)})`
        : "n/a";
    printTable(
      `Stripe webhook ingestion: ${distinct} distinct signed events + ${duplicates} re-deliveries (${Math.round(duplicateShare * 100)}%), ${concurrency} concurrent senders`,
      [
        "server",
        "deliveries",
        "seconds",
        "distinct events/s",
        "deliveries/s",
        "answered duplicate",
        "non-2xx",
        "beacon/raw",
      ],
      sides.map((s) => [
        s.server === "beacon" ? beaconName : s.server,
        s.requests,
        s.seconds.toFixed(2),
        s.eventsPerSecond.toFixed(0),
        s.deliveriesPerSecond.toFixed(0),
        s.duplicatesAnswered,
        s.failed,
        s.server === "beacon" ? ratio.toFixed(2) : "1.00",
        cpuCell(s),
        s.server === "beacon" ? (cpuRatio?.toFixed(2) ?? "n/a") : "1.00",
      ]),
    );
    if (profile) profile.print("Stripe webhook", beacon.requests, transactions);
    const met = beacon.eventsPerSecond >= TARGET_EVENTS_PER_SECOND;
    console.log(
      `\nBeacon: signature (an unsigned delivery would count toward its address's limit), store and claim (committed), then apply (org, subscription, dunning, credits) in one transaction with the events claimed meanwhile, events to Inngest; ` +
        `raw: signature + one INSERT … ON CONFLICT DO NOTHING. Events/s counts distinct events per second of wall time (the re-deliveries take time too but do not count). ` +
        `CPU ms/event is the CPU the server's processes and their PostgreSQL backends spent during the measured deliveries, per distinct event: ` +
        `unlike events/s it hardly depends on what else the machine runs; raw/beacon CPU is the share of raw's cost in Beacon's. ` +
        `Target beacon ≥ ${TARGET_EVENTS_PER_SECOND} distinct events/s — ${met ? "met" : "NOT met"}.`,
    );
    for (const check of checks) console.log(`  ${check.ok ? "ok  " : "FAIL"} ${check.name}`);
    console.log(
      JSON.stringify({
        bench: "webhook",
        workers,
        distinct_events: distinct,
        duplicates,
        warmup_customers: warmupCustomers,
        concurrency,
        ratio,
        cpu_ratio: cpuRatio,
        target_events_per_s: TARGET_EVENTS_PER_SECOND,
        target_met: met,
        correct: checks.every((c) => c.ok),
        checks,
        results: sides.map((s) => ({
          server: s.server,
          deliveries: s.requests,
          seconds: s.seconds,
          events_per_s: s.eventsPerSecond,
          deliveries_per_s: s.deliveriesPerSecond,
          duplicates_answered: s.duplicatesAnswered,
          cpu_ms_per_event: cpuMsPerEvent(s),
          cpu_server_s: s.cpu?.server ?? null,
          cpu_database_s: s.cpu?.database ?? null,
          non2xx: s.failed,
          status_codes: s.statusCodes,
        })),
      }),
    );
    const failedChecks = checks.filter((c) => !c.ok);
    if (failedChecks.length > 0)
      throw new Error(
        `webhook: ${failedChecks.length} correctness check(s) failed: ${failedChecks.map((c) => c.name).join("; ")}${beaconStderr ? `\nBeacon's log:\n${beaconStderr}` : ""}`,
      );
    return {
      headline: `beacon ${beacon.eventsPerSecond.toFixed(0)} events/s, raw ${raw.eventsPerSecond.toFixed(0)} events/s, ratio ${ratio.toFixed(2)}`,
    };
  } finally {
    for (const child of children) stop(child);
    await inngest.close();
    await bench.drop();
  }
}

/** One org per customer, with a quota row for the credit pack to add to. */
async function seedCustomerOrgs(count: number, name: string): Promise<string[]> {
  const orgIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const [org] = await withSystem("seed", (tx) =>
      tx
        .insert(organizations)
        .values({ name: `${name} ${i + 1}` })
        .returning({ id: organizations.id }),
    );
    await setQuotaRemaining(orgContext(org!.id, systemActor("seed")), 100);
    orgIds.push(org!.id);
  }
  return orgIds;
}

/**
 * Sends every delivery once (signed just before the run, as Stripe signs each delivery) from
 * `concurrency` senders; `distinct` is how many different events they carry.
 */
async function deliver(port: number, events: Json[], concurrency: number, addressBlock: number, distinct: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const signedRequests = events.map((event, i) => {
    const payload = JSON.stringify(event);
    return {
      payload,
      signature: Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }),
      // Stripe sends from a handful of addresses (its signed deliveries count toward no per-IP limit).
      address: `10.${addressBlock}.${Math.floor(i / REQUESTS_PER_ADDRESS) >> 8}.${Math.floor(i / REQUESTS_PER_ADDRESS) & 255}`,
    };
  });
  const statusCodes: Record<string, number> = {};
  let duplicatesAnswered = 0;
  let next = 0;
  const started = performance.now();
  const sender = async () => {
    while (next < signedRequests.length) {
      const request = signedRequests[next++]!;
      const { status, body } = await post(agent, port, request);
      statusCodes[status] = (statusCodes[status] ?? 0) + 1;
      if (status === 200 && (JSON.parse(body) as { duplicate?: boolean }).duplicate) duplicatesAnswered++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, sender));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  const failed = Object.entries(statusCodes).reduce((sum, [code, count]) => sum + (code === "200" ? 0 : count), 0);
  return {
    seconds,
    requests: events.length,
    eventsPerSecond: distinct / seconds,
    deliveriesPerSecond: events.length / seconds,
    duplicatesAnswered,
    failed,
    statusCodes,
  };
}

function post(agent: http.Agent, port: number, request: { payload: string; signature: string; address: string }) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        path: PATH,
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json; charset=utf-8",
          "content-length": Buffer.byteLength(request.payload),
          "stripe-signature": request.signature,
          "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
          "x-forwarded-for": request.address,
        },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end(request.payload);
  });
}

/** Each distinct event stored once and processed once (one claim); every re-delivery answered as one. */
async function verify(
  distinct: number,
  duplicates: number,
  customers: number,
  sides: SideResult[],
  inngestEvents: number,
) {
  const one = async <T>(query: ReturnType<typeof sql>) =>
    (await withSystem("seed", (tx) => tx.execute<T & Record<string, unknown>>(query))).rows[0]!;
  const beacon = await one<{ rows: string; processed: string; once: string }>(sql`
    select count(*)::text as rows,
           count(*) filter (where status = 'processed')::text as processed,
           count(*) filter (where attempts = 1)::text as once
    from stripe_events where id like 'evt_bench%'`);
  const raw = await one<{ rows: string }>(
    sql`select count(*)::text as rows from bench_raw_stripe_events where id like 'evt_bench%'`,
  );
  const plans = await one<{ pro: string; credits_packs: string }>(sql`
    select (select count(*) from organizations where plan = 'pro' and name like 'Bench webhook customer %')::text as pro,
           (select count(*) from credit_packs where credits_revoked = 300 and stripe_checkout_session_id like 'cs_bench%')::text as credits_packs`);
  // An older event applied over a newer one, or one applied twice, leaves a customer elsewhere.
  const inOrder = await one<{ subscriptions: string; credits: string }>(sql`
    select (select count(*) from subscriptions
             where stripe_subscription_id like 'sub_bench%' and status = 'active' and plan = 'pro'
               and stripe_event_created = ${IN_ORDER_END_STATE.subscriptionEventCreated}
               and invoice_event_created = ${IN_ORDER_END_STATE.invoiceEventCreated}
               and payment_failed_at is null and failed_invoice_id is null)::text as subscriptions,
           (select count(*) from usage_quotas q join organizations o on o.id = q.org_id
             where o.name like 'Bench webhook customer %' and q.credits_remaining = ${IN_ORDER_END_STATE.creditsRemaining})::text as credits`);
  const [beaconSide, rawSide] = sides as [SideResult, SideResult];
  return [
    { name: `beacon: ${distinct} distinct events stored (${beacon.rows})`, ok: Number(beacon.rows) === distinct },
    {
      name: `beacon: all processed (${beacon.processed}) with exactly one claim each (${beacon.once})`,
      ok: Number(beacon.processed) === distinct && Number(beacon.once) === distinct,
    },
    {
      name: `beacon: ${duplicates} re-deliveries answered duplicate (${beaconSide.duplicatesAnswered}), no failures (${beaconSide.failed})`,
      ok: beaconSide.duplicatesAnswered === duplicates && beaconSide.failed === 0,
    },
    {
      name: `beacon: every customer on Pro (${plans.pro}/${customers}), every credit pack refunded 30% once (${plans.credits_packs}/${customers})`,
      ok: Number(plans.pro) === customers && Number(plans.credits_packs) === customers,
    },
    {
      name: `beacon: every subscription as its newest events left it, dunning cleared (${inOrder.subscriptions}/${customers}), credits bought once and refunded once (${inOrder.credits}/${customers})`,
      ok: Number(inOrder.subscriptions) === customers && Number(inOrder.credits) === customers,
    },
    {
      name: `beacon: ${customers * INNGEST_EVENTS_PER_CUSTOMER} dunning events sent to Inngest once each (${inngestEvents})`,
      ok: inngestEvents === customers * INNGEST_EVENTS_PER_CUSTOMER,
    },
    { name: `raw: ${distinct} distinct events stored (${raw.rows})`, ok: Number(raw.rows) === distinct },
    {
      name: `raw: ${duplicates} re-deliveries answered duplicate (${rawSide.duplicatesAnswered}), no failures (${rawSide.failed})`,
      ok: rawSide.duplicatesAnswered === duplicates && rawSide.failed === 0,
    },
  ];
}
