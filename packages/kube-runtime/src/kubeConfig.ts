import { delimiter } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

/**
 * A kubeconfig from `path`, else in-cluster (a service account), else client-node's default
 * (`KUBECONFIG`, `~/.kube/config`). A `path` that lists several files (`a:b`, like `KUBECONFIG`) is
 * merged by the default loader.
 */
export function loadKubeConfig(path?: string, env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (path && !path.includes(delimiter)) kubeConfig.loadFromFile(path);
  else if (path) kubeConfig.loadFromDefault();
  else if (env.KUBERNETES_SERVICE_HOST) kubeConfig.loadFromCluster();
  else kubeConfig.loadFromDefault();
  return kubeConfig;
}
