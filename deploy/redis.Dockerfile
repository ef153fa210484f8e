# Redis from Debian's own package: the gateways' shared per-address rate-limit counters. No
# persistence (a lost counter only resets a one-minute window); reachable only on the compose network.
# Build: docker build -f deploy/redis.Dockerfile -t pupero-redis deploy/redis
FROM debian:bookworm-slim
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null \
 && rm -rf /var/lib/apt/lists/*
COPY redis.conf /etc/redis/pupero.conf
USER redis
EXPOSE 6379
HEALTHCHECK --interval=3s --timeout=15s --retries=12 CMD ["redis-cli", "ping"]
CMD ["redis-server", "/etc/redis/pupero.conf"]
