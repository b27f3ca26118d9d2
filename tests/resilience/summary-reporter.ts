import type { Reporter, TestModule } from "vitest/node";

/** After the run, prints what each fault scenario survived (the lines tests record with `survived`). */
export default class SurvivalSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const lines: string[] = [];
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        const mark = state === "passed" ? "survived" : state === "failed" ? "FAILED" : state;
        lines.push(`  [${mark}] ${test.fullName}`);
        for (const line of test.meta().survived ?? []) lines.push(`      ${line}`);
      }
    }
    if (lines.length > 0) console.log(`\nResilience summary\n${lines.join("\n")}`);
  }
}
