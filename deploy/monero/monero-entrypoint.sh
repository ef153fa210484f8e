#!/usr/bin/env bash
# Roles:  daemon       monerod on $MONERO_NETWORK (testnet | stagenet | regtest), RPC on :18081
#         wallet-rpc   monero-wallet-rpc for the wallets in /wallets, RPC on :18083 with the digest
#                      login $MONERO_RPC_USERNAME:$MONERO_RPC_PASSWORD (required)
#         health-daemon | health-wallet   the container healthchecks
# A regtest daemon keeps its chain across restarts (--keep-fakechain) with difficulty 1, so the
# wallet manager's auto-miner and dev faucet make blocks instantly.
set -euo pipefail
network=${MONERO_NETWORK:-testnet}
daemon_host=${MONERO_DAEMON_HOST:-monerod}
net_flag() { case "$network" in testnet) echo --testnet ;; stagenet) echo --stagenet ;; regtest|mainnet) ;; *) echo "unknown MONERO_NETWORK=$network" >&2; exit 2 ;; esac; }
rpc() { curl -fsS --max-time 5 "$@" -H 'content-type: application/json'; }
case "${1:-daemon}" in
  daemon)
    shift || true
    if [ "$network" = regtest ]; then
      set -- --regtest --keep-fakechain --fixed-difficulty 1 --offline "$@"
    else
      set -- $(net_flag) --prune-blockchain --out-peers "${MONERO_OUT_PEERS:-16}" "$@"
    fi
    exec monerod "$@" --data-dir /data --non-interactive --no-igd --no-zmq --check-updates disabled \
      --rpc-bind-ip 0.0.0.0 --rpc-bind-port 18081 --confirm-external-bind --rpc-ssl disabled \
      --log-level "${MONERO_LOG_LEVEL:-0}" --max-log-file-size 10000000 --max-log-files 2 --log-file /data/monerod.log ;;
  wallet-rpc)
    shift || true
    : "${MONERO_RPC_USERNAME:?set MONERO_RPC_USERNAME}" "${MONERO_RPC_PASSWORD:?set MONERO_RPC_PASSWORD}"
    mkdir -p /wallets/ringdb
    exec monero-wallet-rpc $(net_flag) "$@" --daemon-address "$daemon_host:18081" --trusted-daemon --daemon-ssl disabled \
      --rpc-bind-ip 0.0.0.0 --rpc-bind-port 18083 --confirm-external-bind --rpc-ssl disabled \
      --rpc-login "$MONERO_RPC_USERNAME:$MONERO_RPC_PASSWORD" --wallet-dir /wallets --shared-ringdb-dir /wallets/ringdb \
      --no-dns --non-interactive --log-file /wallets/wallet-rpc.log --log-level 0 --max-log-file-size 10000000 --max-log-files 2 ;;
  health-daemon)
    rpc http://127.0.0.1:18081/get_height | grep -q '"height"' ;;
  health-wallet)
    rpc --digest -u "$MONERO_RPC_USERNAME:$MONERO_RPC_PASSWORD" http://127.0.0.1:18083/json_rpc \
      -d '{"jsonrpc":"2.0","id":0,"method":"get_version"}' | grep -q '"version"' ;;
  *) exec "$@" ;;
esac
