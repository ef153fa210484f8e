# Monero from Debian's own package (monerod, monero-wallet-rpc): the node, the hot wallet's
# wallet-rpc, and the regtest chain of the `regtest` profile. The entrypoint builds each role's
# flags once (third-party images add flags in their entrypoints too, and monerod exits when one is
# given twice: compose passes only the role).
# Build: docker build -f deploy/monero.Dockerfile -t pupero-monero deploy/monero
FROM debian:bookworm-slim
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends monero curl ca-certificates >/dev/null \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10002 --create-home --home-dir /home/monero monero \
 && mkdir -p /data /wallets && chown monero /data /wallets
COPY monero-entrypoint.sh /usr/local/bin/monero-entrypoint
USER monero
VOLUME /data /wallets
EXPOSE 18081 18083
ENTRYPOINT ["monero-entrypoint"]
CMD ["daemon"]
