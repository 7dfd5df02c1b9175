# Shared by tools/cluster's scripts (sourced, not run): the cache layout and a buildah
# that needs no container engine, no registry and no privileges beyond root.
# shellcheck shell=bash

cluster_log() { printf 'cluster: %s\n' "$*" >&2; }
cluster_die() {
  cluster_log "error: $*"
  exit 1
}

cluster_cache="${XDG_CACHE_HOME:-$HOME/.cache}/agent-registry/cluster"
images_dir="$cluster_cache/images"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"

# vfs storage (no overlay-in-overlay, no fuse) and chroot isolation (no user namespaces
# or cgroup setup of its own): what works as root on a machine without a container engine.
export STORAGE_DRIVER=vfs BUILDAH_ISOLATION=chroot BUILDAH_FORMAT=oci
bah() {
  buildah --root "$cluster_cache/containers/storage" --runroot "$cluster_cache/containers/run" "$@"
}

require_commands() {
  local missing=() name
  for name in "$@"; do
    command -v "$name" >/dev/null 2>&1 || missing+=("$name")
  done
  ((${#missing[@]} == 0)) || cluster_die "missing commands: ${missing[*]} (Debian: apt-get install containerd runc containernetworking-plugins buildah debootstrap iptables)"
}
