#!/usr/bin/env bash
# CI step: the Docker images and the compose stack, for real (called from .ci/run).
#   0. the README's Docker commands and the ones below are one list (fails on any drift)
#   1. a Docker engine (installs docker.io docker-compose debootstrap, starts dockerd if needed;
#      skipped with a clear message only where no engine can start)
#   2. stand-ins for the public base images (deploy/build-base-images.sh; skips existing tags)
#   3. the `regtest` profile built and started, every container healthy, then deploy/flow.ts through
#      127.0.0.1:8000 (lb → 2 gateways): the rate limit shared by both gateways (Redis), and one
#      replica of each stateless service stopped midway; the web page on :5000
#   4. the default (testnet) profile: hot wallet created, sync status reported, containers healthy,
#      the hot wallet opened after a restart
#   5. down, down -v
# Every Docker command comes from the README's Docker block, run verbatim by `readme '<command>'`
# (docker compose v2 when installed, else a `docker` shim that hands `docker compose ...` to Debian's
# docker-compose 1.29, which takes the same arguments). Every phase's time is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
T_START=$(date +%s)
declare -a TIMINGS=()
phase() { PHASE="$1"; PHASE_T0=$(date +%s); echo "--- docker: $1"; }
done_phase() { local s=$(( $(date +%s) - PHASE_T0 )); TIMINGS+=("$PHASE: ${s}s"); echo "    ($PHASE: ${s}s)"; }

# --- 0. The README's Docker block (between the docker-commands markers), one command a line,
# comments stripped. Every `readme '...'` below must be a line of it and every line of it must be
# run below: checked statically here (so a drift fails even where Docker is skipped) and at the end.
README_CMDS=$(awk '/<!-- docker-commands:start -->/{f=1;next} /<!-- docker-commands:end -->/{f=0} f' README.md \
  | grep -v '^```' | sed -E 's/[[:space:]]+#[^<>]*$//' | sed '/^[[:space:]]*$/d')
CI_CMDS=$(sed -nE "s/^[^#]*readme(_cmd|_retry)? '([^']+)'.*$/\2/p" "$0")
[ -n "$README_CMDS" ] || { echo "README.md has no Docker block between <!-- docker-commands:start --> and <!-- docker-commands:end -->"; exit 1; }
drift=$(diff <(sort -u <<<"$README_CMDS") <(sort -u <<<"$CI_CMDS") || true)
if [ -n "$drift" ]; then
  echo "README's Docker commands and deploy/ci-test.sh drifted (< only in README, > only in CI): make them one list again"
  echo "$drift"; exit 1
fi
echo "--- docker: README's Docker block and this script agree ($(wc -l <<<"$README_CMDS") commands)"
RAN_FILE=$(mktemp)
# readme_cmd '<command>': checks it is a line of the block, records it as run, prints it.
readme_cmd() {
  grep -Fxq -- "$1" <<<"$README_CMDS" || { echo "not a command of the README's Docker block: $1" >&2; return 1; }
  echo "$1" >>"$RAN_FILE"
  printf '%s\n' "$1"
}
# readme '<command>': runs it verbatim.
readme() { local c; c=$(readme_cmd "$1") || exit 1; echo "    \$ $c" >&2; eval "$c"; }
# readme_retry '<command>': the same, up to 3 times. For `up`: docker-compose 1.29 gives up the
# moment a dependency reports unhealthy (on a loaded machine a service can fail its first start, e.g.
# a database connect timeout, and restart); `up` again starts what is left.
readme_retry() {
  local attempt
  for attempt in 1 2 3; do
    readme "$1" && return 0
    echo "    (attempt $attempt: a dependency was not healthy in time)"
  done
  return 1
}
# Everything this script starts on the host runs nice'd (dockerd too, when started here): the
# machine may be shared.
renice -n 10 -p $$ >/dev/null

phase "engine"
if ! docker info >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then echo "SKIPPED: the Docker step needs root to install and start a Docker engine here"; exit 0; fi
  command -v dockerd >/dev/null && command -v docker-compose >/dev/null && command -v debootstrap >/dev/null \
    || apt-get install -y -qq docker.io docker-compose debootstrap >/dev/null \
    || { echo "SKIPPED: cannot install docker.io docker-compose debootstrap"; exit 0; }
  (nohup dockerd >/var/log/pupero-dockerd.log 2>&1 &)
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { echo "SKIPPED: no Docker engine can start on this machine:"; tail -5 /var/log/pupero-dockerd.log; exit 0; }
fi
command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null
# Compose v2 (the `docker compose` plugin) is in neither Debian bookworm nor the npm registry (see
# deploy/README.md); where it is missing, a shim first on PATH runs `docker compose` as docker-compose
# 1.29 (also for the commands deploy/flow.ts runs).
if ! docker compose version >/dev/null 2>&1; then
  command -v docker-compose >/dev/null || apt-get install -y -qq docker-compose >/dev/null
  SHIM=$(mktemp -d)
  printf '#!/bin/sh\nif [ "$1" = compose ]; then shift; exec docker-compose "$@"; fi\nexec %s "$@"\n' "$(command -v docker)" >"$SHIM/docker"
  chmod +x "$SHIM/docker"
  export PATH="$SHIM:$PATH"
