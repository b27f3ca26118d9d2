import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { chromiumPath } from "./tests/support/chromium";
import { createPaidOrgsCommands } from "./e2e/paid-orgs";
import { loadReminderNoticeCommand } from "./e2e/reminder-notice";
import type { SetupCommand } from "./e2e/setup-commands";
import { e2eOperators, type E2eOperator } from "./e2e/operators";

const port = Number(process.env.E2E_PORT ?? 3210);

// The bundled data, the journeys' operators and the paid orgs of e2e/paid-orgs.ts per run, loaded by the CLI before the server opens the database (PGlite allows
// one process per data dir). Set here so the worker processes inherit the same values.
process.env.E2E_OPERATOR_PASSWORD ??= `ops-${randomBytes(12).toString("hex")}`;
// A few operators of each role. Beacon refuses a TOTP step an operator already used, and limits
// sign-ins and TOTP attempts per operator (production values), so one operator can sign in about
// twice per 30 seconds: e2e/helpers.ts signs in whichever of the role's operators can go soonest.
// operator:create prints each one's TOTP secret once, into its file; the journeys read it there.
const OPERATOR_POOL = [
  ...Array.from({ length: 4 }, () => "admin" as const),
  ...Array.from({ length: 2 }, () => "viewer" as const),
];
process.env.E2E_OPERATORS ??= JSON.stringify(
  OPERATOR_POOL.map((role, i) => ({
    role,
    email: `${role}${i}-${Date.now()}@beacon.test`,
    file: path.join(os.tmpdir(), `beacon-e2e-${role}${i}-${randomBytes(6).toString("hex")}.json`),
  })),
);
/** A one-line Node program that exits once something listens on 127.0.0.1:port (for a shell command). */
const waitForPort = (p: number) =>
  `const n=require('net');(function t(){const s=n.connect(${p},'127.0.0.1',()=>{s.end();process.exit(0)});s.on('error',()=>setTimeout(t,200))})()`;
const baseURL = `http://localhost:${port}`;
/** Journeys that sign in as an e2e operator (see `projects` below). */
const OPERATOR_JOURNEYS = [
  "**/accounting.spec.ts",
  "**/cockpit-a11y.spec.ts",
  "**/cockpit-fixes.spec.ts",
  "**/customers.spec.ts",
  "**/jobs.spec.ts",
  "**/operators.spec.ts",
];
/** Journeys that change what every other journey sees while they run. */
const APP_WIDE_JOURNEYS = ["**/incident.spec.ts"];
const operatorCommand = (operator: E2eOperator): SetupCommand => ({
  args: [
    "operator:create",
    ...["--email", operator.email, "--password", process.env.E2E_OPERATOR_PASSWORD!],
    ...["--role", operator.role === "admin" ? "ops_admin" : "ops_viewer"],
  ],
  output: operator.file,
});
/** Run in one process before the server opens the database (e2e/setup-main.ts). */
const setupCommands: SetupCommand[] = [
  { args: ["db:seed"] },
  ...e2eOperators().map(operatorCommand),
  ...createPaidOrgsCommands(),
  loadReminderNoticeCommand(),
];
// A local server speaking Stripe's API (tests/fakes/stripe-api.ts): these machines cannot reach Stripe.
const stripePort = Number(process.env.E2E_STRIPE_PORT ?? port + 80);
process.env.E2E_STRIPE_URL = `http://127.0.0.1:${stripePort}`;
process.env.E2E_STRIPE_WEBHOOK_SECRET ??= `whsec_e2e_${randomBytes(12).toString("hex")}`;
process.env.E2E_INNGEST_SIGNING_KEY ??= `signkey-test-${randomBytes(32).toString("hex")}`;
// The journeys' mail server (tests/support/smtp-sink-main.ts): sign-in links reach only their
// recipient, so a journey reads them from the mailbox, as a user would.
const smtpSinkPort = Number(process.env.E2E_SMTP_PORT ?? port + 82);
process.env.E2E_MAILBOX_URL = `http://127.0.0.1:${smtpSinkPort + 1}`;
// The ops team's chat webhook for ops alerts: e2e/cockpit-fixes.spec.ts listens there while it needs it.
process.env.E2E_OPS_WEBHOOK_PORT ??= String(port + 81);

/**
 * Journeys run against the production build (`next start`) on Debian's Chromium. The database
 * is E2E_DATABASE_URL (a fresh PostgreSQL database made by scripts/test-all.sh) or, without it,
 * a fresh PGlite dir. Test-only secrets are generated per run, never committed.
 */
