/** One module of dependency-cruiser's JSON output: its path and what it imports. */
export interface CruisedModule {
  source: string;
  dependencies: { resolved: string }[];
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
