import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envtestCacheDir } from '@agent-registry/testing';

/** tools/cluster/scripts: the shell half of this package (images, teardown, runc wrapper). */
export const scriptsDir = fileURLToPath(new URL('../scripts/', import.meta.url));

/** `${XDG_CACHE_HOME:-~/.cache}/agent-registry/cluster`: images and buildah's store. */
export function clusterCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const cacheHome = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(cacheHome, 'agent-registry', 'cluster');
}

/**
 * Parents tried for {@link machineStateDir}, in order: /run (root's runtime state, emptied on reboot
 * like the bridge and the processes it describes), then the system's temporary directory where /run is
 * not writable.
 */
export const MACHINE_STATE_PARENTS: readonly string[] = ['/run', tmpdir()];

/**
 * `/run/agent-registry` (or `agent-registry` in the temporary directory), created if missing: state about the whole machine
 * rather than one user or checkout (the marker naming the live cluster, the teardown lock). Not under
 * HOME: two checkouts with different HOMEs share the one bridge, iptables and ports. A directory that
 * this user cannot write, or does not own, is passed over (in /tmp anyone could have made it).
 */
export function machineStateDir(parents: readonly string[] = MACHINE_STATE_PARENTS): string {
  const problems: string[] = [];
  for (const parent of parents) {
    const dir = join(parent, 'agent-registry');
    try {
      mkdirSync(dir, { recursive: true, mode: 0o755 });
      accessSync(dir, constants.W_OK);
      const owner = statSync(dir).uid;
      if (owner !== process.getuid?.()) throw new Error(`owned by uid ${owner}`);
      return dir;
    } catch (error) {
      problems.push(`${dir}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new Error(`no machine-wide state directory is usable (${problems.join('; ')})`);
}

/** Where `tools/envtest/setup.sh --node` puts kubelet, kube-scheduler, kube-controller-manager, kube-proxy and coredns. */
export function nodeBinariesDir(env: NodeJS.ProcessEnv = process.env): string {
  return `${envtestCacheDir(env)}-node`;
}

/**
 * The cluster's addresses. Pods live on one Linux bridge; the host's end of it (the gateway) is
 * also where kube-apiserver, the kubelet and CoreDNS listen, so pods reach them and nothing
 * listens beyond loopback and the bridge.
 */
export const NETWORK = {
  bridge: 'agreg0',
  podCidr: '10.244.0.0/24',
  /** The bridge's address: the pods' gateway, the node's InternalIP, the apiserver and cluster DNS. */
  nodeIp: '10.244.0.1',
  /** kube-apiserver's --service-cluster-ip-range in @agent-registry/testing's control plane. */
  serviceCidr: '10.0.0.0/24',
  clusterDomain: 'cluster.local',
} as const;

export const NODE_NAME = 'agent-registry-node';
