#!/usr/bin/env bash
# Makes the stand-in for `node:20-slim` that the project's Dockerfiles start FROM, in
# buildah's store under the cache: no registry serves Docker Hub images here, so it is a
# Debian bookworm minbase root (debootstrap, from Debian's own archive) with this machine's
# Node 20 + npm, its CA bundle and an npm config pointing at it (so `npm ci` works inside
# the build). Tagged docker.io/library/node:20-slim, which is what `FROM node:20-slim`
# resolves to; built once, then reused.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

base_ref=docker.io/library/node:20-slim
require_commands buildah debootstrap node npm

if bah inspect --type image "$base_ref" >/dev/null 2>&1; then
  cluster_log "base image $base_ref present"
  exit 0
fi

node_version="$(node --version)"
[[ "$node_version" == v20.* ]] || cluster_die "the stand-in node:20-slim needs Node 20 on this machine (found $node_version)"
npm_dir="$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)"
ca_bundle=/etc/ssl/certs/ca-certificates.crt
[[ -f "$ca_bundle" ]] || cluster_die "no CA bundle at $ca_bundle"

mkdir -p "$cluster_cache"
rootfs="$(mktemp -d "$cluster_cache/.rootfs.XXXXXX")"
trap 'rm -rf "$rootfs"' EXIT
start=$SECONDS
cluster_log "debootstrap --variant=minbase bookworm (Debian archive) for the stand-in $base_ref"
debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$rootfs.log" 2>&1 ||
  cluster_die "debootstrap failed: $(tail -n 5 "$rootfs.log")"
rm -f "$rootfs.log"
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*

install -m 0755 "$(readlink -f "$(command -v node)")" "$rootfs/usr/local/bin/node"
mkdir -p "$rootfs/usr/local/lib/node_modules" "$rootfs/usr/local/etc"
cp -a "$npm_dir" "$rootfs/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
mkdir -p "$rootfs/etc/ssl/certs"
cp "$ca_bundle" "$rootfs/etc/ssl/certs/ca-certificates.crt"
printf 'cafile=/etc/ssl/certs/ca-certificates.crt\nfund=false\naudit=false\nupdate-notifier=false\n' >"$rootfs/usr/local/etc/npmrc"

container="$(bah from scratch)"
mount_point="$(bah mount "$container")"
cp -a "$rootfs/." "$mount_point/"
bah umount "$container" >/dev/null
bah config \
  --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env NODE_VERSION="${node_version#v}" \
  --env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
  --label org.opencontainers.image.description="stand-in for node:20-slim: debootstrap bookworm minbase + the host's Node $node_version" \
  --cmd node "$container"
bah commit --quiet --rm "$container" "$base_ref" >/dev/null
cluster_log "base image $base_ref built in $((SECONDS - start)) s"
