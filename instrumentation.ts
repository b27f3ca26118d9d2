/** Runs once per server process before it serves requests. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // `next build` loads this too; the build must never open the database.
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { assertProductionConfig } = await import("./lib/env");
  assertProductionConfig();
  const { prepareDatabaseAtBoot } = await import("./db/boot");
  await prepareDatabaseAtBoot();
}
