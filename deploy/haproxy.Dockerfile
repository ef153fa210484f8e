# The load balancer in front of the gateway and web replicas: HAProxy from Debian's own package
# (no registry image needed), its config baked in from deploy/haproxy/. Publishes :8000 and :5000.
# Build: docker build -f deploy/haproxy.Dockerfile -t pupero-haproxy deploy/haproxy
FROM debian:bookworm-slim
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends haproxy curl ca-certificates >/dev/null \
 && rm -rf /var/lib/apt/lists/*
COPY haproxy.cfg /etc/haproxy/haproxy.cfg
RUN haproxy -c -q -f /etc/haproxy/haproxy.cfg
USER haproxy
EXPOSE 8000 5000
# Healthy while it reaches a ready gateway and a ready web replica.
HEALTHCHECK --interval=5s --timeout=15s --retries=12 \
  CMD curl -fsS -o /dev/null http://127.0.0.1:8000/readyz && curl -fsS -o /dev/null http://127.0.0.1:5000/readyz
# -W: master-worker; -db: stay in the foreground, logs on stdout.
CMD ["haproxy", "-W", "-db", "-f", "/etc/haproxy/haproxy.cfg"]
