#!/usr/bin/env bash
# Lints the GitHub Actions workflows with actionlint, built from its Go module
# (github.com/rhysd/actionlint) into ${XDG_CACHE_HOME:-~/.cache}/agent-registry/tools/
# on first use. Arguments go to actionlint (default: every workflow of the repository).
set -euo pipefail
version=v1.7.12
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
bin_dir="${XDG_CACHE_HOME:-$HOME/.cache}/agent-registry/tools/actionlint-$version"
if [[ ! -x "$bin_dir/actionlint" ]]; then
  command -v go >/dev/null 2>&1 || {
    echo "actionlint: go is not installed (needed once, to build actionlint $version)" >&2
    exit 3
  }
  echo "actionlint: building $version with go install (once)" >&2
  GOBIN="$bin_dir" GOFLAGS="${GOFLAGS:-} -buildvcs=false" go install "github.com/rhysd/actionlint/cmd/actionlint@$version" >&2
fi
cd "$repo_root"
exec "$bin_dir/actionlint" -no-color "$@"
