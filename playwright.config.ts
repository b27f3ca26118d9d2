import { randomBytes } from "node:crypto";
import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3210);

// The bundled data and one operator per run, loaded by the CLI before the server opens the database (PGlite allows
// one process per data dir). Set here so the worker processes inherit the same values.
process.env.E2E_OPERATOR_EMAIL ??= `ops-${Date.now()}@beacon.test`;
process.env.E2E_OPERATOR_PASSWORD ??= `ops-${randomBytes(12).toString("hex")}`;
const cli = "node_modules/.bin/tsx scripts/cli.ts";
const baseURL = `http://localhost:${port}`;

/**
 * Journeys run against the production build (`next start`) on Debian's Chromium. The database
 * is E2E_DATABASE_URL (a fresh PostgreSQL database made by scripts/test-all.sh) or, without it,
 * a fresh PGlite dir. Test-only secrets are generated per run, never committed.
 */
export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["./e2e/totals-reporter.ts"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  webServer: {
    command:
      `${cli} db:seed > /dev/null && ` +
      `${cli} operator:create --email ${process.env.E2E_OPERATOR_EMAIL} --password ${process.env.E2E_OPERATOR_PASSWORD} --role ops_admin > /dev/null && ` +
      `exec node_modules/.bin/next start -p ${port}`,
    url: `${baseURL}/api/readyz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      APP_URL: baseURL,
      AUTH_SECRET: process.env.E2E_AUTH_SECRET ?? "",
      METRICS_TOKEN: process.env.E2E_METRICS_TOKEN ?? "",
      STRIPE_SECRET_KEY: "sk_test_e2e_not_a_real_key",
      STRIPE_WEBHOOK_SECRET: "whsec_e2e_not_a_real_secret",
      // Production requires a signing key for /api/inngest (no Inngest server runs in e2e).
      INNGEST_SIGNING_KEY: "signkey-test-e2e0000000000000000000000000000000000000000000000000000",
      AUTO_MIGRATE: "true",
      SEED_DEMO_DATA: "false",
      LOG_LEVEL: "error",
      ...(process.env.E2E_DATABASE_URL ? { DATABASE_URL: process.env.E2E_DATABASE_URL } : { PGLITE_DATA_DIR: process.env.E2E_PGLITE_DIR ?? ".data/e2e/pglite" }),
    },
  },
});
