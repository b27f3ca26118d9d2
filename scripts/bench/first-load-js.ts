import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import zlib from "node:zlib";

/** SPEC.md quality bar, held by every page: first-load JS within 150 kB gzip (kB = 1000 bytes). */
export const FIRST_LOAD_JS_BUDGET_KB = 150;

export interface RouteJs {
  route: string;
  files: string[];
  bytes: number;
  gzipBytes: number;
}

/**
 * First-load JS per App Router page from a production build, counted as `next build` used to:
 * the scripts every page loads (build-manifest.json `rootMainFiles`) plus the client chunks of the
 * page's segments, its layouts and the page itself (`entryJSFiles` of its client reference
 * manifest). Gzip sizes are computed here with zlib at level 9, per file, as served.
 */
export function firstLoadJs(distDir: string): RouteJs[] {
  const buildManifest = JSON.parse(fs.readFileSync(path.join(distDir, "build-manifest.json"), "utf8")) as {
    rootMainFiles?: string[];
  };
  const shared = buildManifest.rootMainFiles ?? [];
  const gzipCache = new Map<string, { bytes: number; gzipBytes: number }>();
  const measure = (file: string) => {
    let sizes = gzipCache.get(file);
    if (!sizes) {
      const content = fs.readFileSync(path.join(distDir, file));
      sizes = { bytes: content.length, gzipBytes: zlib.gzipSync(content, { level: 9 }).length };
      gzipCache.set(file, sizes);
    }
    return sizes;
  };
  return clientReferenceManifests(path.join(distDir, "server", "app"))
    .map(({ page, entryJSFiles }) => {
      const files = [...new Set([...shared, ...Object.values(entryJSFiles).flat()])].filter((f) => f.endsWith(".js"));
      const totals = files
        .map(measure)
        .reduce((a, b) => ({ bytes: a.bytes + b.bytes, gzipBytes: a.gzipBytes + b.gzipBytes }), {
          bytes: 0,
          gzipBytes: 0,
        });
      return { route: routeOf(page), files, ...totals };
    })
    .sort((a, b) => a.route.localeCompare(b.route));
}

/** `/(app)/onboarding/page` → `/onboarding`; `/admin/ops/jobs/[id]/page` → `/admin/ops/jobs/[id]`. */
export function routeOf(page: string) {
  const segments = page.split("/").filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith("@"));
  segments.pop(); // "page"
  return `/${segments.join("/")}`;
}

function clientReferenceManifests(appDir: string) {
  const found: { page: string; entryJSFiles: Record<string, string[]> }[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "page_client-reference-manifest.js") {
        // The manifest is a script assigning globalThis.__RSC_MANIFEST[page]; run it in a bare context.
        const context = {
          globalThis: {} as { __RSC_MANIFEST?: Record<string, { entryJSFiles?: Record<string, string[]> }> },
        };
        vm.runInNewContext(fs.readFileSync(full, "utf8"), context);
        for (const [page, manifest] of Object.entries(context.globalThis.__RSC_MANIFEST ?? {}))
          found.push({ page, entryJSFiles: manifest.entryJSFiles ?? {} });
      }
    }
  };
  if (!fs.existsSync(appDir)) throw new Error(`${appDir} is missing: not an App Router production build`);
  walk(appDir);
  return found;
}
