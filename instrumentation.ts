/** Runs once per server process before it serves requests. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // `next build` loads this too; the build must never open the database.
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  try {
    const { assertProductionConfig } = await import("./lib/env");
    assertProductionConfig();
    const { prepareDatabaseAtBoot } = await import("./db/boot");
    await prepareDatabaseAtBoot();
  } catch (error) {
    // Fail fast and loudly: a server that cannot be configured or reach its database must not
    // pretend to run (the message lists every problem; it never contains secret values).
    console.error(`\n${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
