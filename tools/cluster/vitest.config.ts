import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedVitestConfig } from '../../vitest.shared.js';

export default mergeConfig(
  sharedVitestConfig(import.meta.dirname),
  defineConfig({
    test: {
      // One cluster per run, shared by the end-to-end scenarios in order (they build on each other).
      fileParallelism: false,
      sequence: { concurrent: false },
      testTimeout: 240_000,
      // Starting the cluster includes building the images on a cold cache.
      hookTimeout: 1_500_000,
    },
  }),
);
