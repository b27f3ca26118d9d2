import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { TraceMap, originalPositionFor, AnyMap } from "@jridgewell/trace-mapping";
const p = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const maps = new Map<string, any>();
function mapOf(url: string) {
  if (maps.has(url)) return maps.get(url);
  let m = null;
  try { const f = url.startsWith("file://") ? fileURLToPath(url) : url; if (fs.existsSync(f + ".map")) m = new AnyMap(JSON.parse(fs.readFileSync(f + ".map", "utf8"))); } catch {}
  maps.set(url, m); return m;
}
const self = new Map<number, number>();
p.samples.forEach((id: number, i: number) => self.set(id, (self.get(id) ?? 0) + p.timeDeltas[i]));
const agg = new Map<string, number>();
for (const n of p.nodes) {
  const t = self.get(n.id); if (!t) continue;
  const cf = n.callFrame; let key = `${cf.functionName} ${cf.url.replace(/.*node_modules\//, "nm/")}`;
  const m = cf.url ? mapOf(cf.url) : null;
  if (m) { const o = originalPositionFor(m, { line: cf.lineNumber + 1, column: cf.columnNumber }); if (o.source) key = `${o.name ?? cf.functionName} ${o.source.replace(/.*node_modules\//, "nm/").replace(/^.*\/work\/main\//, "")}:${o.line}`; }
  agg.set(key, (agg.get(key) ?? 0) + t);
}
for (const [k, t] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[3] ?? 50))) console.log(String(Math.round(t / 1000)).padStart(6), k);