fi
echo "    engine $(docker version --format '{{.Server.Version}}'), compose $(docker compose version --short 2>/dev/null || docker compose version | head -1)"
done_phase

# Failure diagnostics and the final clean-up (not user commands: both profiles at once, quiet).
DC=(docker compose -f deploy/compose.yaml --profile regtest --profile testnet)
dump_logs() { echo "--- docker: FAILED; last logs"; "${DC[@]}" ps || true; "${DC[@]}" logs --tail 40 || true; }
cleanup() { "${DC[@]}" down -v --remove-orphans >/dev/null 2>&1 || true; rm -f "$RAN_FILE"; }
trap 'status=$?; if [ $status != 0 ]; then dump_logs; fi; cleanup; exit $status' EXIT

# The env file with fresh secrets (kept if it exists: it holds the secrets of existing volumes).
readme 'npm run deploy:init'
# A low per-address limit, so the flow can show both gateways count it once (compose passes it on).
export RATE_LIMIT_PER_MINUTE=${RATE_LIMIT_PER_MINUTE:-120}

phase "base images"
readme 'bash deploy/build-base-images.sh'
done_phase

# Waits until every running container of the project is healthy (except those named in $2).
wait_healthy() {
  local timeout=$1 except=${2:-^$} end=$(( $(date +%s) + $1 ))
  while :; do
    local bad
    bad=$(docker ps -q --filter label=com.docker.compose.project=pupero | xargs -r docker inspect --format '{{.Name}} {{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' | grep -v ' healthy$' | grep -Ev "$except" || true)
    [ -z "$bad" ] && return 0
    if [ "$(date +%s)" -gt "$end" ]; then echo "not healthy after ${timeout}s:"; echo "$bad"; return 1; fi
    sleep 3
  done
}

phase "regtest build and up"
# The images are built here; the testnet `up --build` below reuses the layer cache.
readme_retry 'docker compose -f deploy/compose.yaml --profile regtest up -d --build'
wait_healthy 600
readme 'docker compose -f deploy/compose.yaml ps'
done_phase

phase "regtest flow"
# flow.ts runs the README's "stop one replica of each" command midway.
midway=$(readme_cmd 'docker compose -f deploy/compose.yaml stop gateway-2 web-2 login-2 offers-2 transactions-2')
FLOW_MIDWAY_COMMAND="$midway" node --import tsx deploy/flow.ts http://127.0.0.1:8000 http://127.0.0.1:5000
# (the generated password is not printed into CI's log)
readme 'docker compose -f deploy/compose.yaml exec -T login-1 node --import tsx apps/login/src/cli/admin.ts create alice </dev/null' | grep -v -i password
done_phase

phase "regtest down"
readme 'docker compose -f deploy/compose.yaml --profile regtest down -v'
done_phase

phase "testnet stack up"
readme_retry 'docker compose -f deploy/compose.yaml up -d --build'
# Everything healthy; the node itself syncs (it may have no peers at all in a sandbox).
wait_healthy 600
# (logs captured first: with pipefail, grep -q closing the pipe early would fail the pipeline)
wm_logs=$(readme 'docker compose -f deploy/compose.yaml logs wallet-manager'); grep -q '"hot wallet created"' <<<"$wm_logs" || { echo "the testnet hot wallet was not created"; exit 1; }
status=$(readme 'curl -fsS http://127.0.0.1:8000/wallet/sync')
echo "    GET /wallet/sync: $status"
grep -q '"network":"testnet"' <<<"$status" || { echo "the API did not report the testnet sync status"; exit 1; }
curl -fsS http://127.0.0.1:5000/ | grep -q '<div id="root"' || { echo "the web app on :5000 did not answer"; exit 1; }
# The web page itself shows the sync progress bar (rendered by Debian's chromium, as the e2e tests use).
if command -v chromium >/dev/null; then
  dom=$(timeout 90 chromium --headless --no-sandbox --disable-gpu --virtual-time-budget=20000 --dump-dom http://127.0.0.1:5000/ 2>/dev/null || true)
  grep -q 'data-testid="sync-banner"' <<<"$dom" || { echo "the web page shows no sync progress bar"; echo "$dom" | head -c 2000; exit 1; }
  echo "    web page: $(echo "$dom" | grep -o 'class="syncbar-label">[^<]*' | head -1 | cut -d'>' -f2)"
else
  echo "    (chromium missing: the web page's sync bar was not checked)"
fi
# Opened (not created again) on the next start.
readme 'docker compose -f deploy/compose.yaml restart wallet-manager'
wait_healthy 300
wm_logs=$(readme 'docker compose -f deploy/compose.yaml logs wallet-manager'); grep -q '"hot wallet opened"' <<<"$wm_logs" || { echo "the testnet hot wallet was not opened after a restart"; exit 1; }
done_phase

phase "testnet down"
readme 'docker compose -f deploy/compose.yaml down'
readme 'docker compose -f deploy/compose.yaml down -v'
done_phase

# Every command of the README's block was run.
missing=$(grep -Fxv -f "$RAN_FILE" <<<"$README_CMDS" || true)
[ -z "$missing" ] || { echo "README's Docker commands CI did not run:"; echo "$missing"; exit 1; }
trap - EXIT
rm -f "$RAN_FILE"

echo "--- docker: all phases passed in $(( $(date +%s) - T_START ))s"
printf '    %s\n' "${TIMINGS[@]}"
