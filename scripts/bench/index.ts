/**
 * `npm run bench [-- name] [--flags]`: benchmarks that print a table and one JSON line each.
 * Figures are compared against a baseline measured in the same run (absolute numbers on
 * shared machines are noisy). Benchmarks print; they never fail a build.
 */
// Before any module creates the logger: a benchmark's output is its table, not 10,000 log lines.
process.env.LOG_LEVEL ??= "silent";

const BENCHMARKS: Record<string, (args: string[]) => Promise<void>> = {
  alerts: async (args) => (await import("./alerts")).runAlertsBenchmark(args),
  api: async (args) => (await import("./api")).runApiBenchmark(args),
};

async function main() {
  const [name, ...args] = process.argv.slice(2);
  const selected = name && !name.startsWith("--") ? [name] : Object.keys(BENCHMARKS);
  for (const bench of selected) {
    const run = BENCHMARKS[bench];
    if (!run) throw new Error(`Unknown benchmark "${bench}". Available: ${Object.keys(BENCHMARKS).join(", ")}`);
    await run(name === bench ? args : process.argv.slice(2));
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const cause = (error as { cause?: unknown }).cause;
    console.error(error instanceof Error ? error.message.split("\n")[0] : error, cause instanceof Error ? `\n${cause.message}` : "");
    process.exit(1);
  },
);
