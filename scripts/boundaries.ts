/** One module of dependency-cruiser's JSON output: its path and what it imports. */
export interface CruisedModule {
  source: string;
  /** `type-only` among the types: an `import type`, erased before anything runs. */
  dependencies: { resolved: string; dependencyTypes?: string[] }[];
}

/** The capability a production file of lib/ belongs to (`lib/<name>/…`); tests and loose files have none. */
export function capabilityOf(file: string): string | null {
  if (/\.test\.tsx?$/.test(file)) return null;
  return /^lib\/([^/]+)\//.exec(file)?.[1] ?? null;
}

/** Which capabilities each capability's production files import (itself left out). */
export function capabilityImports(modules: CruisedModule[]): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const cruised of modules) {
    const from = capabilityOf(cruised.source);
    if (!from) continue;
    for (const dependency of cruised.dependencies) {
      const to = capabilityOf(dependency.resolved);
      if (!to || to === from) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)!.add(to);
    }
  }
  return edges;
}

/**
 * The imports between capabilities that close a cycle: `a → b` where `b` reaches `a` again,
 * however indirectly. Zero means the capabilities form layers; each one listed is an import to
 * turn around (an event, a callback, a type moved down) or a capability to split.
 */
export function cyclicImports(modules: CruisedModule[]): string[] {
  const edges = capabilityImports(modules);
  const reaches = (from: string, to: string) => {
    const seen = new Set([from]);
    const queue = [from];
    while (queue.length > 0) {
      const node = queue.shift()!;
      if (node === to) return true;
      for (const next of edges.get(node) ?? [])
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
    }
    return false;
  };
  const cyclic: string[] = [];
  for (const [from, targets] of edges) for (const to of targets) if (reaches(to, from)) cyclic.push(`${from} → ${to}`);
  return cyclic.sort();
}

/** The entries client components import: rules.ts, options.ts, <topic>-rules.ts and lib/client. */
const BROWSER_SAFE = [/^lib\/[^/]+\/(rules|options)\.tsx?$/, /^lib\/[^/]+\/[a-z-]+-rules\.tsx?$/, /^lib\/client\//];
/** What only a server loads: the database layer and server-only packages. */
const SERVER_ONLY =
  /^(db\/|node_modules\/(server-only|pg|nodemailer|drizzle-orm|@electric-sql|pino|redis|stripe|inngest|next-auth)\/)/;

/**
 * Each browser-safe entry, or client component (`"use client"`), that reaches server-only code
 * through imports that run (type-only ones
 * are erased), with the way there. The production build fails on such a path in a client bundle
 * (node:child_process, pg), and the type-check does not see it.
 */
export function browserSafeLeaks(
  modules: CruisedModule[],
  edges: { clientComponents?: readonly string[]; serverActions?: readonly string[] } = {},
): string[] {
  const { clientComponents = [], serverActions = [] } = edges;
  const imports = new Map(
    modules.map((m) => [
      m.source,
      m.dependencies.filter((d) => !d.dependencyTypes?.includes("type-only")).map((d) => d.resolved),
    ]),
  );
  const leaks: string[] = [];
  const entries = modules
    .map((m) => m.source)
    .filter((source) => BROWSER_SAFE.some((re) => re.test(source)) || clientComponents.includes(source));
  for (const entry of entries) {
    const cameFrom = new Map<string, string>([[entry, ""]]);
    const queue = [entry];
    while (queue.length > 0) {
      const node = queue.shift()!;
      if (SERVER_ONLY.test(node)) {
        const way = [node];
        for (let at = cameFrom.get(node)!; at; at = cameFrom.get(at)!) way.unshift(at);
        leaks.push(way.join(" → "));
        break;
      }
      // A server action module reaches the browser as a reference to call, not as code.
      for (const next of imports.get(node) ?? [])
        if (!cameFrom.has(next) && !serverActions.includes(next)) {
          cameFrom.set(next, node);
          queue.push(next);
        }
    }
  }
  return leaks.sort();
}
