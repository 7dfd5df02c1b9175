import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/*
 * Project boundaries (tags in each package.json's "nx.tags"):
 * - type:package (packages/*) import only packages; scope:shared ones never import the apps' own shell (scope:apps);
 * - type:app (apps/*) import only packages, never another app;
 * - type:tool (tools/*) import packages, and apps only through their declared package entry points;
 * - tests and benchmarks may also import the test harness (scope:testing).
 * Nothing imports another project by a relative path: the rule reports it, so Nx sees every dependency.
 */
const boundaries = (testing) => {
  const withTesting = (tags) => (testing ? [...tags, 'scope:testing'] : tags);
  return [
    'error',
    {
      // Every project's vitest.config.ts extends the workspace's shared settings.
      allow: ['../../vitest.shared.js'],
      enforceBuildableLibDependency: false,
      banTransitiveDependencies: false,
      depConstraints: [
        { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: withTesting(['scope:shared']) },
        { sourceTag: 'type:package', onlyDependOnLibsWithTags: withTesting(['type:package']) },
        { sourceTag: 'type:app', onlyDependOnLibsWithTags: withTesting(['type:package']) },
        { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:package', 'type:app', 'type:tool'] },
      ],
    },
  ];
};
const TEST_FILES = ['**/__tests__/**', '**/bench/**', '**/*.test.ts', '**/vitest.config.ts'];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      '.nx/**',
      'deploy/**',
      'charts/**',
      // Deliberate boundary violations, linted by tools/repo-checks' own test.
      'tools/repo-checks/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': boundaries(false),
      // Another project is reached through its package entry points (package.json "exports"), never its files.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@agent-registry/[^/]+/(src|dist)(/|$)',
              message:
                'import another project through its declared entry point (package.json "exports"), not its files',
            },
          ],
        },
      ],
    },
  },
  {
    files: TEST_FILES,
    rules: { '@nx/enforce-module-boundaries': boundaries(true) },
  },
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        Response: 'readonly',
        Request: 'readonly',
        Headers: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        structuredClone: 'readonly',
        performance: 'readonly',
        Buffer: 'readonly',
        document: 'readonly',
        window: 'readonly',
        navigator: 'readonly',
        EventSource: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
);
