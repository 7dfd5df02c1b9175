import type { KubeConfig } from '@kubernetes/client-node';
import { describe, inject, test } from 'vitest';
import { ENVTEST_CONTEXT_KEY, type EnvtestConnection, type EnvtestContext } from './context.js';
import { loadKubeConfig, runKubectl } from './controlPlane.js';
import { kagentAgentCrd } from './crds.js';
import { createTestNamespace, type TestNamespace } from './namespace.js';

/** What an integration suite gets: the shared control plane plus helpers. */
export interface IntegrationControlPlane extends EnvtestConnection {
  /** A client-node KubeConfig for the shared control plane (one per suite). */
  kubeConfig: KubeConfig;
  /** Runs the matching kubectl with the control plane's kubeconfig; resolves with stdout. */
  kubectl(args: string[]): Promise<string>;
  /** {@link createTestNamespace} on this control plane (deleted after the test when called in a test). */
  createNamespace(prefix?: string): Promise<TestNamespace>;
}

/**
 * The shared control plane provided by `@agent-registry/testing/globalSetup`,
 * or why it is unavailable. Throws when the Vitest config lacks the global setup.
 */
export function useControlPlane(): EnvtestContext {
  const context = inject(ENVTEST_CONTEXT_KEY) as EnvtestContext | undefined;
  if (context === undefined) {
    throw new Error(
      "no control plane: add globalSetup: ['@agent-registry/testing/globalSetup'] to the test options of vitest.config.ts",
    );
  }
  return context;
}

function connect(connection: EnvtestConnection): IntegrationControlPlane {
  const kubeConfig = loadKubeConfig(connection.kubeconfigPath);
  return {
    ...connection,
    kubeConfig,
    kubectl: (args) => runKubectl(connection.binaries.kubectl, connection.kubeconfigPath, args),
    createNamespace: (prefix) => createTestNamespace(kubeConfig, prefix),
  };
}

/** A suite reported as skipped, with why as the name of its one skipped test. */
function skippedSuite(name: string, reason: string): void {
  describe.skip(name, () => {
    test.skip(reason, () => undefined);
  });
}

/**
 * `describe` for suites that need the real kube-apiserver. The body receives
 * the control plane; when the binaries are missing (and not under CI) the suite
 * is reported as skipped with the reason instead.
 */
function integrationDescribe(name: string, body: (controlPlane: IntegrationControlPlane) => void): void {
  const context = useControlPlane();
  if (!context.available) return skippedSuite(name, context.reason);
  const controlPlane = connect(context);
  describe(name, () => body(controlPlane));
}

/**
 * `integration.describe` for suites that create kagent Agents: kagent's own CRD comes from `../shared`, so
 * without it the suite is reported as skipped with the reason (and under CI, where `../shared` is always laid
 * out, its absence is an error).
 */
function kagentDescribe(name: string, body: (controlPlane: IntegrationControlPlane) => void): void {
  const crd = kagentAgentCrd();
  if (!crd.available) return skippedSuite(name, crd.reason);
  integrationDescribe(name, body);
}

export const integration = {
  describe: integrationDescribe,
  /** {@link kagentDescribe}: the suite needs kagent's Agent CRD from ../shared as well. */
  withKagent: kagentDescribe,
  /** True when the shared control plane is running. */
  get available(): boolean {
    return useControlPlane().available;
  },
};
