// Killed, not stopped: a cluster whose owning process gets SIGKILL (no exit handler runs) leaves
// nothing behind once its detached reaper has run scripts/teardown.sh — no process of the run (node,
// control plane, containerd's shims, the pods), no run directory, no active-cluster marker, no mount,
// network namespace, bridge, iptables chain or cgroup. The cluster is started as a user starts it:
// the `up` CLI, in a process of its own (`node --import tsx`, the process `npm run up` ends up
// running), with only the pause image; one pod runs so there are shims, containers and mounts.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { isCi, resolveBinaries, runKubectl } from '@agent-registry/testing';
import { activeClusterMarker, checkPrerequisites, NETWORK, readActiveCluster } from '../index.js';

const run = promisify(execFile);
const prerequisites = checkPrerequisites();
if (!prerequisites.ok) {
  const reason = `end-to-end cluster unavailable:\n  - ${prerequisites.missing.join('\n  - ')}`;
  if (isCi()) throw new Error(`CI=true and the ${reason}`);
  console.warn(`\n⚠️  KILL-CLEANUP TEST SKIPPED: ${reason}\n`);
}

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
/** cluster.ts's sandbox image: one static busybox that sleeps. */
const PAUSE_IMAGE = 'localhost/agent-registry/pause:dev';
/** The reaper polls its owner every second; teardown takes a few seconds more on a busy machine. */
const CLEANUP_BOUND_MS = 60_000;
/** What runs in a cluster, by the basename of argv[0]; every one must be there before the kill. */
const COMPONENTS = [
  'containerd',
  'containerd-shim-runc-v2',
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kube-proxy',
  'coredns',
  'kubelet',
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (from: number) => Math.round((performance.now() - from) / 100) / 10;

interface RunProcess {
  pid: number;
  name: string;
  startTime: number;
  why: 'command line' | 'cgroup';
}

/** State and start time (fields 3 and 22 of /proc/<pid>/stat), or undefined once gone. */
function stat(pid: number): { state: string; startTime: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, startTime: Number(fields[19]) };
  } catch {
    return undefined;
  }
}

/**
 * Live processes of the run: their command line mentions the run directory (the node and
 * control-plane components, containerd's shims, the reapers) or they sit in the run's cgroup
 * (the pods' processes). Zombies are dead already and hold nothing.
 */
function runProcesses(runDir: string, cgroupRoot: string): RunProcess[] {
  const found: RunProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let argv: string[];
    let cgroups: string;
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      cgroups = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
    } catch {
      continue;
    }
    const byCommandLine = argv.some((arg) => arg.includes(runDir));
    const byCgroup = cgroups.split('\n').some((line) => {
      const path = line.split(':').slice(2).join(':');
      return path === `/${cgroupRoot}` || path.startsWith(`/${cgroupRoot}/`);
    });
    if (!byCommandLine && !byCgroup) continue;
    const status = stat(pid);
    if (!status || status.state === 'Z') continue;
    found.push({
      pid,
      name: argv[0]!.split('/').pop()!,
      startTime: status.startTime,
      why: byCommandLine ? 'command line' : 'cgroup',
    });
  }
  return found;
}

function mountsUnder(runDir: string): string[] {
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((mountPoint) => mountPoint.startsWith(`${runDir}/`));
}

const netnsDir = '/var/run/netns';
const netns = () => (existsSync(netnsDir) ? readdirSync(netnsDir) : []);

/** KUBE-* chains per `<command> -t <table>`; a command the machine cannot run counts as none. */
async function kubeChains(): Promise<string[]> {
  const chains: string[] = [];
  for (const command of ['iptables', 'ip6tables'])
    for (const table of ['filter', 'nat', 'mangle']) {
      const rules = await run(command, ['-t', table, '-S']).then(
        ({ stdout }) => stdout,
        () => '',
      );
      for (const line of rules.split('\n')) {
        const [verb, chain] = line.split(' ');
        if (verb === '-N' && chain?.startsWith('KUBE-')) chains.push(`${command} -t ${table} ${chain}`);
      }
    }
  return chains;
}

const bridgeExists = () => existsSync(`/sys/class/net/${NETWORK.bridge}`);
const cgroupDirs = (cgroupRoot: string) =>
  readdirSync('/sys/fs/cgroup')
    .map((hierarchy) => join('/sys/fs/cgroup', hierarchy, cgroupRoot))
    .filter((dir) => existsSync(dir));

