/**
 * `npm run bench [-- name] [--flags]`: benchmarks that print a table and one JSON line each.
 * Figures are compared against a baseline measured in the same run (absolute numbers on
 * shared machines are noisy). With no name, every benchmark runs in turn (each with its default
 * size) and a summary follows; a benchmark that fails (errors, wrong results, a budget exceeded)
 * makes the run exit non-zero after the others have run.
 */
// Before any module creates the logger: a benchmark's output is its table, not 10,000 log lines.
process.env.LOG_LEVEL ??= "silent";

/** What a benchmark hands to the summary: one line of its headline figures. */
export interface BenchSummary {
  headline: string;
}

type Benchmark = (args: string[]) => Promise<BenchSummary | void>;

const BENCHMARKS: Record<string, Benchmark> = {
  alerts: async (args) => (await import("./alerts")).runAlertsBenchmark(args),
  api: async (args) => (await import("./api")).runApiBenchmark(args),
  webhook: async (args) => (await import("./webhook")).runWebhookBenchmark(args),
  outbox: async (args) => (await import("./outbox")).runOutboxBenchmark(args),
  pages: async (args) => (await import("./pages")).runPagesBenchmark(args),
};

function firstLine(error: unknown) {
  const cause = (error as { cause?: unknown }).cause;
  const message = error instanceof Error ? error.message : String(error);
  return `${message}${cause instanceof Error ? `\n${cause.message}` : ""}`;
}

async function main() {
  const [name, ...args] = process.argv.slice(2);
  if (name && !name.startsWith("--")) {
    const run = BENCHMARKS[name];
    if (!run) throw new Error(`Unknown benchmark "${name}". Available: ${Object.keys(BENCHMARKS).join(", ")}`);
    await run(args);
    return 0;
  }
  if (name)
    throw new Error(`Flags belong to one benchmark: npm run bench -- <name> ${process.argv.slice(2).join(" ")}`);

  const summary: { bench: string; seconds: number; ok: boolean; line: string }[] = [];
  for (const [bench, run] of Object.entries(BENCHMARKS)) {
    console.log(`\n=== ${bench} ===`);
    const started = performance.now();
    try {
      const result = await run([]);
      summary.push({
        bench,
        seconds: (performance.now() - started) / 1000,
        ok: true,
        line: result?.headline ?? "done",
      });
    } catch (error) {
      console.error(firstLine(error));
      summary.push({
        bench,
        seconds: (performance.now() - started) / 1000,
        ok: false,
        line: firstLine(error).split("\n")[0]!,
      });
    }
  }
  console.log("\n=== summary ===");
  for (const s of summary)
    console.log(`${s.ok ? "ok    " : "FAILED"} ${s.bench.padEnd(8)} ${s.seconds.toFixed(0).padStart(4)} s  ${s.line}`);
  console.log(
    JSON.stringify({
      bench: "summary",
      results: summary.map((s) => ({ bench: s.bench, ok: s.ok, seconds: s.seconds, summary: s.line })),
    }),
  );
  return summary.every((s) => s.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(firstLine(error));
    process.exit(1);
  },
);
