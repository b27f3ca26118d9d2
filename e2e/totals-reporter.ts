import fs from "node:fs";
import type { FullResult, Reporter, TestCase, TestResult } from "@playwright/test/reporter";

/** Adds this run's counts to TOTALS_FILE so the test command can print one total line. */
export default class TotalsReporter implements Reporter {
  private passed = 0;
  private failed = 0;
  private skipped = 0;

  onTestEnd(test: TestCase, result: TestResult) {
    if (result.retry < test.retries && result.status !== "passed") return;
    if (result.status === "passed") this.passed++;
    else if (result.status === "skipped") this.skipped++;
    else this.failed++;
  }

  onEnd(result: FullResult) {
    // A run that crashed before any test (server failed to start) is a failure, not zero tests.
    if (result.status !== "passed" && this.failed === 0) this.failed = 1;
    console.log(`playwright: ${this.passed} passed, ${this.failed} failed`);
    if (process.env.TOTALS_FILE)
      fs.appendFileSync(process.env.TOTALS_FILE, `playwright ${this.passed} ${this.failed} ${this.skipped}\n`);
  }
}
