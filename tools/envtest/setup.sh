#!/usr/bin/env bash
# Makes kube-apiserver, etcd and a matching kubectl available for the
# integration tests and prints the directory holding them as the LAST line of
# stdout. Everything else goes to stderr.
#
# With --node it also builds the node components of tools/cluster's single-node
# cluster (kubelet, kube-scheduler, kube-controller-manager, kube-proxy from the
# same k8s.io/kubernetes module, and CoreDNS from ./coredns) into a directory of
# their own, ${XDG_CACHE_HOME:-$HOME/.cache}/agent-registry/envtest/<k8s version>-node/,
# and prints that directory as the last line instead.
#
# Resolution order (same rules as tools/testing/src/binaries.ts):
#   1. TEST_ASSET_KUBE_APISERVER / TEST_ASSET_ETCD / TEST_ASSET_KUBECTL
#      (path of one binary each; override the directory below per binary)
#   2. KUBEBUILDER_ASSETS (a directory containing all three binaries)
#   3. the cache ${XDG_CACHE_HOME:-$HOME/.cache}/agent-registry/envtest/<k8s version>/,
#      built from source with `go build` from this wrapper module when missing.
#
# Explicitly configured paths are never built: if they do not exist the script
# fails. Why build from source? There is no kube-apiserver in apt or npm, and
# Debian's etcd-server (3.4.x) is too old for kube-apiserver 1.34, which is
# built against the etcd 3.6 client; so etcd 3.6.4 is built from its Go module
# (go.etcd.io/etcd/server/v3) alongside k8s.io/kubernetes.
set -euo pipefail

with_node=0
for arg in "$@"; do
  case "$arg" in
  --node) with_node=1 ;;
  *)
    printf 'envtest: error: unknown argument %s (usage: setup.sh [--node])\n' "$arg" >&2
    exit 2
    ;;
  esac
done

