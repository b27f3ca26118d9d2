import fs from "node:fs";
import type { Reporter, TestModule } from "vitest/node";

/** Prints the plain `N passed, N failed` line CI reads, and appends it to TOTALS_FILE if set. */
export default class TotalsReporter implements Reporter {
  /** Names the suite in the printed line and in TOTALS_FILE ("vitest", "resilience"). */
  private readonly label: string;

  constructor(options: { label?: string } = {}) {
    this.label = options.label ?? "vitest";
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else skipped++;
      }
      // A file that failed to load has no tests but must count as a failure.
      if (mod.state() === "failed" && [...mod.children.allTests()].length === 0) failed++;
    }
    const line = `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`;
    console.log(`\n${this.label}: ${line}`);
    if (process.env.TOTALS_FILE)
      fs.appendFileSync(process.env.TOTALS_FILE, `${this.label} ${passed} ${failed} ${skipped}\n`);
  }
}
