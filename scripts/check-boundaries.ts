/**
 * `npm run lint:boundaries`: the layout's rules (.dependency-cruiser.cjs) with the violations that
 * predate them ignored (.dependency-cruiser-known-violations.json), and no new import that closes a
 * cycle between capabilities (`lib/a` importing `lib/b` while `lib/b` reaches `lib/a`); those that
 * predate the check are in .boundaries-known-cyclic-imports.json. Both lists only ever shrink. And no
 * browser-safe entry (rules.ts, options.ts, lib/client) reaches server-only code.
 * Each known violation carries a `why`. Exits non-zero on anything new or unexplained and names it;
 * `--shrink` then rewrites both lists without what is gone.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { browserSafeLeaks, cyclicImports, type CruisedModule } from "./boundaries";

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

/** One entry of .dependency-cruiser-known-violations.json: depcruise's own fields, plus why it stays. */
interface KnownViolation {
  from: string;
  to: string;
  rule: { name: string };
  why?: string;
}

const KNOWN_VIOLATIONS = path.join(ROOT, ".dependency-cruiser-known-violations.json");
const sameViolation = (a: { from: string; to: string; rule: { name: string } }, b: KnownViolation) =>
  a.from === b.from && a.to === b.to && a.rule.name === b.rule.name;

interface CruiseOutput {
  modules: CruisedModule[];
  summary: { violations: { rule: { name: string; severity: string }; from: string; to: string }[] };
}

/** depcruise refuses fields of its own baseline format it does not know, so it reads the list without the whys. */
function baselineForDepcruise(known: KnownViolation[]): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "boundaries-")), "known-violations.json");
  fs.writeFileSync(file, JSON.stringify(known.map(({ why: _why, ...violation }) => violation)));
  return file;
}

function cruise(known: KnownViolation[]): CruiseOutput {
  const baseline = baselineForDepcruise(known);
  const output = execFileSync(
    path.join(ROOT, "node_modules/.bin/depcruise"),
    [...SCANNED, "--config", ".dependency-cruiser.cjs", "--ignore-known", baseline, "--output-type", "json"],
    { cwd: ROOT, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
  );
  fs.rmSync(path.dirname(baseline), { recursive: true });
  return JSON.parse(output) as CruiseOutput;
}

function main() {
  const knownViolations: KnownViolation[] = JSON.parse(fs.readFileSync(KNOWN_VIOLATIONS, "utf8"));
  const { modules, summary } = cruise(knownViolations);
  const fresh = summary.violations.filter((v) => v.rule.severity !== "ignore");
  for (const v of fresh) console.error(`${v.rule.name}: ${v.from} → ${v.to}`);
  // Every import the rules let pass must say why in the list itself, so the list stays a handful of reasons.
  const stillThere = knownViolations.filter((known) =>
    summary.violations.some((v) => v.rule.severity === "ignore" && sameViolation(v, known)),
  );
  const unexplained = stillThere.filter((v) => !v.why?.trim());
  for (const v of unexplained) console.error(`known violation without a "why": ${v.rule.name}: ${v.from} → ${v.to}`);

  const known: string[] = JSON.parse(fs.readFileSync(path.join(ROOT, ".boundaries-known-cyclic-imports.json"), "utf8"));
  const cyclic = cyclicImports(modules);
  const newCycles = cyclic.filter((edge) => !known.includes(edge));
  for (const edge of newCycles) console.error(`capability-cycle: ${edge} closes a cycle between capabilities`);
  const withDirective = (directive: string) =>
    modules
      .map((m) => m.source)
      .filter((source) => /^(app|components|lib)\/.*\.tsx?$/.test(source))
      .filter((source) =>
        new RegExp(`^\\s*["']${directive}["']`).test(fs.readFileSync(path.join(ROOT, source), "utf8")),
      );
  const leaks = browserSafeLeaks(modules, {
    clientComponents: withDirective("use client"),
    serverActions: withDirective("use server"),
  });
  for (const way of leaks) console.error(`browser-safe-reaches-server: ${way}`);
  const gone = known.filter((edge) => !cyclic.includes(edge));
  if (gone.length > 0)
    console.log(`No longer cyclic (remove from .boundaries-known-cyclic-imports.json): ${gone.join("; ")}`);

  console.log(
    `boundaries: ${fresh.length} new violation(s), ${newCycles.length} new cyclic import(s) between capabilities ` +
      `and ${leaks.length} browser-safe entr${leaks.length === 1 ? "y" : "ies"} reaching server-only code; ` +
      `${summary.violations.length - fresh.length} known violation(s) and ${cyclic.length - newCycles.length} known cyclic import(s) left to fix.`,
  );
  if (fresh.length > 0 || newCycles.length > 0 || unexplained.length > 0 || leaks.length > 0) process.exit(1);
  // `npm run lint:boundaries -- --shrink`: after fixing some, the lists lose what is gone (never gain).
  if (process.argv.includes("--shrink")) {
    fs.writeFileSync(path.join(ROOT, ".boundaries-known-cyclic-imports.json"), `${JSON.stringify(cyclic, null, 2)}\n`);
    fs.writeFileSync(KNOWN_VIOLATIONS, `${JSON.stringify(stillThere, null, 2)}\n`);
    console.log("Known lists rewritten without what is gone.");
  }
}

main();
