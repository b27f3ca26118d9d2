/**
 * `npm run lint:boundaries`: the layout's rules (.dependency-cruiser.cjs) with the violations that
 * predate them ignored (.dependency-cruiser-known-violations.json), and no new import that closes a
 * cycle between capabilities (`lib/a` importing `lib/b` while `lib/b` reaches `lib/a`); those that
 * predate the check are in .boundaries-known-cyclic-imports.json. Both lists only ever shrink.
 * Exits non-zero on anything new and names it; `--shrink` then rewrites both lists without what is gone.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { cyclicImports, type CruisedModule } from "./boundaries";

const ROOT = path.resolve(import.meta.dirname, "..");
const SCANNED = [
  "app",
  "components",
  "lib",
  "db",
  "inngest",
  "scripts",
  "proxy.ts",
  "instrumentation.ts",
  "instrumentation-node.ts",
];

interface CruiseOutput {
  modules: CruisedModule[];
  summary: { violations: { rule: { name: string; severity: string }; from: string; to: string }[] };
}

function cruise(): CruiseOutput {
  const output = execFileSync(
    path.join(ROOT, "node_modules/.bin/depcruise"),
    [
      ...SCANNED,
      "--config",
      ".dependency-cruiser.cjs",
      "--ignore-known",
      ".dependency-cruiser-known-violations.json",
      "--output-type",
      "json",
    ],
    { cwd: ROOT, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
  );
  return JSON.parse(output) as CruiseOutput;
}

function main() {
  const { modules, summary } = cruise();
  const fresh = summary.violations.filter((v) => v.rule.severity !== "ignore");
  for (const v of fresh) console.error(`${v.rule.name}: ${v.from} → ${v.to}`);

  const known: string[] = JSON.parse(fs.readFileSync(path.join(ROOT, ".boundaries-known-cyclic-imports.json"), "utf8"));
  const cyclic = cyclicImports(modules);
  const newCycles = cyclic.filter((edge) => !known.includes(edge));
  for (const edge of newCycles) console.error(`capability-cycle: ${edge} closes a cycle between capabilities`);
  const gone = known.filter((edge) => !cyclic.includes(edge));
  if (gone.length > 0)
    console.log(`No longer cyclic (remove from .boundaries-known-cyclic-imports.json): ${gone.join("; ")}`);

  console.log(
    `boundaries: ${fresh.length} new violation(s) and ${newCycles.length} new cyclic import(s) between capabilities; ` +
      `${summary.violations.length - fresh.length} known violation(s) and ${cyclic.length - newCycles.length} known cyclic import(s) left to fix.`,
  );
  if (fresh.length > 0 || newCycles.length > 0) process.exit(1);
  // `npm run lint:boundaries -- --shrink`: after fixing some, the lists lose what is gone (never gain).
  if (process.argv.includes("--shrink")) {
    fs.writeFileSync(path.join(ROOT, ".boundaries-known-cyclic-imports.json"), `${JSON.stringify(cyclic, null, 2)}\n`);
    execFileSync(
      path.join(ROOT, "node_modules/.bin/depcruise"),
      [
        ...SCANNED,
        "--config",
        ".dependency-cruiser.cjs",
        "--output-type",
        "baseline",
        "--output-to",
        ".dependency-cruiser-known-violations.json",
      ],
      { cwd: ROOT },
    );
    console.log("Known lists rewritten without what is gone.");
  }
}

main();
