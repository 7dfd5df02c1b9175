import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedVitestConfig } from '../../vitest.shared.js';

/** The apps' declared entry points, resolved to their sources like the packages (never a stale dist/). */
const appEntry = (path: string) => fileURLToPath(new URL(`../../apps/${path}`, import.meta.url));

export default mergeConfig(
  sharedVitestConfig(import.meta.dirname),
  defineConfig({
    resolve: {
      alias: [
        { find: /^@agent-registry\/controller$/, replacement: appEntry('controller/src/index.ts') },
        {
          find: /^@agent-registry\/controller\/testing$/,
          replacement: appEntry('controller/src/testing.ts'),
        },
        { find: /^@agent-registry\/registry$/, replacement: appEntry('registry/src/index.ts') },
      ],
    },
    test: {
      globalSetup: ['@agent-registry/testing/globalSetup'],
      // The suites share one kube-apiserver and install cluster-wide objects (CRD variants, the admission
      // policy): run the files one after another so they never observe each other's changes.
      fileParallelism: false,
      testTimeout: 60_000,
    },
  }),
);
