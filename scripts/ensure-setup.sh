#!/usr/bin/env bash
# Makes a fresh Debian/Ubuntu checkout ready: Node version check, Debian packages, npm dependencies,
# the built web app. Usage: ensure-setup.sh <start|test>. Safe to run every time (fast when done).
set -euo pipefail
cd "$(dirname "$0")/.."
purpose=${1:-start}
say() { printf '\033[1m[pupero]\033[0m %s\n' "$*" >&2; }

node_major=$(node -p 'process.versions.node.split(".").map(Number).slice(0,2).join(".")' 2>/dev/null || echo 0)
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' 2>/dev/null; then
  say "Node.js >= 20.19 is needed (found ${node_major}). Install it (e.g. apt-get install nodejs from NodeSource, or nvm install 20) and run again."
  exit 1
fi

# Debian packages: monero for the local chain; chromium, oathtool and postgresql-15 only for the tests.
need=()
command -v monerod >/dev/null 2>&1 && command -v monero-wallet-rpc >/dev/null 2>&1 || need+=(monero)
if [ "$purpose" = test ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v oathtool >/dev/null 2>&1 || need+=(oathtool)
  # initdb + pg_ctl for the database fault tests (a throw-away cluster of their own).
  ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql-15)
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian packages: ${need[*]} (apt-get)"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    say "installing Debian packages: ${need[*]} (sudo apt-get)"
    sudo apt-get update -qq >/dev/null
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    say "missing Debian packages: ${need[*]}. Install them with: sudo apt-get install -y ${need[*]}"
    if [ "$purpose" = test ]; then exit 1; fi
    say "starting without the Monero chain (MONERO_MODE=disabled): accounts, offers and trades work; deposits and withdrawals do not."
  fi
fi

# npm dependencies: install when missing or when the lockfile changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# The web app is served as built assets: build when missing or older than its sources.
if [ -f apps/web/package.json ] && [ -f apps/web/vite.config.ts ]; then
  if [ ! -f apps/web/dist/index.html ] || [ -n "$(find apps/web/src apps/web/index.html apps/web/vite.config.ts -newer apps/web/dist/index.html -print -quit 2>/dev/null)" ]; then
    say "building the web app (vite build)"
    npm run build --silent -w apps/web >/dev/null
  fi
fi
