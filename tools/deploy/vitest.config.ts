import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedVitestConfig } from '../../vitest.shared.js';

export default mergeConfig(
  sharedVitestConfig(import.meta.dirname),
  defineConfig({
    test: {
      globalSetup: ['@agent-registry/testing/globalSetup'],
      // The suites share one kube-apiserver and install cluster-wide objects (CRD variants, the admission
      // policy): run the files one after another so they never observe each other's changes.
      fileParallelism: false,
      testTimeout: 60_000,
    },
  }),
);
