#!/usr/bin/env bash
# Tears down the single-node cluster whose run directory is $1, whatever state it
# is in: called by Cluster.stop(), by the detached reaper when the process that
# started the cluster dies without stopping it (SIGKILL, crash), and before a new
# cluster starts over a stale one. Idempotent; touches only what that run made:
# the processes whose PIDs it recorded, containerd's shims and the pods' processes
# (found by the run's containerd socket path and the run's own cgroup), mounts
# under the run directory, the network namespaces created during the run, the pod
# bridge, kube-proxy's iptables chains and the run's cgroups. Last, it releases
# the machine's active-cluster marker ($2, else the path the run recorded in
# "marker") if the marker still names this run.
set -uo pipefail

run_dir="${1:?usage: teardown.sh <cluster run directory> [active-cluster marker]}"
run_dir="${run_dir%/}"
marker="${2:-$(cat "$run_dir/marker" 2>/dev/null || true)}"
# The reaper and a new cluster may tear the same stale run down at once: one at a time (the lock
# is machine-wide, next to the marker), and the second finds nothing left (else it could delete
# the bridge the new cluster just made, or release the marker the new cluster just wrote).
if [[ -n "$marker" ]]; then
  mkdir -p "$(dirname "$marker")"
  exec 7>"$(dirname "$marker")/teardown.lock"
  flock 7
fi
# Even when the run directory is already gone (a teardown killed before its end): a marker left
# naming it would keep every later cluster tearing it down again.
release_marker() {
  if [[ -n "$marker" ]] && grep -qF "\"runDir\":\"$run_dir\"" "$marker" 2>/dev/null; then
    rm -f "$marker"
  fi
}
trap release_marker EXIT
[[ -d "$run_dir" ]] || exit 0
read_file() { cat "$run_dir/$1" 2>/dev/null || true; }

kill_pids() {
  local signal="$1" pid
  shift
  for pid in "$@"; do
    [[ "$pid" =~ ^[0-9]+$ ]] && kill "-$signal" "$pid" 2>/dev/null
  done
  return 0
}

# Processes whose command line mentions the run directory (containerd's shims carry its socket path).
run_processes() {
  local dir pid
  for dir in /proc/[0-9]*; do
    pid="${dir#/proc/}"
    [[ "$pid" == "$$" || "$pid" == "$BASHPID" ]] && continue
    if tr '\0' ' ' 2>/dev/null <"$dir/cmdline" | grep -F -- "$run_dir/" >/dev/null; then
      printf '%s\n' "$pid"
    fi
  done
}

cgroup_root="$(read_file cgroup-root)"
pod_processes() {
  [[ -n "$cgroup_root" ]] || return 0
  find /sys/fs/cgroup/"$cgroup_root" /sys/fs/cgroup/*/"$cgroup_root" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u
}

# 1. The node and control-plane processes (the kubelet first, so it restarts nothing).
mapfile -t pids < <(read_file pids)
kill_pids KILL "${pids[@]}"

# 2. The pods: every process in the run's cgroup, until none is left.
for _ in 1 2 3 4 5; do
  mapfile -t procs < <(pod_processes)
  ((${#procs[@]})) || break
  kill_pids KILL "${procs[@]}"
  sleep 0.2
done

# 3. containerd's shims (and anything else still running from the run directory).
mapfile -t procs < <(run_processes)
kill_pids KILL "${procs[@]}"
sleep 0.2

# 4. Mounts: under the run directory, and the pods' network namespaces made during the run.
mapfile -t netns_before < <(read_file netns-before)
is_new_netns() {
  local entry
  for entry in "${netns_before[@]}"; do [[ "$entry" == "$1" ]] && return 1; done
  return 0
}
for _ in 1 2 3; do
  mapfile -t mounts < <(awk -v dir="$run_dir/" 'index($2, dir) == 1 { print $2 }' /proc/self/mounts | sort -r)
  ((${#mounts[@]})) || break
  for mount in "${mounts[@]}"; do umount -l "$mount" 2>/dev/null; done
done
if [[ -f "$run_dir/netns-before" && -d /var/run/netns ]]; then
  for path in /var/run/netns/cni-*; do
    [[ -e "$path" ]] || continue
    if is_new_netns "$(basename "$path")"; then
      umount -l "$path" 2>/dev/null
      rm -f "$path"
    fi
  done
fi

# 5. Network: kube-proxy's iptables chains and the pod bridge.
kube_proxy="$(read_file kube-proxy-binary)"
if [[ -x "$kube_proxy" ]]; then
  "$kube_proxy" --cleanup >/dev/null 2>&1 || true
fi
# What --cleanup leaves (the KUBE-IPTABLES-HINT canary, rules of an older kubelet): every KUBE-* chain
# and every rule jumping to one. There is one cluster per machine, so all of them are this run's.
for command in iptables ip6tables; do
  command -v "$command" >/dev/null 2>&1 || continue
  for table in filter nat mangle; do
    mapfile -t chains < <("$command" -t "$table" -S 2>/dev/null | awk '$1 == "-N" && $2 ~ /^KUBE-/ { print $2 }')
    ((${#chains[@]})) || continue
    while IFS= read -r rule; do
      eval "\"\$command\" -t \"\$table\" ${rule/#-A/-D}" 2>/dev/null
    done < <("$command" -t "$table" -S 2>/dev/null | awk '$1 == "-A" && / -j KUBE-/')
    for chain in "${chains[@]}"; do "$command" -t "$table" -F "$chain" 2>/dev/null; done
    for chain in "${chains[@]}"; do "$command" -t "$table" -X "$chain" 2>/dev/null; done
  done
done
bridge="$(read_file bridge)"
if [[ -n "$bridge" ]]; then
  # The pods' veth peers go with their namespaces; any left on the host side of the bridge are the run's.
  for link in $(ip -o link show master "$bridge" type veth 2>/dev/null | awk -F': ' '{ print $2 }' | cut -d@ -f1); do
    ip link delete "$link" 2>/dev/null
  done
  ip link delete "$bridge" type bridge 2>/dev/null || true
fi

# 6. The run's cgroups, deepest first.
if [[ -n "$cgroup_root" ]]; then
  for _ in 1 2 3; do
    find /sys/fs/cgroup/"$cgroup_root" /sys/fs/cgroup/*/"$cgroup_root" -depth -type d -exec rmdir {} \; 2>/dev/null
    compgen -G "/sys/fs/cgroup/$cgroup_root" >/dev/null || compgen -G "/sys/fs/cgroup/*/$cgroup_root" >/dev/null || break
    sleep 0.3
  done
fi

rm -rf "$run_dir" 2>/dev/null || { sleep 1; rm -rf "$run_dir"; }
exit 0
