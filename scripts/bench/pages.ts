import { type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import { generate } from "otplib";
import { chromium, type Browser, type BrowserContext } from "@playwright/test";
import { migrateDatabase } from "@/db/migrate";
import { seedDatabase } from "@/db/seed";
import { runCommand } from "../cli-commands";
import { createBenchDatabase, printTable } from "./bench-database";
import { FIRST_LOAD_JS_BUDGET_KB, firstLoadJs } from "./first-load-js";
import { ensureProductionBuild, freePort, ROOT, startBeacon, stop, waitForReady } from "./servers";
import { chromiumPath } from "@/tests/support/chromium";

const BUDGET_KB = FIRST_LOAD_JS_BUDGET_KB;
const KEY_ROUTES = ["/onboarding/profile", "/admin/ops"] as const;
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

interface LcpResult {
  route: string;
  beaconMs: number;
  staticMs: number;
  beaconSamples: number[];
  staticSamples: number[];
  documentBytes: number;
  staticBytes: number;
}

/**
 * Page weight and speed from the production build: first-load JS (gzip) of every App Router page
 * against the 150 kB budget — the run fails when /onboarding/profile or /admin/ops (or any page) is over —
 * and the Largest Contentful Paint of /onboarding/profile (a customer mid-onboarding) and /admin/ops (an
 * operator past TOTP) on `next start`, in Chromium with an empty cache per load, against the same
 * document (external scripts removed, inline ones inert; same CSS and fonts) served as a static file by node:http.
 */
export async function runPagesBenchmark(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      budget: { type: "string", default: String(BUDGET_KB) },
      samples: { type: "string", default: process.env.BENCH_PAGES_SAMPLES ?? "5" },
      "sizes-only": { type: "boolean", default: false },
      build: { type: "boolean", default: false },
    },
    strict: true,
  });
  const budgetBytes = Number(values.budget) * 1000;
  const samples = Number(values.samples);

  ensureProductionBuild(values.build);
  const routes = firstLoadJs(path.join(ROOT, ".next"));
  const missing = KEY_ROUTES.filter((r) => !routes.some((x) => x.route === r));
  if (missing.length > 0) throw new Error(`the build has no page for ${missing.join(", ")}`);
  printTable(
    `First-load JS per page (gzip, zlib level 9), budget ${values.budget} kB`,
    ["route", "files", "raw kB", "gzip kB", "budget"],
    routes.map((r) => [
      r.route,
      r.files.length,
      kb(r.bytes),
      kb(r.gzipBytes),
      r.gzipBytes <= budgetBytes ? "ok" : "OVER",
    ]),
  );
  const over = routes.filter((r) => r.gzipBytes > budgetBytes);

  const lcp = values["sizes-only"] ? [] : await measureLcp(samples);
  if (lcp.length > 0) {
    printTable(
      `Largest Contentful Paint, median of ${samples} cold loads (empty cache) in Chromium; static = the same document, scripts inert, from node:http`,
      ["route", "beacon ms", "static ms", "beacon/static", "document kB", "static kB"],
      lcp.map((l) => [
        l.route,
        l.beaconMs.toFixed(0),
        l.staticMs.toFixed(0),
        (l.beaconMs / l.staticMs).toFixed(2),
        kb(l.documentBytes),
        kb(l.staticBytes),
      ]),
    );
  }
  const key = (route: string) => routes.find((r) => r.route === route)!;
  console.log(
    JSON.stringify({
      bench: "pages",
      budget_kb: Number(values.budget),
      within_budget: over.length === 0,
      routes: routes.map((r) => ({
        route: r.route,
        files: r.files.length,
        bytes: r.bytes,
        gzip_bytes: r.gzipBytes,
        over_budget: r.gzipBytes > budgetBytes,
      })),
      lcp: lcp.map((l) => ({
        route: l.route,
        beacon_ms: l.beaconMs,
        static_ms: l.staticMs,
        ratio: l.beaconMs / l.staticMs,
        beacon_samples: l.beaconSamples,
        static_samples: l.staticSamples,
      })),
    }),
  );
  if (over.length > 0)
    throw new Error(
      `pages: over the ${values.budget} kB first-load JS budget: ${over.map((r) => `${r.route} ${kb(r.gzipBytes)} kB`).join(", ")}`,
    );
  return {
    headline:
      KEY_ROUTES.map((r) => `${r} ${kb(key(r).gzipBytes)} kB gzip`).join(", ") +
      ` (all ${routes.length} pages ≤ ${values.budget} kB)` +
      lcp
        .map((l) => `; LCP ${l.route} ${l.beaconMs.toFixed(0)} ms (${(l.beaconMs / l.staticMs).toFixed(2)}× static)`)
        .join(""),
  };
}

const kb = (bytes: number) => (bytes / 1000).toFixed(1);

