#!/usr/bin/env bash
# The container HEALTHCHECK of the Pupero image: GET /readyz of the service this container runs.
# Plain bash over /dev/tcp: no curl in the image, and no node process per check (one costs ~0.3 s of
# CPU; with a dozen containers checked every 5 s on a 2-core machine, the checks starved the services
# and timed out). The service is read from PID 1's command line (the image's command), its port
# from the same variables the service reads.
set -u
case " $(tr '\0' ' ' </proc/1/cmdline) " in
  *" login "*) port=${LOGIN_PORT:-8001} ;;
  *" offers "*) port=${OFFERS_PORT:-8002} ;;
  *" transactions "*) port=${TRANSACTIONS_PORT:-8003} ;;
  *" wallet-manager "*) port=${WALLET_PORT:-8004} ;;
  *" web "*) port=${WEB_PORT:-5000} ;;
  *) port=${GATEWAY_PORT:-8000} ;; # gateway, or all parts in one process
esac
exec 3<>"/dev/tcp/127.0.0.1/$port" || { echo "/readyz unreachable on port $port"; exit 1; }
printf 'GET /readyz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
read -r -t 4 status <&3 || { echo "no answer from /readyz on port $port in 4 s"; exit 1; }
case "$status" in *" 200 "*) exit 0 ;; esac
echo "/readyz on port $port answered: $status"
exit 1
