#!/usr/bin/env bash
# Every test suite: unit + integration (vitest, on PGlite and, with DATABASE_URL, on PostgreSQL),
# with DATABASE_URL the resilience suite (faults under load; needs REDIS_URL too), the production
# build and the core-loop journey on `npm run dev` (both beside those suites) and then the browser
# journeys (Playwright on Chromium).
# Installs nothing: when something is missing it says how to get it.
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 NO_COLOR=1

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ] && [ ! -x /usr/lib/chromium/chromium ]; then
  echo "Chromium not found at $chromium. Install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROMIUM_PATH." >&2
  exit 1
fi
if [ ! -d node_modules ]; then
  echo "Dependencies are missing: run npm install first." >&2
  exit 1
fi

export TOTALS_FILE="$(mktemp)"
status=0

# The production build runs beside the test suites at low priority: they leave a core partly idle
# (waiting on PostgreSQL, Redis, timers) and the build fills it. The journeys wait for it below.
echo "== production build, in the background == (at ${SECONDS} s)"
nice -n 15 node_modules/.bin/next build > .next-build.log 2>&1 &
build_pid=$!

# The core loop on the README's run command (`npm run dev`, embedded database, no services, no
# keys): mostly waiting for the demo feed, so it runs beside the suites too, in a copy of the tree
# made of hard links (a second or two): `next dev` and `next build` each rewrite next-env.d.ts
# (Next.js 16 points it at .next/dev/types or .next/types), and a dev server that sees it change
# mid-journey re-evaluates its server modules, which Turbopack has been seen to panic on. The
# copy leaves out what either writes; tsconfig.json is a real copy, since `next dev` may edit it.
echo "== the core loop on npm run dev (playwright.dev.config.ts), in the background == (at ${SECONDS} s)"
dev_tree="$(mktemp -d)/beacon"
mkdir -p "$dev_tree"
for entry in $(ls -A | grep -vxE '\.next|\.git|\.data|test-results|playwright-report|next-env\.d\.ts|tsconfig\.json|\.next-build\.log|\.dev-loop\.log'); do
  cp -al "$entry" "$dev_tree/"
done
cp tsconfig.json "$dev_tree/"
(cd "$dev_tree" && exec node_modules/.bin/playwright test -c playwright.dev.config.ts) > .dev-loop.log 2>&1 &
dev_loop_pid=$!

echo "== unit and integration tests (vitest) == (at ${SECONDS} s)"
node_modules/.bin/vitest run || status=1

if [ -n "${DATABASE_URL:-}" ]; then
  if [ -n "${REDIS_URL:-}" ]; then
    echo "== resilience: faults under load (vitest.resilience.config.ts) == (at ${SECONDS} s)"
    node_modules/.bin/vitest run -c vitest.resilience.config.ts || status=1
  else
    echo "The resilience suite needs REDIS_URL as well as DATABASE_URL (e.g. REDIS_URL=redis://127.0.0.1:6379)." >&2
    echo "resilience 0 1 0" >> "$TOTALS_FILE"
    status=1
  fi
fi

echo "== the core loop on npm run dev: waiting for it == (at ${SECONDS} s)"
if wait "$dev_loop_pid"; then
  grep -v '^\[WebServer\]' .dev-loop.log | tail -4
else
  # Its server's log too: the journey's failure alone rarely says why the server did not answer.
  cat .dev-loop.log
  status=1
fi
rm -f .dev-loop.log
rm -rf "$(dirname "$dev_tree")"

echo "== production build: waiting for it == (at ${SECONDS} s)"
if ! wait "$build_pid"; then
  # The whole log: Turbopack prints its warnings after the error, so a tail can miss the cause.
  cat .next-build.log
  echo "build 0 1 0" >> "$TOTALS_FILE"
  status=1
else
  tail -3 .next-build.log
  echo "== first-load JS budget == (at ${SECONDS} s)"
  if node_modules/.bin/tsx scripts/page-budget.ts; then
    echo "budget 1 0 0" >> "$TOTALS_FILE"
  else
    echo "budget 0 1 0" >> "$TOTALS_FILE"
    status=1
  fi
  echo "== browser journeys (playwright) == (at ${SECONDS} s)"
  e2e_db=""
  export E2E_AUTH_SECRET="$(node -e 'console.log(require("crypto").randomBytes(32).toString("hex"))')"
  export E2E_METRICS_TOKEN="$(node -e 'console.log(require("crypto").randomBytes(16).toString("hex"))')"
  if [ -n "${DATABASE_URL:-}" ]; then
    e2e_db="beacon_e2e_$(date +%s)_$$"
    E2E_DATABASE_URL="$(node_modules/.bin/tsx scripts/e2e-database.ts create "$e2e_db")" || status=1
    export E2E_DATABASE_URL
  else
    export E2E_PGLITE_DIR=".data/e2e-$$/pglite"
  fi
  node_modules/.bin/playwright test || status=1
  if [ -n "$e2e_db" ]; then node_modules/.bin/tsx scripts/e2e-database.ts drop "$e2e_db" || true; fi
  if [ -n "${E2E_PGLITE_DIR:-}" ]; then rm -rf ".data/e2e-$$"; fi
fi
rm -f .next-build.log

read -r passed failed skipped < <(awk '{p+=$2; f+=$3; s+=$4} END {print p+0, f+0, s+0}' "$TOTALS_FILE")
rm -f "$TOTALS_FILE"
[ "$failed" -gt 0 ] && status=1
echo
if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
exit $status
