import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { defineConfig } from "@playwright/test";
import { chromiumPath } from "./tests/support/chromium";
import { NOT_ON_A_FRESH_CLONE } from "./e2e/dev-loop/fresh-clone-env";

const port = Number(process.env.E2E_DEV_PORT ?? 3310);
const baseURL = `http://localhost:${port}`;
// A fresh embedded database per run, as on a fresh clone: the CLI finds the running server through it.
process.env.E2E_DEV_PGLITE_DIR ??= path.join(
  os.tmpdir(),
  `beacon-dev-loop-${randomBytes(6).toString("hex")}`,
  "pglite",
);

/**
 * The core loop on the README's run command: `npm run dev` with no services and no keys (the
 * variables CI exports for the other suites are removed), the embedded database, the in-process
 * executor and the demo feed. One journey: e2e/dev-loop/core-loop.spec.ts.
 */
export default defineConfig({
  testDir: "./e2e/dev-loop",
  globalTeardown: "./e2e/dev-loop/teardown.ts",
  // Its own results folder: it runs beside other suites, and each run empties its folder first.
  outputDir: "test-results/dev-loop",
  workers: 1,
  retries: 0,
  // Onboarding, then up to five minutes for the demo feed to release a matching notice.
  timeout: 12 * 60_000,
  // Pages compile on first visit, beside the other suites in CI.
  expect: { timeout: 60_000 },
  reporter: [["list"], ["./e2e/totals-reporter.ts"]],
  use: {
    baseURL,
    trace: { mode: "retain-on-failure", screenshots: false },
    // `next dev` compiles each page on its first visit.
    navigationTimeout: 120_000,
    launchOptions: { executablePath: chromiumPath(), args: ["--no-sandbox", "--disable-gpu", "--no-first-run"] },
  },
  webServer: {
    // Playwright adds `env` to its own environment: what must be absent is removed by the command.
    command: `exec env ${NOT_ON_A_FRESH_CLONE.map((name) => `-u ${name}`).join(" ")} npm run dev`,
    url: `${baseURL}/api/healthz`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: { PORT: String(port), PGLITE_DATA_DIR: process.env.E2E_DEV_PGLITE_DIR, NODE_ENV: "development" },
  },
});