describe.skipIf(!prerequisites.ok)('a cluster killed with SIGKILL', () => {
  let up: ChildProcess;
  let upExited: Promise<void>;
  let output = '';
  let runDir: string;
  let kubeconfigPath: string;
  let nodeReadySeconds: number;
  let upReadySeconds = Number.NaN;
  const netnsBefore = new Set(netns());
  const timings: { step: string; seconds: number }[] = [];

  beforeAll(async () => {
    const started = performance.now();
    // The process that owns the cluster is this child itself (plain `tsx` would run it in a grandchild).
    up = spawn(process.execPath, ['--import', 'tsx', join(packageDir, 'src', 'cli.ts'), 'up', 'pause'], {
      cwd: packageDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    upExited = new Promise((resolve) => up.once('exit', () => resolve()));
    let exitCode: number | null | undefined;
    up.once('exit', (code, signal) => (exitCode = code ?? (signal ? -1 : null)));
    up.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      for (const line of chunk.split('\n')) if (line.startsWith('cluster: ')) console.log(`up: ${line}`);
    });
    // Image progress; read so the pipe never fills, kept for the error message.
    up.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    for (;;) {
      const kubeconfig = /^KUBECONFIG=(.+)$/m.exec(output)?.[1];
      const logs = /^logs: (.+)\/\*\.log$/m.exec(output)?.[1];
      if (kubeconfig && logs) {
        kubeconfigPath = kubeconfig;
        runDir = logs;
        break;
      }
      if (exitCode !== undefined)
        throw new Error(`\`up\` exited (${exitCode}) before the cluster was ready:\n${output.slice(-4000)}`);
      await sleep(200);
    }
    nodeReadySeconds = seconds(started);
    upReadySeconds = Number(/Ready ([\d.]+) s after start/.exec(output)?.[1]);
    timings.push({
      step: '`up` to a Ready node, CoreDNS ready (wall, from spawn)',
      seconds: nodeReadySeconds,
    });
  });

  afterAll(async () => {
    // A failure before the kill: the reaper tears the cluster down once its owner is gone.
    if (up && up.exitCode === null && up.signalCode === null) {
      up.kill('SIGKILL');
      await upExited;
    }
    console.log(
      `\nkill-cleanup timings (s):\n${timings.map((t) => `  ${String(t.seconds).padStart(7)}  ${t.step}`).join('\n')}${Number.isNaN(upReadySeconds) ? '' : `\n  (\`up\` reported its node Ready ${upReadySeconds} s after startCluster began)`}\n`,
    );
  });

  it('leaves no process, run directory, marker, mount, network namespace, bridge, iptables chain or cgroup', async () => {
    const kubectl = (...args: string[]) =>
      runKubectl(resolveBinaries().binaries!.kubectl, kubeconfigPath, args);
    const marker = activeClusterMarker();
    expect(readActiveCluster(marker)).toMatchObject({ pid: up.pid, runDir });
    const cgroupRoot = readFileSync(join(runDir, 'cgroup-root'), 'utf8').trim();

    // A pod: its sandbox and container under containerd's shims, their mounts and network namespace.
    const podStarted = performance.now();
    const manifest = join(runDir, 'kill-cleanup-pod.yaml');
    writeFileSync(
      manifest,
      stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'kill-cleanup', namespace: 'default' },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [{ name: 'sleep', image: PAUSE_IMAGE, imagePullPolicy: 'Never' }],
        },
      }),
    );
    await kubectl('apply', '-f', manifest);
    await kubectl('wait', '--for=condition=Ready', 'pod/kill-cleanup', '--timeout=120s');
    timings.push({ step: 'a pod Running', seconds: seconds(podStarted) });

    // What the kill must take away is there now (else the checks after it could not fail).
    let chains: string[] = [];
    const deadline = Date.now() + 30_000;
    while (!(chains = await kubeChains()).includes('iptables -t nat KUBE-SERVICES') && Date.now() < deadline)
      await sleep(500);
    expect(chains, "kube-proxy's chains").toContain('iptables -t nat KUBE-SERVICES');
    const before = runProcesses(runDir, cgroupRoot);
    const names = new Set(before.map((p) => p.name));
    expect(
      COMPONENTS.filter((name) => !names.has(name)),
      'components not found running',
    ).toEqual([]);
    expect(
      before.filter((p) => p.why === 'cgroup').length,
      "the pod's processes (sandbox and container)",
    ).toBeGreaterThanOrEqual(2);
    expect(mountsUnder(runDir).length, 'mounts under the run directory').toBeGreaterThan(0);
    const podNetns = netns().filter((name) => !netnsBefore.has(name));
    expect(podNetns.length, "the pod's network namespace").toBeGreaterThan(0);
    expect(bridgeExists(), `bridge ${NETWORK.bridge}`).toBe(true);
    expect(cgroupDirs(cgroupRoot).length, "the run's cgroups").toBeGreaterThan(0);
    console.log(
      `kill-cleanup: ${before.length} processes of the run before the kill: ${[...names].sort().join(', ')}; ` +
        `${mountsUnder(runDir).length} mounts, ${chains.length} KUBE-* chains, network namespaces ${podNetns.join(', ')}`,
    );

    const killed = performance.now();
    up.kill('SIGKILL');
    await upExited;

    /** Everything of the run still present; empty once the reaper's teardown is through. */
    const leftovers = async (): Promise<string[]> => {
      const left: string[] = [];
      for (const p of before) {
        const status = stat(p.pid);
        if (status && status.state !== 'Z' && status.startTime === p.startTime)
          left.push(`process ${p.name} (${p.pid})`);
      }
      for (const p of runProcesses(runDir, cgroupRoot))
        if (!before.some((b) => b.pid === p.pid)) left.push(`process ${p.name} (${p.pid}, by ${p.why})`);
      if (existsSync(runDir)) left.push(`run directory ${runDir}`);
      if (existsSync(marker)) left.push(`marker ${marker}: ${readFileSync(marker, 'utf8')}`);
      for (const mountPoint of mountsUnder(runDir)) left.push(`mount ${mountPoint}`);
      for (const name of podNetns) if (existsSync(join(netnsDir, name))) left.push(`netns ${name}`);
      if (bridgeExists()) left.push(`bridge ${NETWORK.bridge}`);
      for (const chain of await kubeChains()) left.push(`chain ${chain}`);
      for (const dir of cgroupDirs(cgroupRoot)) left.push(`cgroup ${dir}`);
      return left;
    };
    let left = await leftovers();
    while (left.length > 0 && performance.now() - killed < CLEANUP_BOUND_MS) {
      await sleep(250);
      left = await leftovers();
    }
    const cleanupSeconds = seconds(killed);
    timings.push({ step: 'SIGKILL to everything gone (reaper + teardown.sh)', seconds: cleanupSeconds });
    console.log(
      `kill-cleanup: ${left.length === 0 ? 'clean' : 'NOT clean'} ${cleanupSeconds} s after SIGKILL`,
    );
    expect(left, `left ${CLEANUP_BOUND_MS / 1000} s after SIGKILL`).toEqual([]);
  }, 300_000);
});
