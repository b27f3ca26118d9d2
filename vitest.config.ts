import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "db/**/*.test.ts", "scripts/**/*.test.ts", "tests/**/*.test.ts", "inngest/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // PGlite adds ~750 MB per instance; two workers fit two cores without thrashing.
    pool: "forks",
    maxWorkers: 2,
    reporters: ["default", "./tests/totals-reporter.ts"],
    env: { NODE_ENV: "test" },
  },
});
