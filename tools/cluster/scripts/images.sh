#!/usr/bin/env bash
# Builds the images the cluster runs, with buildah (no container engine), from the
# project's own Dockerfiles, and caches each as an OCI archive named after a hash of
# its inputs:
#   pause       the pod sandbox: one static busybox in an empty image
#   demo-agent  examples/demo-agent/Dockerfile
#   controller  apps/controller/Dockerfile (context: the repository root)
#   registry    apps/registry/Dockerfile   (context: the repository root)
# AGENT_REGISTRY_REUSE_IMAGES=1 takes an image's last archive even when its inputs changed.
# Usage: images.sh [name...]   (default: all four). Prints one line per image,
# "<name> <image reference> <archive path> <seconds spent building, 0 when cached>",
# on stdout; progress goes to stderr.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_commands buildah sha256sum git
mkdir -p "$images_dir"
tag="${AGENT_REGISTRY_IMAGE_TAG:-dev}"

# A hash of every file that can change the image: its Dockerfile and build context
# (for the apps: what `COPY . .` brings in that the build reads).
inputs_hash() {
  local name="$1"
  (
    cd "$repo_root"
    case "$name" in
    pause) printf 'busybox %s\n' "$(sha256sum /bin/busybox | cut -d' ' -f1)" ;;
    demo-agent) git ls-files -co --exclude-standard -z examples/demo-agent | xargs -0 sha256sum ;;
    controller | registry)
      git ls-files -co --exclude-standard -z -- package.json package-lock.json nx.json tsconfig.base.json \
        'apps/*' 'packages/*' 'examples/*' 'tools/*/package.json' "apps/$name/Dockerfile" \
        "apps/$name/Dockerfile.dockerignore" | xargs -0 sha256sum
      ;;
    esac
  ) | sha256sum | cut -c1-16
}

build() {
  local name="$1" ref="localhost/agent-registry/$1:$tag"
  local hash archive
  hash="$(inputs_hash "$name")"
  archive="$images_dir/$name-$hash.tar"
  if [[ "${AGENT_REGISTRY_REUSE_IMAGES:-}" == 1 && ! -f "$archive" ]]; then
    # Iterating on tests, not on the images: take the archive built last, whatever its inputs.
    archive="$(find "$images_dir" -maxdepth 1 -name "$name-*.tar" -print -quit)"
    archive="${archive:-$images_dir/$name-$hash.tar}"
  fi
  if [[ -f "$archive" ]]; then
    cluster_log "$name: cached ($archive)"
    printf '%s %s %s %s\n' "$name" "$ref" "$archive" 0
    return
  fi
  # Builds share buildah's store: one at a time (a cached archive needs no lock).
  if [[ -z "${images_locked:-}" ]]; then
    exec 9>"$cluster_cache/.images.lock"
    flock 9
    images_locked=1
  fi
  if [[ -f "$archive" ]]; then
    cluster_log "$name: cached ($archive)"
    printf '%s %s %s %s\n' "$name" "$ref" "$archive" 0
    return
  fi
  local start=$SECONDS
  case "$name" in
  pause)
    [[ -x /bin/busybox ]] && ! ldd /bin/busybox >/dev/null 2>&1 ||
      cluster_die "the pause image needs a static /bin/busybox (Debian: apt-get install busybox-static)"
    local container mount_point
    container="$(bah from scratch)"
    mount_point="$(bah mount "$container")"
    install -m 0755 /bin/busybox "$mount_point/busybox"
    bah umount "$container" >/dev/null
    # PID 1 that sleeps forever: the sandbox only holds the pod's namespaces (CRI stops it with SIGKILL).
    bah config --entrypoint '["/busybox", "sleep", "2147483647"]' --cmd '' "$container"
    bah commit --quiet --rm "$container" "$ref" >/dev/null
    ;;
  demo-agent)
    bash "$(dirname "${BASH_SOURCE[0]}")/base-image.sh"
    bah bud --quiet --pull=never -t "$ref" "$repo_root/examples/demo-agent" >&2
    ;;
  controller | registry)
    bash "$(dirname "${BASH_SOURCE[0]}")/base-image.sh"
    cluster_log "$name: building apps/$name/Dockerfile (npm ci + nx build inside; about a minute or two)"
    # --layers: the two apps' build stages start alike (COPY . . and npm ci), so the second build reuses the
    # first one's layers instead of installing the workspace again.
    bah bud --quiet --pull=never --layers -t "$ref" --build-arg VERSION="0.0.0-$tag" \
      -f "$repo_root/apps/$name/Dockerfile" --ignorefile "$repo_root/apps/$name/Dockerfile.dockerignore" \
      "$repo_root" >&2
    ;;
  *) cluster_die "unknown image $name (pause, demo-agent, controller, registry)" ;;
  esac
  local tmp="$images_dir/.$name-$hash.tar.tmp"
  rm -f "$tmp"
  bah push --quiet "$ref" "oci-archive:$tmp:$ref" >&2
  bah rmi "$ref" >/dev/null 2>&1 || true
  # Keep one archive per image: the one matching the inputs now.
  find "$images_dir" -maxdepth 1 -name "$name-*.tar" -delete
  mv "$tmp" "$archive"
  cluster_log "$name: built in $((SECONDS - start)) s ($archive)"
  printf '%s %s %s %s\n' "$name" "$ref" "$archive" "$((SECONDS - start))"
}

names=("$@")
((${#names[@]})) || names=(pause demo-agent controller registry)
for name in "${names[@]}"; do
  build "$name"
done
# The layers kept for reuse within this run are not needed once the archives exist.
if [[ -n "${images_locked:-}" ]]; then bah rmi --prune >/dev/null 2>&1 || true; fi
