#!/usr/bin/env bash
# npm start: set up if needed, then run every service in one process (embedded PGlite, regtest chain).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-setup.sh start
if ! command -v monerod >/dev/null 2>&1; then export MONERO_MODE=${MONERO_MODE:-disabled}; fi
exec node --import tsx apps/stack/src/main.ts "$@"
