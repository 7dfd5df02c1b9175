import type { EnvtestBinaries } from './binaries.js';

/** The key under which the global setup `provide`s the control plane. */
export const ENVTEST_CONTEXT_KEY = 'agentRegistryEnvtest';

/** Serializable connection info of the shared control plane (see globalSetup.ts). */
export interface EnvtestConnection {
  available: true;
  kubeconfigPath: string;
  server: string;
  token: string;
  caCertPath: string;
  binaries: EnvtestBinaries;
  /** Names of the CRDs installed by the global setup. */
  crds: string[];
}

export interface EnvtestUnavailable {
  available: false;
  /** Why the integration suites are skipped. */
  reason: string;
}

export type EnvtestContext = EnvtestConnection | EnvtestUnavailable;

declare module 'vitest' {
  export interface ProvidedContext {
    [ENVTEST_CONTEXT_KEY]: EnvtestContext;
  }
}
