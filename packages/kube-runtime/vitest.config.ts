import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedVitestConfig } from '../../vitest.shared.js';

export default mergeConfig(
  sharedVitestConfig(import.meta.dirname),
  defineConfig({
    test: {
      // One kube-apiserver + etcd for the whole run (tools/testing); integration suites skip without the binaries.
      globalSetup: ['@agent-registry/testing/globalSetup'],
    },
  }),
);