async function measureLcp(samples: number): Promise<LcpResult[]> {
  const bench = await createBenchDatabase("beacon_bench_pages");
  const children: ChildProcess[] = [];
  let browser: Browser | undefined;
  let staticServer: http.Server | undefined;
  try {
    const deps = { database: () => bench, migrateDatabase, seedDatabase };
    await runCommand("db:seed", {}, deps);
    const password = randomBytes(12).toString("hex");
    const customerEmail = `bench-pages-${Date.now()}@bench.test`;
    await runCommand("org:create", { name: "Bench Pages Co", email: customerEmail, password }, deps);
    const operatorEmail = `bench-ops-${Date.now()}@bench.test`;
    const operator = (await runCommand(
      "operator:create",
      { email: operatorEmail, password, role: "ops_admin" },
      deps,
    )) as { totp_secret: string };

    const port = await freePort();
    children.push(startBeacon(port, bench.url));
    const origin = `http://127.0.0.1:${port}`;
    await waitForReady(`${origin}/api/readyz`, children[0]!);

    browser = await chromium.launch({
      executablePath: chromiumPath(),
      args: CHROMIUM_ARGS,
    });
    const customer = await signedIn(browser, origin, customerEmail, password);
    const ops = await signedIn(browser, origin, operatorEmail, password, operator.totp_secret);

    const documents = new Map<string, string>();
    const staticPort = await freePort();
    staticServer = await serveStatic(staticPort, documents);
    const results: LcpResult[] = [];
    for (const [route, state] of [
      ["/onboarding/profile", customer],
      ["/admin/ops", ops],
    ] as const) {
      // Warm the server (first render compiles nothing in production, but fills its caches), not the browser.
      await (await coldLoad(browser, state, `${origin}${route}`)).close();
      const beaconSamples: number[] = [];
      let documentBytes = 0;
      for (let i = 0; i < samples; i++) {
        const { lcp, html, bytes } = await lcpOf(browser, state, `${origin}${route}`, route);
        beaconSamples.push(lcp);
        documentBytes = bytes;
        if (i === 0) documents.set(route, withoutScripts(html));
      }
      const staticSamples: number[] = [];
      for (let i = 0; i < samples; i++)
        staticSamples.push((await lcpOf(browser, undefined, `http://127.0.0.1:${staticPort}${route}`, route)).lcp);
      results.push({
        route,
        beaconMs: median(beaconSamples),
        staticMs: median(staticSamples),
        beaconSamples,
        staticSamples,
        documentBytes,
        staticBytes: Buffer.byteLength(documents.get(route)!),
      });
    }
    return results;
  } finally {
    await browser?.close();
    staticServer?.close();
    for (const child of children) stop(child);
    await bench.drop();
  }
}

type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>;

/** Signs in through the real forms (and the TOTP step for an operator); answers the session's cookies. */
async function signedIn(
  browser: Browser,
  origin: string,
  email: string,
  password: string,
  totpSecret?: string,
): Promise<StorageState> {
  const context = await browser.newContext({ baseURL: origin });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByRole("textbox", { name: "E-mail", exact: true }).fill(email);
  await page.getByRole("textbox", { name: "Password", exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  if (totpSecret) {
    await page.waitForURL(/\/mfa/);
    await page.getByLabel("Authentication code").fill(await generate({ secret: totpSecret }));
    await page.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL(/\/admin\/ops/);
  } else {
    await page.waitForURL((url) => url.pathname !== "/sign-in");
  }
  const state = await context.storageState();
  await context.close();
  return state;
}

async function coldLoad(browser: Browser, state: StorageState | undefined, url: string) {
  // A new context per load: an empty HTTP cache, as a first visit.
  const context = await browser.newContext({ storageState: state, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const response = await page.goto(url, { waitUntil: "load" });
  return Object.assign(context, { page, response });
}

async function lcpOf(browser: Browser, state: StorageState | undefined, url: string, route: string) {
  const context = await coldLoad(browser, state, url);
  try {
    const { page, response } = context;
    if (!response || response.status() !== 200 || new URL(page.url()).pathname !== route) {
      throw new Error(`${url} did not load as ${route}: HTTP ${response?.status()}, at ${page.url()}`);
    }
    const lcp = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          let last = 0;
          new PerformanceObserver((list) => {
            for (const entry of list.getEntries()) last = entry.startTime;
          }).observe({ type: "largest-contentful-paint", buffered: true });
          // Candidates stop once the page has painted its content; give late ones a moment.
          setTimeout(() => resolve(last), 1_000);
        }),
    );
    if (!(lcp > 0)) throw new Error(`${url}: no largest-contentful-paint entry`);
    const html = (await response.body()).toString("utf8");
    return { lcp, html, bytes: Buffer.byteLength(html) };
  } finally {
    await context.close();
  }
}

/**
 * The served document as a static page of the same size: external scripts and script preloads
 * removed, inline scripts (the RSC payload) kept but inert, styles and fonts kept.
 */
function withoutScripts(html: string) {
  return html
    .replace(/<script\b[^>]*\bsrc=[^>]*>\s*<\/script>/gi, "")
    .replace(
      /<script\b([^>]*)>/gi,
      (_tag, attributes: string) =>
        `<script type="text/plain"${attributes.replace(/\s(type|async|nomodule)(="[^"]*")?/gi, "")}>`,
    )
    .replace(/<link\b[^>]*\bas="script"[^>]*>/gi, "")
    .replace(/<link\b[^>]*\brel="modulepreload"[^>]*>/gi, "");
}

/** node:http serving the documents by path and the build's static files (CSS, fonts) from .next/static. */
function serveStatic(port: number, documents: Map<string, string>) {
  const staticDir = path.join(ROOT, ".next", "static");
  const types: Record<string, string> = {
    ".css": "text/css",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://static.local");
    const document = documents.get(url.pathname);
    if (document) return void res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(document);
    if (url.pathname.startsWith("/_next/static/")) {
      const file = path.join(staticDir, decodeURIComponent(url.pathname.slice("/_next/static/".length)));
      if (file.startsWith(staticDir) && fs.existsSync(file) && fs.statSync(file).isFile()) {
        return void res
          .writeHead(200, {
            "content-type": types[path.extname(file)] ?? "application/octet-stream",
            "cache-control": "public, max-age=31536000, immutable",
          })
          .end(fs.readFileSync(file));
      }
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  });
  return new Promise<http.Server>((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
