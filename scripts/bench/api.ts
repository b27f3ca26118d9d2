import { type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import autocannon, { type AutocannonResult } from "autocannon";
import { sql } from "drizzle-orm";
import { withSystem } from "@/db/tenant";
import { migrateDatabase } from "@/db/migrate";
import { seedDatabase } from "@/db/seed";
import { opportunityFeed } from "@/lib/opportunities";
import { runCommand } from "../cli-commands";
import { createBenchDatabase, ownerExecute, printTable } from "./bench-database";
import { BenchProfile, transactionCount } from "./cpu-profile";
import {
  ensureProductionBuild,
  freePort,
  startBeacon,
  startBeaconWorkers,
  startScript,
  stop,
  stopAndWait,
  waitForReady,
} from "./servers";

const TARGET_RATIO = 0.5;
// More failed answers than this and the run measured errors, not the API.
const MAX_FAILED_SHARE = 0.01;
const ENTERPRISE_REQUESTS_PER_MINUTE = 1_200;

interface Side {
  /** beacon, raw, bare, or `beacon ×N` (N workers behind one port, scripts/start.mjs). */
  name: string;
  result: AutocannonResult;
}

/**
 * The metered `GET /api/v1/opportunities` on `next start` against two `node:http` + `pg`
 * servers, one after the other on the same database, under the same load: "raw" sends Beacon's
 * own SQL (raw-api.ts; only with `q`, which it requires), "bare" does the least a correct
 * metered search must do in two statements (bare-api.ts: the physical limit). Prints req/s,
 * p50, p99, failed answers and Beacon's ratio to each; exits non-zero when a side answers errors
 * en masse.
 */
export async function runApiBenchmark(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      connections: { type: "string", default: "64" },
      duration: { type: "string", default: process.env.BENCH_API_DURATION ?? "10" },
      warmup: { type: "string", default: "2" },
      keys: { type: "string" },
      query: { type: "string", default: "q=maintenance&limit=20" },
      build: { type: "boolean", default: false },
      // CPU by area (through the build's source maps) and transactions per call, for Beacon's side.
      profile: { type: "boolean", default: false },
      // Also measure `npm start` with this many workers behind one port (needs REDIS_URL).
      workers: { type: "string", default: "1" },
      // Every request a search not seen before: `q` gets ` or` a word no notice has (the same
      // notices match), so Beacon reuses no headline (lib/opportunities/headline-cache.ts).
      "new-searches": { type: "boolean", default: false },
    },
    strict: true,
  });
  const profile = values.profile ? new BenchProfile() : null;
  const connections = Number(values.connections);
  const duration = Number(values.duration);
  const warmup = Number(values.warmup);
  const keyCount = Number(values.keys ?? connections);
  const workers = Number(values.workers);
  const newSearches = values["new-searches"];
  if (!Number.isInteger(workers) || workers < 1) throw new Error("--workers is a whole number of workers, 1 or more");
  const pathAndQuery = `/api/v1/opportunities?${values.query}`;

  ensureProductionBuild(values.build);
  const bench = await createBenchDatabase("beacon_bench_api");
  const children: ChildProcess[] = [];
  try {
    const keys = await seed(bench, keyCount);
    const limiter = process.env.REDIS_URL ? "redis (REDIS_URL)" : "in-process";
    console.error(`  seeded: enterprise org, ${keyCount} API keys, quota 1,000,000,000; rate limiter: ${limiter}`);

    const beaconPort = await freePort();
    children.push(startBeacon(beaconPort, bench.url, {}, profile?.nodeArgs()));
    const withRaw = new URLSearchParams(values.query).has("q");
    const rawPort = await freePort();
    const barePort = await freePort();
    children.push(startBaseline("bare", barePort, bench.url));
    if (withRaw) children.push(startBaseline("raw", rawPort, bench.url));
    await Promise.all([
      waitForReady(`http://127.0.0.1:${beaconPort}/api/readyz`, children[0]!),
      waitForReady(`http://127.0.0.1:${barePort}/`, children[1]!),
      withRaw ? waitForReady(`http://127.0.0.1:${rawPort}/`, children[2]!) : undefined,
    ]);

    const beaconUrl = `http://127.0.0.1:${beaconPort}${pathAndQuery}`;
    const rawUrl = `http://127.0.0.1:${rawPort}${pathAndQuery}`;
    const bareUrl = `http://127.0.0.1:${barePort}${pathAndQuery}`;
    const rows = await assertSameNotices(beaconUrl, bareUrl, keys[0]!);
    if (withRaw) await assertSameAnswer(beaconUrl, rawUrl, keys[0]!);

    const sides: Side[] = [];
    let transactions: number | null = null;
    for (const [name, url] of [
      ["beacon", beaconUrl],
      ...(withRaw ? [["raw", rawUrl] as const] : []),
      ["bare", bareUrl],
    ] as const) {
      await load(url, keys, connections, warmup, newSearches);
      console.error(`  ${name}: warmed up ${warmup} s, measuring ${duration} s…`);
      const committedBefore = profile && name === "beacon" ? await transactionCount() : 0;
      sides.push({ name, result: await load(url, keys, connections, duration, newSearches) });
      if (profile && name === "beacon") {
        transactions = (await transactionCount()) - committedBefore;
        // Node writes the profile as Beacon exits; the baselines then run without it.
        await stopAndWait(children[0]!);
      }
    }
    if (workers > 1) {
      // The same load on N workers behind one port; the single-worker server is gone by now.
      await stopAndWait(children[0]!);
      const port = await freePort();
      const cluster = startBeaconWorkers(port, bench.url, workers);
      children.push(cluster);
      await waitForReady(`http://127.0.0.1:${port}/api/readyz`, cluster);
      const url = `http://127.0.0.1:${port}${pathAndQuery}`;
      await load(url, keys, connections, warmup, newSearches);
      console.error(`  beacon ×${workers}: warmed up ${warmup} s, measuring ${duration} s…`);
      sides.push({ name: `beacon ×${workers}`, result: await load(url, keys, connections, duration, newSearches) });
      await stopAndWait(cluster);
    }
    const rps = (name: Side["name"]) => sides.find((side) => side.name === name)?.result.requests.average;
    const beaconRps = rps("beacon")!;
    const ratioTo = (name: Side["name"]) => (rps(name) ? beaconRps / rps(name)! : null);
    const ratio = ratioTo("raw");
    const bareRatio = ratioTo("bare")!;
    const charged = Number(
      (await withSystem("seed", (tx) => tx.execute<{ n: string }>(sql`select count(*)::text as n from usage_events`)))
        .rows[0]!.n,
    );

    printTable(
      `Metered GET ${pathAndQuery}${newSearches ? " (each request a new search: q + ' or <a word no notice has>')" : ""} (${rows} rows per answer), ${connections} connections, ${duration} s each after ${warmup} s warm-up`,
      ["server", "req/s", "p50 ms", "p99 ms", "2xx", "non-2xx", "errors", "beacon ÷ this"],
      sides.map(({ name, result: r }) => [
        name,
        r.requests.average.toFixed(0),
        r.latency.p50,
        r.latency.p99,
        r["2xx"],
        r.non2xx,
        r.errors + r.timeouts,
        (beaconRps / r.requests.average).toFixed(2),
      ]),
    );
    const clusterRps = workers > 1 ? rps(`beacon ×${workers}`)! : null;
    if (clusterRps !== null)
      console.log(
        `\n${workers} workers behind one port: ${clusterRps.toFixed(0)} req/s, ${(clusterRps / beaconRps).toFixed(2)}× one worker, ` +
          `${(clusterRps / rps("bare")!).toFixed(2)}× bare (the load generator, PostgreSQL and Redis share this machine's cores).`,
      );
    if (profile) {
      const beacon = sides[0]!.result;
      profile.print(`Metered GET ${pathAndQuery}`, beacon["2xx"] + beacon.non2xx, transactions);
    }
    console.log(
      `\nBeacon: ${keyCount} API keys of one enterprise org (${ENTERPRISE_REQUESTS_PER_MINUTE.toLocaleString("en-US")}/min each), one per connection, so every request ` +
        `goes through the ${limiter} rate limiter as a real client's would and none is limited. The baselines have no rate-limit step. ` +
        `All spend the one org's quota (the same row): ${charged.toLocaleString("en-US")} usage events written in all. ` +
        `Beacon is at ${bareRatio.toFixed(2)}× the physical limit (bare)` +
        (ratio === null
          ? "."
          : `; target beacon ≥ ${TARGET_RATIO}× raw (its own SQL) — ${ratio >= TARGET_RATIO ? "met" : "NOT met"}.`),
    );
    console.log(
      JSON.stringify({
        bench: "api",
        path: pathAndQuery,
        new_searches: newSearches,
        rows,
        connections,
        duration_s: duration,
        warmup_s: warmup,
        api_keys: keyCount,
        rate_limiter: process.env.REDIS_URL ? "redis" : "memory",
        ratio,
        bare_ratio: bareRatio,
        target: TARGET_RATIO,
        met: ratio === null ? null : ratio >= TARGET_RATIO,
        results: sides.map(({ name, result: r }) => ({
          server: name,
          rps: r.requests.average,
          p50_ms: r.latency.p50,
          p99_ms: r.latency.p99,
          ok: r["2xx"],
          non2xx: r.non2xx,
          errors: r.errors,
          timeouts: r.timeouts,
          status_codes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, s]) => [code, s.count])),
        })),
      }),
    );
    for (const { name, result: r } of sides) {
      const failed = r.non2xx + r.errors + r.timeouts;
      if (r["2xx"] === 0 || failed > MAX_FAILED_SHARE * (r["2xx"] + failed)) {
        throw new Error(
          `${name}: ${failed} of ${r["2xx"] + failed} requests failed (status codes ${JSON.stringify(r.statusCodeStats)}); the figures above are not a measurement of the API.`,
        );
      }
    }
    return {
      headline:
        `beacon ${beaconRps.toFixed(0)} req/s, ${bareRatio.toFixed(2)}× bare` +
        (ratio === null ? "" : `, ${ratio.toFixed(2)}× raw`) +
        (clusterRps === null ? "" : `; ${workers} workers ${clusterRps.toFixed(0)} req/s`),
    };
  } finally {
    for (const child of children) stop(child);
    await bench.drop();
  }
}

