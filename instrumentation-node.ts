import { prepareDatabaseAtBoot } from "./db/boot";
import { assertProductionConfig } from "./lib/env";

// `next build` loads instrumentation too; the build must never open the database.
if (process.env.NEXT_PHASE !== "phase-production-build") {
  try {
    assertProductionConfig();
    await prepareDatabaseAtBoot();
  } catch (error) {
    // Fail fast and loudly: a server that is misconfigured or cannot reach its database must
    // not pretend to run. The message lists every problem and never contains secret values.
    console.error(`\n${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
