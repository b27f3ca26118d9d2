/**
 * The layout's rules, checked in CI (`npm run lint:boundaries`): layers point down, a capability is
 * reached from outside only through its public entries, and nothing in lib/ reaches up into the
 * edges. ARCHITECTURE.md (docs/architecture.md) explains each rule. Known violations that predate
 * the check are listed in .dependency-cruiser-known-violations.json and only ever shrink:
 * `npm run lint:boundaries` fails on any new one.
 */
// What another capability may import: its server entry (index.ts, or a sub-folder's index.ts such
// as lib/ops/commands or lib/auth/authjs), its Next.js adapters (next.ts), the proxy's entry
// (proxy.ts: no logger, no database) and its client-safe rules and options (rules.ts, options.ts,
// and <topic>-rules.ts for rule sets split off so a page carries only the rules it checks), which
// pages and forms share with the server. lib/client holds no behaviour: it is the browser's side of
// the HTTP contract (fetch, hooks), and each of its files is an entry so a page pulls only the
// hook it uses.
const PUBLIC_ENTRY = [
  "^lib/[^/]+/(index|next|proxy|rules|options)\\.tsx?$",
  "^lib/[^/]+/[^/]+/index\\.tsx?$",
  "^lib/[^/]+/[a-z-]+-rules\\.tsx?$",
  "^lib/client/[^/]+\\.tsx?$",
];

module.exports = {
  forbidden: [
    {
      name: "capability-internals",
      comment:
        "Another capability's inner file: import it through that capability's index.ts (or rules.ts/next.ts/options.ts).",
      severity: "error",
      from: { path: "^lib/([^/]+)/" },
      to: { path: "^lib/[^/]+/", pathNot: ["^lib/$1/", ...PUBLIC_ENTRY] },
    },
    {
      name: "edge-reaches-internals",
      comment:
        "Routes, pages, components, Inngest functions, scripts and tests reach lib through a capability's public entries.",
      severity: "error",
      // Benchmark baselines (scripts/bench) are not edges of the app: they bypass Beacon's layers on
      // purpose and borrow only its pure helpers, so the app's cost can be measured against them.
      from: {
        path: "^(app|components|inngest|scripts|db|proxy\\.ts|instrumentation)",
        pathNot: ["\\.test\\.tsx?$", "^scripts/bench/"],
      },
      to: { path: "^lib/[^/]+/", pathNot: PUBLIC_ENTRY },
    },
    {
      name: "lib-reaches-up",
      comment:
        "lib/ holds behaviour for every edge: it never imports a route, page, component or Inngest function (its tests may drive them).",
      severity: "error",
      from: { path: "^lib/", pathNot: "\\.test\\.tsx?$" },
      to: { path: "^(app|components|inngest/functions)/" },
    },
    {
      name: "db-reaches-up",
      comment:
        "db/ (schema, client, tenancy) sits under lib/: it uses only the foundations (settings, logging, the one error type). Seeding and boot are edges.",
      severity: "error",
      from: { path: "^db/", pathNot: ["\\.test\\.ts$", "^db/(seed|seed-demo-activity|boot)\\.ts$"] },
      to: {
        path: "^(lib|app|components|inngest)/",
        pathNot: "^lib/(env\\.ts|observability/index\\.ts|http/index\\.ts)$",
      },
    },
    {
      name: "no-module-cycles",
      comment: "A cycle of imports between modules.",
      severity: "error",
      from: { path: "^(lib|db|app|components|inngest)/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|\\.next|db/migrations)" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
