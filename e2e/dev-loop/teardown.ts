import fs from "node:fs";
import path from "node:path";

/** The run's embedded database (made by playwright.dev.config.ts) goes with the run. */
export default function teardown() {
  const dir = process.env.E2E_DEV_PGLITE_DIR;
  if (dir) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
}
