import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: [
      "lib/**/*.test.ts",
      "db/**/*.test.ts",
      "scripts/**/*.test.ts",
      "tests/**/*.test.ts",
      "inngest/**/*.test.ts",
    ],
    // Fault scenarios run on their own: npm run test:resilience (vitest.resilience.config.ts).
    exclude: [...configDefaults.exclude, "tests/resilience/**"],
    environment: "node",
    globalSetup: ["./tests/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // PGlite adds ~750 MB per instance; two workers fit two cores without thrashing.
    pool: "forks",
    maxWorkers: 2,
    // Each worker keeps its loaded modules from one test file to the next: re-importing the app
    // for every file cost about a third of the suite's CPU. Tests therefore leave no module state
    // behind (env through tests/env, mocks restored, timers real again), as they already must.
    isolate: false,
    reporters: ["default", "./tests/totals-reporter.ts"],
    env: { NODE_ENV: "test" },
    // next-auth imports "next/server" without an extension, which Node's ESM resolver refuses;
    // bundling it through Vite resolves it as Next.js does (tests/routes/auth-rate-limits).
    server: { deps: { inline: ["next-auth"] } },
  },
});
