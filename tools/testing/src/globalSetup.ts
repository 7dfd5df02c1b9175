/**
 * Vitest `globalSetup` module: starts ONE etcd + kube-apiserver per Vitest
 * project run, installs the test CRDs and provides the connection to the test
 * files (read it with `integration.describe` / `useControlPlane()`).
 *
 *   // vitest.config.ts
 *   test: { globalSetup: ['@agent-registry/testing/globalSetup'] }
 *
 * Missing binaries: skipped with one loud line locally, a failure under CI=true.
 */
import type { TestProject } from 'vitest/node';
import { resolveBinaries } from './binaries.js';
import { ENVTEST_CONTEXT_KEY } from './context.js';
import { startControlPlane } from './controlPlane.js';
import { installCrds, testCrdFiles } from './crds.js';
import { isCi } from './shared.js';

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const resolution = resolveBinaries();
  if (!resolution.found) {
    const reason = `kube-apiserver/etcd not available (${resolution.reason}): run \`npm run envtest:setup\``;
    if (isCi()) throw new Error(`CI=true and ${reason}`);
    console.warn(`\n⚠️  INTEGRATION SUITES SKIPPED: ${reason} to build them (or set KUBEBUILDER_ASSETS).\n`);
    project.provide(ENVTEST_CONTEXT_KEY, { available: false, reason });
    return undefined;
  }

  const started = performance.now();
  const controlPlane = await startControlPlane({ binaries: resolution.binaries });
  try {
    const crds = await installCrds(controlPlane.kubeConfig, testCrdFiles());
    if (process.env.AGENT_REGISTRY_ENVTEST_VERBOSE) {
      console.info(
        `envtest: control plane ${controlPlane.server} ready with ${crds.length} CRDs in ` +
          `${Math.round(performance.now() - started)} ms`,
      );
    }
    project.provide(ENVTEST_CONTEXT_KEY, {
      available: true,
      kubeconfigPath: controlPlane.kubeconfigPath,
      server: controlPlane.server,
      token: controlPlane.token,
      caCertPath: controlPlane.caCertPath,
      binaries: controlPlane.binaries,
      crds,
    });
  } catch (error) {
    await controlPlane.stop();
    throw error;
  }
  return () => controlPlane.stop();
}
