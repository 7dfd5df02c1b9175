import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedVitestConfig } from '../../vitest.shared.js';

export default mergeConfig(
  sharedVitestConfig(import.meta.dirname),
  defineConfig({
    test: {
      // One cluster per machine: the end-to-end suite and the kill test each start one, so their files run
      // one after another; the end-to-end scenarios share theirs in order (they build on each other).
      fileParallelism: false,
      sequence: { concurrent: false },
      testTimeout: 240_000,
      // Starting the cluster includes building the images on a cold cache.
      hookTimeout: 1_500_000,
    },
  }),
);
