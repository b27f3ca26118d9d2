import path from "node:path";
import { FIRST_LOAD_JS_BUDGET_KB, firstLoadJs } from "./bench/first-load-js";

// The first-load JS budget as a check on the production build in .next (scripts/test-all.sh runs
// it right after `next build`): exits 1, naming the pages, when any page is over. The full page
// bench (`npm run bench -- pages`) prints every page and measures paint times too.

const budgetBytes = FIRST_LOAD_JS_BUDGET_KB * 1000;
const routes = firstLoadJs(path.join(import.meta.dirname, "..", ".next"));
if (routes.length === 0) {
  console.error("page budget: the build has no App Router pages to measure");
  process.exit(1);
}
const kb = (bytes: number) => (bytes / 1000).toFixed(1);
const over = routes.filter((r) => r.gzipBytes > budgetBytes);
const largest = routes.reduce((a, b) => (b.gzipBytes > a.gzipBytes ? b : a));
if (over.length > 0) {
  for (const r of over)
    console.error(`over budget: ${r.route} ${kb(r.gzipBytes)} kB gzip (budget ${FIRST_LOAD_JS_BUDGET_KB} kB)`);
  process.exit(1);
}
console.log(
  `${routes.length} pages within ${FIRST_LOAD_JS_BUDGET_KB} kB gzip first-load JS; largest ${largest.route} ${kb(largest.gzipBytes)} kB`,
);
