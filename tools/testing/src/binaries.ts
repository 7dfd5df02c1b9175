import { accessSync, constants, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute paths of the control-plane binaries. */
export interface EnvtestBinaries {
  kubeApiServer: string;
  etcd: string;
  kubectl: string;
}

export type BinaryResolution =
  { found: true; binaries: EnvtestBinaries } | { found: false; reason: string; binaries: EnvtestBinaries };

const envtestModuleDir = fileURLToPath(new URL('../../envtest/', import.meta.url));

/** Kubernetes version pinned by tools/envtest/go.mod (e.g. `v1.34.4`). */
export function envtestKubernetesVersion(): string {
  const goMod = readFileSync(join(envtestModuleDir, 'go.mod'), 'utf8');
  const match = /^\s*k8s\.io\/kubernetes\s+(v\S+)\s*$/m.exec(goMod);
  if (!match?.[1]) throw new Error(`no k8s.io/kubernetes requirement in ${envtestModuleDir}go.mod`);
  return match[1];
}

/** Where `npm run envtest:setup` caches the binaries it builds. */
export function envtestCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const cacheHome = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(cacheHome, 'agent-registry', 'envtest', envtestKubernetesVersion());
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds kube-apiserver, etcd and kubectl with the same rules as
 * tools/envtest/setup.sh: `TEST_ASSET_KUBE_APISERVER` / `TEST_ASSET_ETCD` /
 * `TEST_ASSET_KUBECTL` per binary, else the `KUBEBUILDER_ASSETS` directory,
 * else the setup cache directory. Never builds anything.
 */
export function resolveBinaries(env: NodeJS.ProcessEnv = process.env): BinaryResolution {
  const dir = env.KUBEBUILDER_ASSETS || envtestCacheDir(env);
  const binaries: EnvtestBinaries = {
    kubeApiServer: env.TEST_ASSET_KUBE_APISERVER || join(dir, 'kube-apiserver'),
    etcd: env.TEST_ASSET_ETCD || join(dir, 'etcd'),
    kubectl: env.TEST_ASSET_KUBECTL || join(dir, 'kubectl'),
  };
  const missing = Object.values(binaries).filter((path) => !isExecutable(path));
  if (missing.length === 0) return { found: true, binaries };
  const names = missing.map((path) => basename(path)).join(', ');
  return {
    found: false,
    binaries,
    reason: `${names} not found in ${[...new Set(missing.map((path) => dirname(path)))].join(', ')}`,
  };
}
