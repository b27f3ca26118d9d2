import path from "node:path";
import { defineConfig } from "vitest/config";

// Fault scenarios against real servers (tests/resilience): PostgreSQL and Redis are required.
for (const name of ["DATABASE_URL", "REDIS_URL"]) {
  if (!process.env[name]) {
    throw new Error(
      `npm run test:resilience needs ${name} (PostgreSQL and Redis; e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379).`,
    );
  }
}

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/resilience/**/*.test.ts"],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Each file kills, blocks or stops only its own database and servers, so two can overlap.
    maxWorkers: 2,
    reporters: [
      "default",
      "./tests/resilience/summary-reporter.ts",
      ["./tests/totals-reporter.ts", { label: "resilience" }],
    ],
    env: { NODE_ENV: "test" },
    server: { deps: { inline: ["next-auth"] } },
  },
});
