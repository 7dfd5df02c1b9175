import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedVitestConfig } from '../../vitest.shared.js';

export default mergeConfig(
  sharedVitestConfig(import.meta.dirname),
  defineConfig({
    test: {
      // A real kube-apiserver + etcd for the Kubernetes store and auth suites (skipped locally without binaries).
      globalSetup: ['@agent-registry/testing/globalSetup'],
    },
  }),
);
