// Repository paths shared by the deploy scripts and tests.
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const chartDir = fileURLToPath(new URL('../../../charts/agent-registry/', import.meta.url));
export const chartCrdsDir = fileURLToPath(new URL('../../../charts/agent-registry/crds/', import.meta.url));
export const sourceCrdsDir = fileURLToPath(new URL('../../../packages/crds/manifests/', import.meta.url));
export const manifestsDir = fileURLToPath(new URL('../../../deploy/manifests/', import.meta.url));
