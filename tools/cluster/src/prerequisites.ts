import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { resolveBinaries } from '@agent-registry/testing';
import { nodeBinariesDir } from './layout.js';

/** What a cluster needs from the machine: root, Debian packages, and the binaries tools/envtest builds. */
export type Prerequisites = { ok: true } | { ok: false; missing: string[] };

/** Debian packages the cluster and the image builds use (`.ci/run` installs them). */
export const DEBIAN_PACKAGES = [
  'containerd',
  'runc',
  'containernetworking-plugins',
  'buildah',
  'debootstrap',
  'iptables',
  'conntrack',
  'busybox-static',
  'iproute2',
];

const COMMANDS: Record<string, string> = {
  containerd: 'containerd',
  ctr: 'containerd',
  runc: 'runc',
  buildah: 'buildah',
  debootstrap: 'debootstrap',
  iptables: 'iptables',
  conntrack: 'conntrack',
  ip: 'iproute2',
};

export const CNI_BIN_DIR = '/usr/lib/cni';

function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Checks everything without changing anything; `missing` says what and how to get it. */
export function checkPrerequisites(env: NodeJS.ProcessEnv = process.env): Prerequisites {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root (the kubelet, containerd and the pod network need it)');
  const packages = new Set<string>();
  for (const [command, pkg] of Object.entries(COMMANDS)) if (!onPath(command, env)) packages.add(pkg);
  for (const plugin of ['bridge', 'host-local', 'loopback'])
    if (!existsSync(join(CNI_BIN_DIR, plugin))) packages.add('containernetworking-plugins');
  if (!existsSync('/bin/busybox')) packages.add('busybox-static');
  if (packages.size > 0) missing.push(`Debian packages: apt-get install ${[...packages].join(' ')}`);
  if (!existsSync('/sys/fs/cgroup')) missing.push('cgroups mounted at /sys/fs/cgroup');
  const control = resolveBinaries(env);
  if (!control.found) missing.push(`${control.reason} (npm run envtest:setup)`);
  const nodeDir = nodeBinariesDir(env);
  const nodeMissing = [
    'kubelet',
    'kube-scheduler',
    'kube-controller-manager',
    'kube-proxy',
    'coredns',
  ].filter((name) => !existsSync(join(nodeDir, name)));
  if (nodeMissing.length > 0)
    missing.push(`${nodeMissing.join(', ')} not in ${nodeDir} (bash tools/envtest/setup.sh --node)`);
  return missing.length === 0 ? { ok: true } : { ok: false, missing };
}
