import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedVitestConfig } from '../../vitest.shared.js';

export default mergeConfig(
  sharedVitestConfig(import.meta.dirname),
  defineConfig({
    test: {
      // Python venvs are built on the first run (pip from PyPI), and every client reads every card.
      testTimeout: 600_000,
      hookTimeout: 600_000,
    },
  }),
);
