import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const workspacePackages = [
  'crds',
  'a2a-translator',
  'card-generator',
  'card-signing',
  'mcp-adapter',
  'kube-runtime',
  'app-shell',
  'registry-client',
  'agent-prober',
  'registry-server',
];

/** Entry points besides a package's `.`: subpath → source file. */
const subpathEntries: Record<string, string> = {
  '@agent-registry/registry-server/kubernetes': './packages/registry-server/src/kubernetes.ts',
};

/**
 * Shared Vitest settings. Workspace libraries resolve to their TypeScript
 * sources so tests never run against a stale `dist/`.
 */
export function sharedVitestConfig(projectRoot: string): ViteUserConfig {
  return defineConfig({
    root: projectRoot,
    resolve: {
      // Exact matches, so a subpath entry never resolves inside another package's index.
      alias: [
        ...Object.entries(subpathEntries).map(([find, file]) => ({
          find: new RegExp(`^${find}$`),
          replacement: fileURLToPath(new URL(file, import.meta.url)),
        })),
        ...workspacePackages.map((name) => ({
          find: new RegExp(`^@agent-registry/${name}$`),
          replacement: fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url)),
        })),
      ],
    },
    test: {
      include: ['src/**/__tests__/**/*.test.ts'],
      // The JSON report feeds the one-line summary that `npm test` prints.
      reporters: ['default', ['json', { outputFile: '.vitest-artifacts/results.json' }]],
      testTimeout: 20_000,
      hookTimeout: 60_000,
    },
  });
}
