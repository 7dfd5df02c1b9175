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
];

/**
 * Shared Vitest settings. Workspace libraries resolve to their TypeScript
 * sources so tests never run against a stale `dist/`.
 */
export function sharedVitestConfig(projectRoot: string): ViteUserConfig {
  return defineConfig({
    root: projectRoot,
    resolve: {
      alias: Object.fromEntries(
        workspacePackages.map((name) => [
          `@agent-registry/${name}`,
          fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url)),
        ]),
      ),
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