/** Through the CLI's own commands (in-process: 64 `apikey:create` process starts would take a minute). */
async function seed(bench: Awaited<ReturnType<typeof createBenchDatabase>>, keyCount: number): Promise<string[]> {
  const deps = { database: () => bench, migrateDatabase, seedDatabase };
  await runCommand("db:migrate", {}, deps);
  await runCommand("db:seed", {}, deps);
  const password = randomBytes(16).toString("hex");
  const org = (await runCommand(
    "org:create",
    { name: "Bench API customer", email: `bench-${Date.now()}@bench.test`, password, plan: "enterprise" },
    deps,
  )) as { org_id: string };
  const keys: string[] = [];
  for (let i = 0; i < keyCount; i++) {
    const created = (await runCommand("apikey:create", { org: org.org_id, name: `bench ${i + 1}` }, deps)) as {
      key: string;
    };
    keys.push(created.key);
  }
  // Far more than the bench can spend: the quota step runs on every request but never refuses.
  await runCommand("quota:set", { org: org.org_id, remaining: "1000000000" }, deps);
  await ownerExecute(sql`analyze`);
  return keys;
}

function startBaseline(baseline: "raw" | "bare", port: number, databaseUrl: string) {
  const feed = opportunityFeed();
  return startScript("baseline-server.ts", {
    BASELINE: baseline,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    // The same pool size as Beacon's (db/client.ts default).
    POOL_MAX: "10",
    // Notice status is judged at the feed's date, as Beacon judges it.
    REFERENCE_DATE: feed.referenceDate.toISOString(),
    FEED_LIVE: String(feed.live),
  });
}

