#!/usr/bin/env bash
# CI step: the Docker images and the compose stack, for real (called from .ci/run).
#   1. a Docker engine (installs docker.io docker-compose debootstrap, starts dockerd if needed;
#      skipped with a clear message only where no engine can start)
#   2. stand-ins for the public base images (deploy/build-base-images.sh; skips existing tags)
#   3. the project's images from deploy/Dockerfile and deploy/monero.Dockerfile, as users build them
#   4. the `regtest` profile: every container healthy, then deploy/flow.ts through 127.0.0.1:8000,
#      stopping one replica of each stateless service midway; the web page on :5000
#   5. the default (testnet) profile: hot wallet created, sync status reported, containers healthy
#   6. down -v
# Every phase's time is printed. Runs the README's Docker commands (docker compose v2 when installed,
# else Debian's docker-compose 1.29, which takes the same arguments).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
T_START=$(date +%s)
declare -a TIMINGS=()
phase() { PHASE="$1"; PHASE_T0=$(date +%s); echo "--- docker: $1"; }
done_phase() { local s=$(( $(date +%s) - PHASE_T0 )); TIMINGS+=("$PHASE: ${s}s"); echo "    ($PHASE: ${s}s)"; }

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
command -v docker-compose >/dev/null || docker compose version >/dev/null 2>&1 || apt-get install -y -qq docker-compose >/dev/null
if docker compose version >/dev/null 2>&1; then COMPOSE=(docker compose); else COMPOSE=(docker-compose); fi
DC=("${COMPOSE[@]}" -f deploy/compose.yaml)
echo "    engine $(docker version --format '{{.Server.Version}}'), compose: ${COMPOSE[*]}"
done_phase

dump_logs() { echo "--- docker: FAILED; last logs"; "${DC[@]}" --profile regtest --profile testnet ps || true; "${DC[@]}" --profile regtest --profile testnet logs --tail 40 || true; }
cleanup() { "${DC[@]}" --profile regtest --profile testnet down -v --remove-orphans >/dev/null 2>&1 || true; }
trap 'status=$?; if [ $status != 0 ]; then dump_logs; fi; cleanup; exit $status' EXIT

# The env file with fresh secrets (kept if it exists: it holds the secrets of existing volumes).
npm run --silent deploy:init

phase "base images"
nice -n 10 bash deploy/build-base-images.sh
done_phase

phase "project images"
nice -n 10 "${DC[@]}" --profile regtest --profile testnet build
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

phase "regtest stack up"
"${DC[@]}" --profile regtest up -d --build
wait_healthy 600
done_phase

phase "regtest flow"
curl -fsS http://127.0.0.1:5000/ | grep -q '<div id="root"' || { echo "the web app on :5000 did not answer with its page"; exit 1; }
FLOW_MIDWAY_COMMAND="${DC[*]} stop login-2 offers-2 transactions-2" node --import tsx deploy/flow.ts http://127.0.0.1:8000
"${DC[@]}" exec -T login-1 node --import tsx apps/login/src/cli/admin.ts create ciadmin </dev/null | grep -v -i password
done_phase

phase "regtest down"
"${DC[@]}" --profile regtest down -v
done_phase

phase "testnet stack up"
"${DC[@]}" up -d --build
# Everything healthy; the node itself syncs (it may have no peers at all in a sandbox).
wait_healthy 600
# (logs captured first: with pipefail, grep -q closing the pipe early would fail the pipeline)
wm_logs=$("${DC[@]}" logs wallet-manager); grep -q '"hot wallet created"' <<<"$wm_logs" || { echo "the testnet hot wallet was not created"; exit 1; }
status=$(curl -fsS http://127.0.0.1:8000/wallet/sync)
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
"${DC[@]}" restart wallet-manager
wait_healthy 300
wm_logs=$("${DC[@]}" logs wallet-manager); grep -q '"hot wallet opened"' <<<"$wm_logs" || { echo "the testnet hot wallet was not opened after a restart"; exit 1; }
done_phase

phase "testnet down"
"${DC[@]}" down -v
done_phase
trap - EXIT

echo "--- docker: all phases passed in $(( $(date +%s) - T_START ))s"
printf '    %s\n' "${TIMINGS[@]}"
