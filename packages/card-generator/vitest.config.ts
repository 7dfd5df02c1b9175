import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedVitestConfig } from '../../vitest.shared.js';

export default mergeConfig(
  sharedVitestConfig(import.meta.dirname),
  defineConfig({
    test: {
      // One kube-apiserver + etcd for the run (tools/testing), for the tests that compare with a real cluster.
      globalSetup: ['@agent-registry/testing/globalSetup'],
    },
  }),
);
