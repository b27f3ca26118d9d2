import { prepareDatabaseAtBoot } from "./db/boot";
import { assertProductionConfig } from "./lib/env";
import { recordSocketPeers } from "./lib/http/socket-peer";

// `next build` loads instrumentation too; the build must never open the database.
if (process.env.NEXT_PHASE !== "phase-production-build") {
  // Per-IP rate limits need the real TCP peer in X-Forwarded-For (lib/http/client-ip).
  recordSocketPeers();
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
