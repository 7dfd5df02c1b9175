// One cluster per machine at a time: the pod bridge, kube-proxy's iptables chains and the node's
// ports are machine-wide. A marker in the machine-wide state directory names the live cluster; a
// new one refuses to start while that owner lives and tears down a stale one first. A detached
// reaper tears a cluster down when its owner dies without stopping it.
import { spawn } from 'node:child_process';
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { machineStateDir, scriptsDir } from './layout.js';

/** What the marker says: the owning process and the run directory that holds everything else. */
export interface ActiveCluster {
  pid: number;
  /** The owner's start time (clock ticks since boot, /proc/<pid>/stat): tells a reused PID apart. */
  startTime: number;
  runDir: string;
}

/** `/run/agent-registry/cluster.json` (see {@link machineStateDir}): names the machine's live cluster. */
export function activeClusterMarker(): string {
  return join(machineStateDir(), 'cluster.json');
}

/** The marker's content, or undefined when there is none (or it is not one of ours). */
export function readActiveCluster(marker: string = activeClusterMarker()): ActiveCluster | undefined {
  try {
    const value = JSON.parse(readFileSync(marker, 'utf8')) as Partial<ActiveCluster>;
    if (typeof value.pid === 'number' && typeof value.runDir === 'string')
      return { pid: value.pid, startTime: Number(value.startTime), runDir: value.runDir };
  } catch {
    // missing or unreadable: no cluster
  }
  return undefined;
}

/** State and start time of a process (fields 3 and 22 of /proc/<pid>/stat), or undefined if gone. */
function processStat(pid: number): { state: string; startTime: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, startTime: Number(fields[19]) };
  } catch {
    return undefined;
  }
}

/** A process's start time (clock ticks since boot), or undefined once it is gone. */
export function processStartTime(pid: number): number | undefined {
  return processStat(pid)?.startTime;
}

/** The marker's owner still runs: same PID, same start time, not a zombie. */
export function ownerAlive(active: ActiveCluster): boolean {
  const stat = processStat(active.pid);
  return stat !== undefined && stat.state !== 'Z' && stat.startTime === active.startTime;
}

/**
 * Runs scripts/teardown.sh on a run directory: it takes turns with other teardowns (a lock next
 * to the marker) and removes the marker only while it still names that run.
 */
export function teardown(runDir: string, marker: string): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn('bash', [join(scriptsDir, 'teardown.sh'), runDir, marker], { stdio: 'ignore' });
    child.on('exit', () => resolve());
    child.on('error', () => resolve());
  });
}

/**
 * Claims the machine for the cluster in `runDir` and returns the marker's path. The marker appears
 * whole and only if absent (a link of a complete file), so of two processes starting at once one
 * wins and the other sees a live owner. A marker whose owner is gone is a stale cluster: torn down
 * (which releases its marker) before claiming again.
 */
export async function claimMachine(runDir: string, marker: string = activeClusterMarker()): Promise<string> {
  const claim: ActiveCluster = { pid: process.pid, startTime: processStartTime(process.pid) ?? 0, runDir };
  const draft = `${marker}.${process.pid}`;
  writeFileSync(draft, JSON.stringify(claim));
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        linkSync(draft, marker);
        // teardown.sh run by hand on the run directory finds the marker through this.
        writeFileSync(join(runDir, 'marker'), marker);
        return marker;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const active = readActiveCluster(marker);
      if (active && ownerAlive(active))
        throw new Error(
          `another cluster is running (pid ${active.pid}, ${active.runDir}, ${marker}); stop it first`,
        );
      if (attempt >= 3) throw new Error(`${marker} names a stale cluster that its teardown does not release`);
      if (active) await teardown(active.runDir, marker);
      else rmSync(marker, { force: true });
    }
  } finally {
    rmSync(draft, { force: true });
  }
}

/**
 * Starts a detached shell that runs scripts/teardown.sh on the run directory once this process is
 * gone (or a zombie) without having stopped the cluster: SIGKILL, crash, Ctrl-C. It exits by itself
 * once the run directory is gone.
 */
export function startReaper(runDir: string, marker: string): void {
  const script = [
    'alive() { kill -0 "$1" 2>/dev/null && ! grep -q ") Z " "/proc/$1/stat" 2>/dev/null; }',
    'while alive "$0" && [ -d "$1" ]; do sleep 1; done',
    'if [ -d "$1" ]; then exec bash "$2" "$1" "$3"; fi',
  ].join('\n');
  spawn('sh', ['-c', script, String(process.pid), runDir, join(scriptsDir, 'teardown.sh'), marker], {
    detached: true,
    stdio: 'ignore',
  }).unref();
}