log() { printf 'envtest: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module_dir="$script_dir"

k8s_version="$(awk '$1 == "k8s.io/kubernetes" && $2 ~ /^v/ { print $2; exit }' "$module_dir/go.mod")"
etcd_version="$(awk '$1 == "go.etcd.io/etcd/server/v3" && $2 ~ /^v/ { print $2; exit }' "$module_dir/go.mod")"
[[ -n "$k8s_version" ]] || die "could not read the k8s.io/kubernetes version from $module_dir/go.mod"

cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/agent-registry/envtest"
cache_dir="$cache_root/$k8s_version"
binaries=(kube-apiserver etcd kubectl)
node_cache_dir="$cache_root/$k8s_version-node"
node_binaries=(kubelet kube-scheduler kube-controller-manager kube-proxy coredns)

have_all() {
  local dir="$1" name
  shift
  local names=("$@")
  ((${#names[@]})) || names=("${binaries[@]}")
  for name in "${names[@]}"; do
    [[ -x "$dir/$name" ]] || return 1
  done
}

# -X flags stamping the version like Kubernetes' hack/lib/version.sh does (a plain
# `go build` reports v0.0.0-master); only the link step depends on them.
version_ldflags() {
  local major minor flags="" pkg
  major="$(cut -d. -f1 <<<"${k8s_version#v}")"
  minor="$(cut -d. -f2 <<<"$k8s_version")"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  printf '%s' "$flags"
}

# Publish atomically: a directory rename never exposes a half-written cache.
publish() {
  local tmp="$1" dir="$2"
  if [[ -e "$dir" ]]; then
    rm -rf "$dir.old"
    mv "$dir" "$dir.old"
  fi
  mv -T "$tmp" "$dir"
  rm -rf "$dir.old"
}

build_node_into_cache() {
  command -v go >/dev/null 2>&1 || die "go is not installed; the cluster's node components are built with Go >= 1.24"
  mkdir -p "$cache_root"
  exec 8>"$cache_root/.lock-node"
  if command -v flock >/dev/null 2>&1; then
    flock 8
  fi
  if have_all "$node_cache_dir" "${node_binaries[@]}"; then
    return 0
  fi
  local tmp coredns_version
  tmp="$(mktemp -d "$cache_root/.build-$k8s_version-node.XXXXXX")"
  chmod 755 "$tmp"
  # shellcheck disable=SC2064 # expand $tmp now
  trap "rm -rf '$tmp'" EXIT
  coredns_version="$(awk '$1 == "require" && $2 == "github.com/coredns/coredns" { print $3; exit } $1 == "github.com/coredns/coredns" { print $2; exit }' "$module_dir/coredns/go.mod")"
  log "building kubelet, kube-scheduler, kube-controller-manager, kube-proxy $k8s_version and CoreDNS $coredns_version"
  log "about 2 min on 2 cores once the kube-apiserver build has warmed Go's build cache (cold: add the apiserver's time)"
  local start=$SECONDS
  (
    cd "$module_dir"
    GOFLAGS="${GOFLAGS:-} -mod=readonly -buildvcs=false" go build -trimpath -ldflags="-s -w $(version_ldflags)" -o "$tmp/" \
      k8s.io/kubernetes/cmd/kubelet \
      k8s.io/kubernetes/cmd/kube-scheduler \
      k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kube-proxy
    cd "$module_dir/coredns"
    GOFLAGS="${GOFLAGS:-} -mod=readonly -buildvcs=false" go build -trimpath -ldflags="-s -w" -o "$tmp/coredns" .
  ) >&2
  have_all "$tmp" "${node_binaries[@]}" || die "go build did not produce ${node_binaries[*]} in $tmp"
  "$tmp/kubelet" --version >&2
  "$tmp/coredns" -version | sed -n 1p >&2
  log "node components built in $((SECONDS - start)) s"
  publish "$tmp" "$node_cache_dir"
  trap - EXIT
}

build_into_cache() {
  command -v go >/dev/null 2>&1 || die "go is not installed; install Go >= 1.24 or set KUBEBUILDER_ASSETS to a directory with kube-apiserver, etcd and kubectl"
  mkdir -p "$cache_root"

  # Serialise concurrent setups (e.g. parallel CI jobs sharing a cache).
  exec 9>"$cache_root/.lock"
  if command -v flock >/dev/null 2>&1; then
    flock 9
  fi
  if have_all "$cache_dir"; then
    return 0
  fi

  local tmp
  tmp="$(mktemp -d "$cache_root/.build-$k8s_version.XXXXXX")"
  chmod 755 "$tmp"
  # shellcheck disable=SC2064 # expand $tmp now
  trap "rm -rf '$tmp'" EXIT

  log "building kube-apiserver + kubectl $k8s_version and etcd $etcd_version with $(go version | awk '{print $3}')"
  log "a cold build takes ~4-6 min on 2 cores and ~3 GB of Go module + build cache (measured: 3m22s-5m20s)"
  local start=$SECONDS
  (
    cd "$module_dir"
    # -mod=readonly: never rewrite go.mod/go.sum in the repository.
    GOFLAGS="${GOFLAGS:-} -mod=readonly -buildvcs=false" go build -trimpath -ldflags="-s -w $(version_ldflags)" -o "$tmp/" \
      k8s.io/kubernetes/cmd/kube-apiserver \
      k8s.io/kubernetes/cmd/kubectl \
      go.etcd.io/etcd/server/v3
  ) >&2
  # `go build` names the etcd binary after the last non-major-version path element.
  if [[ -x "$tmp/server" ]]; then
    mv "$tmp/server" "$tmp/etcd"
  elif [[ -x "$tmp/v3" ]]; then
    mv "$tmp/v3" "$tmp/etcd"
  fi
  have_all "$tmp" || die "go build did not produce ${binaries[*]} in $tmp"
  "$tmp/kube-apiserver" --version >&2
  "$tmp/etcd" --version | sed -n 1p >&2
  log "built in $((SECONDS - start)) s"

  publish "$tmp" "$cache_dir"
  trap - EXIT
}

# Resolves one binary: its TEST_ASSET_* variable, else KUBEBUILDER_ASSETS, else the cache.
resolve() {
  local name="$1" override="$2" path
  if [[ -n "$override" ]]; then
    path="$override"
  elif [[ -n "${KUBEBUILDER_ASSETS:-}" ]]; then
    path="$KUBEBUILDER_ASSETS/$name"
  else
    path="$cache_dir/$name"
  fi
  [[ -x "$path" ]] || die "$name not found or not executable at $path"
  printf '%s\n' "$path"
}

uses_cache=0
if [[ -z "${KUBEBUILDER_ASSETS:-}" ]] &&
  [[ -z "${TEST_ASSET_KUBE_APISERVER:-}" || -z "${TEST_ASSET_ETCD:-}" || -z "${TEST_ASSET_KUBECTL:-}" ]]; then
  uses_cache=1
fi

if ((uses_cache)); then
  if have_all "$cache_dir"; then
    log "using cached binaries in $cache_dir"
  else
    build_into_cache
  fi
fi

apiserver="$(resolve kube-apiserver "${TEST_ASSET_KUBE_APISERVER:-}")"
etcd="$(resolve etcd "${TEST_ASSET_ETCD:-}")"
kubectl="$(resolve kubectl "${TEST_ASSET_KUBECTL:-}")"

dir="$(dirname "$apiserver")"
if [[ "$(dirname "$etcd")" == "$dir" && "$(dirname "$kubectl")" == "$dir" &&
  "$(basename "$apiserver")" == kube-apiserver && "$(basename "$etcd")" == etcd && "$(basename "$kubectl")" == kubectl ]]; then
  out="$(cd "$dir" && pwd)"
else
  # Individually overridden binaries live in different places: link them together.
  out="$cache_root/overrides"
  mkdir -p "$out"
  ln -sfn "$(realpath "$apiserver")" "$out/kube-apiserver"
  ln -sfn "$(realpath "$etcd")" "$out/etcd"
  ln -sfn "$(realpath "$kubectl")" "$out/kubectl"
fi
if ((with_node)); then
  if have_all "$node_cache_dir" "${node_binaries[@]}"; then
    log "using cached node components in $node_cache_dir"
  else
    build_node_into_cache
  fi
  out="$node_cache_dir"
fi
printf '%s\n' "$out"
