import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { KubeConfig } from '@kubernetes/client-node';
import { resolveBinaries, startControlPlane, type ControlPlane } from '@agent-registry/testing';
import { freePorts, startProcess, type ManagedProcess } from '@agent-registry/testing/processes';
import { buildImages, importImages, type BuiltImage, type ImageName, IMAGE_NAMES } from './images.js';
import { claimMachine, startReaper, teardown } from './activeCluster.js';
import { NETWORK, NODE_NAME, nodeBinariesDir, scriptsDir } from './layout.js';
import {
  containerdConfig,
  cniConfig,
  corefile,
  kubeletConfig,
  kubeProxyConfig,
  type NodeLayout,
} from './nodeConfig.js';
import { checkPrerequisites } from './prerequisites.js';
import { runHelm } from './helm.js';

const run = promisify(execFile);

export interface ClusterOptions {
  /**
   * Images to build (or take from the cache) and load into the node. Default: all. `pause` (the pods'
   * sandbox) is always among them.
   */
  images?: readonly ImageName[];
  /** Max time for the node to become Ready. Default 180 s. */
  readyTimeoutMs?: number;
  /** Progress lines (timings). Default: console.log. */
  log?: (line: string) => void;
}

/** Seconds each start-up step took. */
export interface ClusterTimings {
  imagesSeconds: number;
  controlPlaneSeconds: number;
  /** From the start of {@link startCluster} to a Ready node with every image loaded. */
  nodeReadySeconds: number;
  images: { name: ImageName; buildSeconds: number }[];
}

/** A running single-node cluster. Call {@link Cluster.stop} (e.g. in `afterAll`). */
export interface Cluster {
  readonly controlPlane: ControlPlane;
  readonly kubeconfigPath: string;
  readonly kubeConfig: KubeConfig;
  readonly nodeName: string;
  /** Image references by name, as loaded into the node (use with `imagePullPolicy: Never`). */
  readonly images: Record<ImageName, string>;
  readonly timings: ClusterTimings;
  /** The run directory: configs and every component's log (`<name>.log`). */
  readonly runDir: string;
  kubectl(args: string[]): Promise<string>;
  helm(args: string[]): Promise<string>;
  /** Stops every process, container, mount and network object of the cluster. Idempotent. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  watch: ManagedProcess[] = [],
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const process of watch)
      if (process.hasExited())
        throw new Error(`${process.name} exited; log ${process.logFile}:\n${process.logTail()}`);
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline)
      throw new Error(
        `${what}: not within ${timeoutMs} ms${watch.map((p) => `\n--- ${p.name} (${p.logFile}):\n${p.logTail(15)}`).join('')}`,
      );
    await sleep(250);
  }
}

async function httpOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  await response.arrayBuffer();
  return response.ok;
}

async function sh(command: string, args: string[]): Promise<void> {
  try {
    await run(command, args);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr;
    throw new Error(`${command} ${args.join(' ')} failed: ${stderr?.trim() || String(error)}`, {
      cause: error,
    });
  }
}

function nodeBinary(name: string): string {
  return join(nodeBinariesDir(), name);
}

/**
 * The cgroup root the kubelet puts pods under, made in every mounted v1 hierarchy (the kubelet
 * requires it to exist); cpuset needs its CPUs and memory nodes copied from the parent first.
 */
function createCgroupRoot(name: string): void {
  // cgroup v2 (unified): one hierarchy.
  if (existsSync('/sys/fs/cgroup/cgroup.controllers')) {
    mkdirSync(join('/sys/fs/cgroup', name), { recursive: true });
    return;
  }
  for (const hierarchy of readdirSync('/sys/fs/cgroup')) {
    const parent = join('/sys/fs/cgroup', hierarchy);
    if (!existsSync(join(parent, 'cgroup.procs'))) continue;
    const dir = join(parent, name);
    mkdirSync(dir, { recursive: true });
    for (const file of ['cpuset.cpus', 'cpuset.mems'])
      if (existsSync(join(parent, file))) writeFileSync(join(dir, file), readFileSync(join(parent, file)));
  }
}

/**
 * Starts a real single-node Kubernetes cluster: containerd + runc, a bridge pod network,
 * etcd + kube-apiserver (from @agent-registry/testing), kube-controller-manager,
 * kube-scheduler, kube-proxy (iptables), CoreDNS and a kubelet, all built from the same
 * pinned Kubernetes module as the test apiserver; builds the project's images with buildah
 * and loads them into the node. Needs root (see {@link checkPrerequisites}).
 */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const log = options.log ?? ((line: string) => console.log(line));
  const started = performance.now();
  const seconds = (from: number) => Math.round((performance.now() - from) / 100) / 10;
  const prerequisites = checkPrerequisites();
  if (!prerequisites.ok) throw new Error(`cannot start a cluster:\n- ${prerequisites.missing.join('\n- ')}`);

