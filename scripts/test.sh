#!/usr/bin/env bash
# npm test: set up if needed, run the whole suite on PGlite, and again on PostgreSQL when
# DATABASE_URL is set. Ends with one plain "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-setup.sh test || exit 1
mkdir -p test-output
export NODE_ENV=test
status=0
reports=() # this run's reports only (a local Node-matrix run leaves others in test-output/)

run() { # label, env assignments... [-- extra vitest args]
  local label=$1; shift
  local vars=() extra=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do vars+=("$1"); shift; done
  [ "${1:-}" = -- ] && shift && extra=("$@")
  local report="$PWD/test-output/vitest-${label}.json"
  rm -f "$report"
  reports+=("$report")
  echo "=== test suite on ${label} ==="
  env "${vars[@]}" npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "${extra[@]}" ${VITEST_ARGS:-} || status=1
}

# Static checks first (they take ~1 min of CPU together): a failure fails the run, the suite still runs.
check() { # label, command...
  local label=$1; shift
  local start=$SECONDS
  echo "=== check: ${label} ==="
  if "$@"; then echo "check ${label}: ok ($((SECONDS - start)) s)"
  else echo "check ${label}: FAILED ($((SECONDS - start)) s): run \`$*\` and fix what it reports"; status=1; checks_failed+=("$label"); fi
}
checks_failed=()
if [ "${SKIP_CHECKS:-}" != 1 ]; then
  check typecheck npm run --silent typecheck
  check lint npm run --silent lint
  check format npm run --silent format:check
fi

run web-unit PUPERO_TEST_DB=pglite -- --root apps/web
run pglite PUPERO_TEST_DB=pglite
if [ -n "${DATABASE_URL:-}" ]; then
  # The browser flow and the raw chain checks do not touch the database layer: run them once.
  # Fault tests (*.fault.test.ts) start and stop a throw-away PostgreSQL cluster of their own
  # (initdb/pg_ctl of postgresql-15), whatever PUPERO_TEST_DB says: they ran in the pass above.
  run postgres PUPERO_TEST_DB=postgres DATABASE_URL="$DATABASE_URL" -- --exclude 'e2e/**' --exclude 'packages/monero/**' --exclude '**/*.fault.test.ts'
fi

[ ${#checks_failed[@]} -gt 0 ] && echo "static checks failed: ${checks_failed[*]} (see '=== check:' above)"
node scripts/summarise-tests.mjs "${reports[@]}" || status=1
exit $status