/** The bare server answers the least a client needs: the same notices, in the same order. */
async function assertSameNotices(beaconUrl: string, bareUrl: string, key: string) {
  const headers = { authorization: `Bearer ${key}` };
  const [beacon, bare] = await Promise.all([fetch(beaconUrl, { headers }), fetch(bareUrl, { headers })]);
  if (beacon.status !== 200 || bare.status !== 200)
    throw new Error(
      `a first request failed: beacon ${beacon.status} ${await beacon.text()}, bare ${bare.status} ${await bare.text()}`,
    );
  const ids = async (response: Response) =>
    ((await response.json()) as { data: { notice_id: string }[] }).data.map((row) => row.notice_id);
  const [beaconIds, bareIds] = [await ids(beacon), await ids(bare)];
  if (JSON.stringify(beaconIds) !== JSON.stringify(bareIds))
    throw new Error("the bare server answers other notices than Beacon: they would not be doing the same work");
  if (beaconIds.length === 0) throw new Error("the query matches nothing: choose one with results (--query)");
  return beaconIds.length;
}

/** Like with like: both servers must answer the same rows, highlights and cursor. */
async function assertSameAnswer(beaconUrl: string, rawUrl: string, key: string) {
  const headers = { authorization: `Bearer ${key}` };
  const [beacon, raw] = await Promise.all([fetch(beaconUrl, { headers }), fetch(rawUrl, { headers })]);
  if (beacon.status !== 200 || raw.status !== 200)
    throw new Error(
      `a first request failed: beacon ${beacon.status} ${await beacon.text()}, raw ${raw.status} ${await raw.text()}`,
    );
  const [beaconBody, rawBody] = [
    (await beacon.json()) as { data: unknown[] },
    (await raw.json()) as { data: unknown[] },
  ];
  if (JSON.stringify(beaconBody) !== JSON.stringify(rawBody))
    throw new Error("the raw server's answer differs from Beacon's: they would not be doing the same work");
  if (beaconBody.data.length === 0) throw new Error("the query matches nothing: choose one with results (--query)");
  return beaconBody.data.length;
}

/** One load run; each connection is one client with its own API key. */
function load(url: string, keys: string[], connections: number, seconds: number, newSearches = false) {
  let next = 0;
  let searches = 0;
  return autocannon({
    url,
    connections,
    duration: seconds,
    timeout: 30,
    setupClient: (client) => client.setHeaders({ authorization: `Bearer ${keys[next++ % keys.length]}` }),
    ...(newSearches
      ? { requests: [{ setupRequest: (request) => ({ ...request, path: withNewWord(request.path, searches++) }) }] }
      : {}),
  });
}

/** The same search with ` or` a word no notice has: the same rows match, but as a new search. */
export function withNewWord(path: string, n: number) {
  const url = new URL(path, "http://bench.invalid");
  const q = url.searchParams.get("q");
  if (q) url.searchParams.set("q", `${q} or zqbench${n}x`);
  return `${url.pathname}${url.search}`;
}
