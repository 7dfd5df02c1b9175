#!/bin/sh
# The OCI runtime containerd's runc shim calls (BinaryName in containerd's config):
# runc, minus `process.oomScoreAdj` in the bundle's config.json. The kubelet asks
# -998 for every pod sandbox, and lowering oom_score_adj needs CAP_SYS_RESOURCE,
# which the machines this cluster runs on do not give even to root; runc then
# fails with "can't get final child's PID from pipe". The score only ranks
# processes for the OOM killer; a test cluster loses nothing without it.
bundle=""
previous=""
for arg in "$@"; do
  case "$previous" in --bundle | -b) bundle="$arg" ;; esac
  case "$arg" in --bundle=*) bundle="${arg#--bundle=}" ;; esac
  previous="$arg"
done
if [ -n "$bundle" ] && [ -f "$bundle/config.json" ]; then
  "${AGENT_REGISTRY_NODE:-node}" -e '
    const fs = require("node:fs");
    const file = process.argv[1];
    const spec = JSON.parse(fs.readFileSync(file, "utf8"));
    if (spec.process && "oomScoreAdj" in spec.process) {
      delete spec.process.oomScoreAdj;
      fs.writeFileSync(file, JSON.stringify(spec));
    }' "$bundle/config.json" || exit 1
fi
exec "${AGENT_REGISTRY_RUNC:-runc}" "$@"
