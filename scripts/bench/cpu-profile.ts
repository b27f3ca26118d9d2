import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { FlattenMap, originalPositionFor, type TraceMap } from "@jridgewell/trace-mapping";
import { sql } from "drizzle-orm";
import { ownerExecute, printTable } from "./bench-database";

/** The parts of a V8 `.cpuprofile` (written by `node --cpu-prof`) this reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a sample's own time went, in words a reader of the README knows. */
export interface ProfileShare {
  area: string;
  ms: number;
  share: number;
}

/** What a source file belongs to, named by its path (after source maps): the first rule that matches. */
const AREAS: [RegExp, string][] = [
  [/^\((idle)\)$/, "idle (waiting on I/O)"],
  [/^\((garbage collector)\)$/, "garbage collection"],
  [/^\((program|root)\)$/, "V8 and native code"],
  [/^\(/, "V8 and native code"],
  [/^node:/, "Node.js core (http, net, streams)"],
  [/node_modules\/next\/|^turbopack:|\[turbopack\]|^webpack:\/\/next\//, "Next.js route machinery"],
  [/node_modules\/(react|react-dom|react-server-dom-[a-z]+)\//, "React (server rendering)"],
  [/node_modules\/(pg|pg-protocol|pg-pool|pg-types|pgpass|postgres-[a-z]+)\//, "PostgreSQL driver (pg)"],
  [/node_modules\/drizzle-orm\//, "Drizzle (query building, result mapping)"],
  [/node_modules\/(@redis|redis|@upstash)\//, "Redis client"],
  [/node_modules\/(pino|pino-[a-z]+|sonic-boom|thread-stream|fast-redact|quick-format-unescaped)\//, "logging (pino)"],
  [/node_modules\/(prom-client|tdigest|bintrees)\//, "metrics (prom-client)"],
  [/node_modules\/zod\//, "validation (zod)"],
  [/node_modules\/(stripe)\//, "Stripe library (signature check)"],
  [/node_modules\/(next-auth|@auth)\//, "Auth.js"],
  [/node_modules\/(@electric-sql)\//, "PGlite"],
  [/node_modules\/([^/]+)\//, "other packages"],
  [/(^|\/)lib\/http\//, "Beacon: route wrapper (lib/http)"],
  [/(^|\/)lib\/observability\//, "Beacon: logs and metrics (lib/observability)"],
  [/(^|\/)lib\/ratelimit\//, "Beacon: rate limiter (lib/ratelimit)"],
  [/(^|\/)lib\/metering\//, "Beacon: key lookup and charge (lib/metering)"],
  [/(^|\/)lib\/opportunities\//, "Beacon: search and result shaping (lib/opportunities)"],
  [/(^|\/)lib\/billing\//, "Beacon: billing (lib/billing)"],
  [/(^|\/)lib\/([a-z-]+)\//, "Beacon: lib/$2"],
  [/(^|\/)db\//, "Beacon: database client (db/)"],
  [/(^|\/)(app|proxy|instrumentation)/, "Beacon: routes, proxy, instrumentation"],
];

export function areaOf(source: string): string {
  for (const [pattern, area] of AREAS) {
    const match = pattern.exec(source);
    if (match) return area.replace(/\$(\d)/g, (_, group: string) => match[Number(group)] ?? "");
  }
  return "other";
}

/** Resolves bundled positions (`.next/server/chunks/*.js`) to their sources, one map per file. */
class SourceResolver {
  private maps = new Map<string, TraceMap | null>();

  resolve(url: string, line: number, column: number): string {
    if (!url.startsWith("file://")) return url;
    const file = fileURLToPath(url);
    const map = this.mapOf(file);
    if (map && line >= 0) {
      const original = originalPositionFor(map, { line: line + 1, column: Math.max(column, 0) });
      if (original.source) return original.source;
    }
    return file;
  }

  private mapOf(file: string): TraceMap | null {
    if (!this.maps.has(file)) {
      const mapFile = `${file}.map`;
      let map: TraceMap | null = null;
      if (file.includes(`${path.sep}.next${path.sep}`) && fs.existsSync(mapFile)) {
        try {
          // Turbopack writes index maps (sections) for shared chunks: flattened, they answer like any other.
          map = new FlattenMap(fs.readFileSync(mapFile, "utf8"));
        } catch {
          map = null;
        }
      }
      this.maps.set(file, map);
    }
    return this.maps.get(file)!;
  }
}

/**
 * Self time per area over one or more profiles: each sample is charged to the function on top of
 * the stack at that moment, and that function's source (through the build's source maps) names
 * its area. Idle time is reported but left out of the shares, which are of CPU time.
 */
export function summariseProfiles(profiles: CpuProfile[], resolver = new SourceResolver()): ProfileShare[] {
  const msByArea = new Map<string, number>();
  for (const profile of profiles) {
    const areaByNode = new Map<number, string>();
    for (const node of profile.nodes) {
      const { functionName, url, lineNumber, columnNumber } = node.callFrame;
      const source = url ? resolver.resolve(url, lineNumber, columnNumber) : `(${functionName.replace(/[()]/g, "")})`;
      areaByNode.set(node.id, areaOf(source));
    }
    profile.samples.forEach((nodeId, i) => {
      const area = areaByNode.get(nodeId) ?? "other";
      msByArea.set(area, (msByArea.get(area) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
  }
  const idle = "idle (waiting on I/O)";
  const busy = [...msByArea].filter(([area]) => area !== idle).reduce((sum, [, ms]) => sum + ms, 0);
  return [...msByArea]
    .map(([area, ms]) => ({ area, ms, share: area === idle || busy === 0 ? 0 : ms / busy }))
    .sort((a, b) => b.ms - a.ms);
}

/** Reads every `.cpuprofile` in `dir` (one per process `node --cpu-prof` ran). */
export function readProfiles(dir: string): CpuProfile[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".cpuprofile"))
    .map((name) => JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as CpuProfile);
}

/**
 * `--profile` for a benchmark: Beacon runs under `node --cpu-prof` (the profile covers its start,
 * warm-up and measured load), and the database's commits are counted around the measured load,
 * so the report shows CPU by area and transactions per call.
 */
export class BenchProfile {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "beacon-bench-profile-"));

  /** Node's flags for `startBeacon` (not allowed in NODE_OPTIONS): one profile per process, on exit. */
  nodeArgs(): string[] {
    return ["--cpu-prof", `--cpu-prof-dir=${this.dir}`];
  }

  /** Prints CPU self time by area, largest first; call after Beacon has exited. */
  print(title: string, calls: number, transactions: number | null) {
    const shares = summariseProfiles(readProfiles(this.dir));
    printTable(
      `${title}: where Beacon's CPU went (self time, from ${this.dir})`,
      ["area", "CPU ms", "share of busy CPU"],
      shares.map((s) => [s.area, s.ms.toFixed(0), s.area.startsWith("idle") ? "-" : `${(s.share * 100).toFixed(1)} %`]),
    );
    if (transactions !== null)
      console.log(
        `\n${transactions.toLocaleString("en-US")} database transactions for ${calls.toLocaleString("en-US")} calls: ` +
          `${(transactions / Math.max(calls, 1)).toFixed(2)} per call (each a round trip at least).`,
      );
  }
}

/** Commits and rollbacks of the current database so far (the statistics lag by up to a second). */
export async function transactionCount(): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const { rows } = await ownerExecute<{ n: string }>(
    sql`select (xact_commit + xact_rollback)::text as n from pg_stat_database where datname = current_database()`,
  );
  return Number(rows[0]!.n);
}