  const imagesStarted = performance.now();
  const wanted = options.images ?? IMAGE_NAMES;
  const imagesBuilt = buildImages(wanted.includes('pause') ? wanted : ['pause', ...wanted]).then((images) => {
    const imagesSeconds = seconds(imagesStarted);
    log(
      `cluster: images ready in ${imagesSeconds} s (${images.map((i) => `${i.name} ${i.buildSeconds ? `built in ${i.buildSeconds} s` : 'cached'}`).join(', ')})`,
    );
    return { images, imagesSeconds };
  });
  // Keep an image build failure from surfacing as an unhandled rejection while the node starts.
  imagesBuilt.catch(() => undefined);

  const runDir = mkdtempSync(join(tmpdir(), 'agent-registry-cluster-'));
  const marker = await claimMachine(runDir).catch((error: unknown) => {
    rmSync(runDir, { recursive: true, force: true });
    throw error;
  });
  startReaper(runDir, marker);
  const processes: ManagedProcess[] = [];
  let controlPlane: ControlPlane | undefined;
  const pidFile = join(runDir, 'pids');
  const recordPids = () =>
    writeFileSync(
      pidFile,
      `${processes
        .map((p) => p.child.pid)
        .filter(Boolean)
        .reverse()
        .join('\n')}\n`,
    );
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await controlPlane?.stop().catch(() => undefined);
    // Also releases the marker (only while it names this run).
    await teardown(runDir, marker);
  };
  const start = (name: string, binary: string, args: string[]): ManagedProcess => {
    const managed = startProcess(name, binary, args, join(runDir, `${name}.log`));
    processes.push(managed);
    recordPids();
    return managed;
  };

  try {
    const [
      kubelet,
      kubeletHealthz,
      proxyHealthz,
      proxyMetrics,
      dnsHealth,
      dnsReady,
      schedulerPort,
      controllerManagerPort,
    ] = (await freePorts(8)) as [number, number, number, number, number, number, number, number];
    const cgroupRoot = `agent-registry-${runDir.split('-').pop()}`;
    const kubeconfigPath = join(runDir, 'kubeconfig');
    const layout: NodeLayout = {
      runDir,
      containerdSocket: join(runDir, 'containerd.sock'),
      runtimeBinary: join(runDir, 'runc'),
      cniConfDir: join(runDir, 'cni', 'net.d'),
      kubeconfigPath,
      caCertPath: '',
      cgroupRoot,
      pauseImage: 'localhost/agent-registry/pause:dev',
      ports: { kubelet, kubeletHealthz, proxyHealthz, proxyMetrics, dnsHealth, dnsReady },
    };
    writeFileSync(join(runDir, 'cgroup-root'), cgroupRoot);
    writeFileSync(join(runDir, 'bridge'), NETWORK.bridge);
    writeFileSync(join(runDir, 'kube-proxy-binary'), nodeBinary('kube-proxy'));
    const netnsDir = '/var/run/netns';
    writeFileSync(join(runDir, 'netns-before'), existsSync(netnsDir) ? readdirSync(netnsDir).join('\n') : '');

    // The pod network: the bridge exists before anything binds to its address.
    writeFileSync('/proc/sys/net/ipv4/ip_forward', '1');
    if (existsSync('/proc/sys/net/bridge/bridge-nf-call-iptables'))
      writeFileSync('/proc/sys/net/bridge/bridge-nf-call-iptables', '1');
    await sh('ip', ['link', 'add', NETWORK.bridge, 'type', 'bridge']);
    await sh('ip', ['addr', 'add', `${NETWORK.nodeIp}/24`, 'dev', NETWORK.bridge]);
    await sh('ip', ['link', 'set', NETWORK.bridge, 'up']);
    mkdirSync(layout.cniConfDir, { recursive: true });
    writeFileSync(join(layout.cniConfDir, '10-agent-registry.conflist'), cniConfig(layout));
    writeFileSync(join(runDir, 'resolv.conf'), `nameserver ${NETWORK.nodeIp}\n`);
    createCgroupRoot(cgroupRoot);

    const controlPlaneStarted = performance.now();
    controlPlane = await startControlPlane({
      binaries: resolveBinaries().binaries,
      address: NETWORK.nodeIp,
      serviceAccounts: true,
      tmpRoot: runDir,
      startTimeoutMs: 90_000,
      // Logs and exec reach the kubelet at the node's address (its name resolves nowhere).
      apiServerArgs: ['--kubelet-preferred-address-types=InternalIP'],
    });
    const controlPlaneSeconds = seconds(controlPlaneStarted);
    log(`cluster: etcd + kube-apiserver ready in ${controlPlaneSeconds} s`);
    writeFileSync(kubeconfigPath, readFileSync(controlPlane.kubeconfigPath), { mode: 0o600 });
    layout.caCertPath = controlPlane.caCertPath;

    // The runtime containerd's shim calls: scripts/runc-wrapper.sh, told which node edits the bundle.
    writeFileSync(
      layout.runtimeBinary,
      `#!/bin/sh\nAGENT_REGISTRY_NODE='${process.execPath}' exec '${join(scriptsDir, 'runc-wrapper.sh')}' "$@"\n`,
      { mode: 0o755 },
    );
    writeFileSync(join(runDir, 'containerd.toml'), containerdConfig(layout));
    const containerd = start('containerd', 'containerd', ['--config', join(runDir, 'containerd.toml')]);
    const controllerManager = start('kube-controller-manager', nodeBinary('kube-controller-manager'), [
      `--kubeconfig=${kubeconfigPath}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${controllerManagerPort}`,
      '--leader-elect=false',
      `--service-account-private-key-file=${controlPlane.serviceAccountKeyPath}`,
      `--root-ca-file=${controlPlane.caCertPath}`,
      `--service-cluster-ip-range=${NETWORK.serviceCidr}`,
      '--cluster-name=agent-registry',
      '--node-monitor-grace-period=40s',
    ]);
    const scheduler = start('kube-scheduler', nodeBinary('kube-scheduler'), [
      `--kubeconfig=${kubeconfigPath}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${schedulerPort}`,
      '--leader-elect=false',
    ]);
    writeFileSync(join(runDir, 'Corefile'), corefile(layout));
    const coredns = start('coredns', nodeBinary('coredns'), ['-conf', join(runDir, 'Corefile')]);
    writeFileSync(join(runDir, 'kube-proxy.yaml'), kubeProxyConfig(layout));
    const kubeProxy = start('kube-proxy', nodeBinary('kube-proxy'), [
      `--config=${join(runDir, 'kube-proxy.yaml')}`,
    ]);

    await waitFor('containerd socket', async () => existsSync(layout.containerdSocket), 30_000, [containerd]);
    writeFileSync(join(runDir, 'kubelet.yaml'), kubeletConfig(layout));
    const kubeletProcess = start('kubelet', nodeBinary('kubelet'), [
      `--config=${join(runDir, 'kubelet.yaml')}`,
      `--kubeconfig=${kubeconfigPath}`,
      `--root-dir=${join(runDir, 'kubelet')}`,
      `--cert-dir=${join(runDir, 'kubelet', 'pki')}`,
      `--hostname-override=${NODE_NAME}`,
      `--node-ip=${NETWORK.nodeIp}`,
      '--v=1',
    ]);
    const node = [containerd, controllerManager, scheduler, coredns, kubeProxy, kubeletProcess];

    const { images, imagesSeconds } = await imagesBuilt;
    await importImages(layout.containerdSocket, images);
    const ready = async () => {
      const out = await controlPlane!.kubectl([
        'get',
        'node',
        NODE_NAME,
        '-o',
        'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
      ]);
      return out.trim() === 'True';
    };
    await waitFor('node Ready', ready, options.readyTimeoutMs ?? 180_000, node);
    await waitFor('CoreDNS ready', () => httpOk(`http://127.0.0.1:${dnsReady}/ready`), 60_000, node);
    await waitFor(
      'the default ServiceAccount',
      async () =>
        (await controlPlane!.kubectl(['get', 'serviceaccount', 'default', '-o', 'name'])).trim() !== '',
      60_000,
      node,
    );
    const nodeReadySeconds = seconds(started);
    log(`cluster: node ${NODE_NAME} Ready ${nodeReadySeconds} s after start (run directory ${runDir})`);

    const plane = controlPlane;
    return {
      controlPlane: plane,
      kubeconfigPath,
      kubeConfig: plane.kubeConfig,
      nodeName: NODE_NAME,
      images: Object.fromEntries(images.map((image: BuiltImage) => [image.name, image.reference])) as Record<
        ImageName,
        string
      >,
      timings: {
        imagesSeconds,
        controlPlaneSeconds,
        nodeReadySeconds,
        images: images.map(({ name, buildSeconds }) => ({ name, buildSeconds })),
      },
      runDir,
      kubectl: (args) => plane.kubectl(args),
      helm: (args) => runHelm(kubeconfigPath, args),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