export default defineConfig({
  testDir: "./e2e",
  // The core loop on `npm run dev` has its own configuration (playwright.dev.config.ts).
  testIgnore: "dev-loop/**",
  fullyParallel: false,
  // The server leaves most of a core idle while one browser waits on it: two workers fill it.
  workers: 2,
  // Journeys of operators share each operator's TOTP steps (e2e/helpers.ts) and the ops webhook
  // listener, so they run one after another; customers' journeys each make their own accounts and
  // run beside them. Incident mode changes every page, so its journey runs alone, last.
  // The cockpit's one-at-a-time journeys are listed first so they start at once and the customers'
  // journeys fill the other worker: listed last, they waited for every customer journey first.
  projects: [
    { name: "cockpit", testMatch: OPERATOR_JOURNEYS, workers: 1 },
    // A project's testIgnore replaces the top-level one: the dev-loop journey stays out here too.
    { name: "customers", testIgnore: ["**/dev-loop/**", ...OPERATOR_JOURNEYS, ...APP_WIDE_JOURNEYS] },
    { name: "app-wide", testMatch: APP_WIDE_JOURNEYS, dependencies: ["customers", "cockpit"] },
  ],
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["./e2e/totals-reporter.ts"]],
  use: {
    baseURL,
    // A failed journey keeps its trace (DOM snapshots, network, console); screenshots of every
    // step would cost the run about a tenth of its CPU. Recording costs about a tenth too (319
    // against 289 CPU-seconds for the 85 journeys), and on CI (CI=true, .ci/run) nobody opens a
    // trace: what failed is in the printed output, so CI records none.
    trace: process.env.CI ? "off" : { mode: "retain-on-failure", screenshots: false },
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: [
    {
      command: `exec node_modules/.bin/tsx tests/fakes/stripe-api-main.ts`,
      url: `${process.env.E2E_STRIPE_URL}/_fake/events`,
      timeout: 30_000,
      reuseExistingServer: false,
      env: { FAKE_STRIPE_PORT: String(stripePort) },
    },
    {
      command: `exec node_modules/.bin/tsx tests/support/smtp-sink-main.ts`,
      url: `${process.env.E2E_MAILBOX_URL}/messages`,
      timeout: 30_000,
      reuseExistingServer: false,
      env: { SMTP_SINK_PORT: String(smtpSinkPort), SMTP_SINK_HTTP_PORT: String(smtpSinkPort + 1) },
    },
    {
      command:
        // The seed sends the demo org's first digest: wait for the mailbox (started beside this server).
        `node -e "${waitForPort(smtpSinkPort)}" && ` +
        `node_modules/.bin/tsx e2e/setup-main.ts && ` +
        `exec node_modules/.bin/next start -p ${port}`,
      url: `${baseURL}/api/readyz`,
      // The setup (seed, operators, paid orgs) takes a minute or more on a busy 2-core machine.
      timeout: 300_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: {
        E2E_SETUP_COMMANDS: JSON.stringify(setupCommands),
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        APP_URL: baseURL,
        AUTH_SECRET: process.env.E2E_AUTH_SECRET ?? "",
        METRICS_TOKEN: process.env.E2E_METRICS_TOKEN ?? "",
        STRIPE_SECRET_KEY: "sk_test_e2e_not_a_real_key",
        STRIPE_WEBHOOK_SECRET: process.env.E2E_STRIPE_WEBHOOK_SECRET,
        STRIPE_API_BASE_URL: process.env.E2E_STRIPE_URL,
        STRIPE_PRICE_STARTER: "price_e2e_starter",
        STRIPE_PRICE_PRO: "price_e2e_pro",
        STRIPE_PRICE_ENTERPRISE: "price_e2e_enterprise",
        STRIPE_PRICE_CREDITS: "price_e2e_credits",
        // Production requires a signing key for /api/inngest (no Inngest server runs in e2e).
        INNGEST_SIGNING_KEY: process.env.E2E_INNGEST_SIGNING_KEY,
        OPS_ALERT_WEBHOOK_URL: `http://127.0.0.1:${process.env.E2E_OPS_WEBHOOK_PORT}/ops-alerts`,
        // One delivery attempt: a message that fails is dead at once, so the dead-letter journey
        // need not wait out the retry backoff. E-mails go to the local mailbox and never fail.
        OUTBOX_MAX_ATTEMPTS: "1",
        // e2e/channels.spec.ts's receiver listens on 127.0.0.1; production refuses this unless APP_URL is local too.
        CHANNEL_LOOPBACK_URLS: "true",
        SMTP_URL: `smtp://127.0.0.1:${smtpSinkPort}`,
        AUTO_MIGRATE: "true",
        SEED_DEMO_DATA: "false",
        LOG_LEVEL: "error",
        // Every journey signs up from 127.0.0.1 within minutes (about 20 accounts), above the
        // production default of 10 per IP per hour. The other limits keep their production values.
        RATE_LIMIT_SIGN_UPS_PER_IP_PER_HOUR: "200",
        // Each run counts in its own namespace of a shared Redis: earlier runs never eat its limits.
        RATE_LIMIT_KEY_PREFIX: `beacon:e2e:${randomBytes(6).toString("hex")}`,
        ...(process.env.E2E_DATABASE_URL
          ? { DATABASE_URL: process.env.E2E_DATABASE_URL }
          : { PGLITE_DATA_DIR: process.env.E2E_PGLITE_DIR ?? ".data/e2e/pglite" }),
      },
    },
  ],
});
