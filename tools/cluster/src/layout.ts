import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envtestCacheDir } from '@agent-registry/testing';

/** tools/cluster/scripts: the shell half of this package (images, teardown, runc wrapper). */
export const scriptsDir = fileURLToPath(new URL('../scripts/', import.meta.url));

/** `${XDG_CACHE_HOME:-~/.cache}/agent-registry/cluster`: images, buildah's store, the active-cluster marker. */
export function clusterCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const cacheHome = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(cacheHome, 'agent-registry', 'cluster');
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
