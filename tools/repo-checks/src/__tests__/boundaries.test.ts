import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../repository.js';

const RULES = new Set(['@nx/enforce-module-boundaries', 'no-restricted-imports']);
const eslint = new ESLint({ cwd: repositoryRoot });

/** Lints a fixture's text with the repository's own eslint.config.js, as if it lived at `asFile`. */
async function boundaryErrors(fixture: string, asFile: string): Promise<string[]> {
  const code = readFileSync(join(repositoryRoot, 'tools/repo-checks/fixtures', fixture), 'utf8');
  const [result] = await eslint.lintText(code, { filePath: join(repositoryRoot, asFile) });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId !== null && RULES.has(message.ruleId))
    .map((message) => message.message);
}

describe('project boundaries (eslint.config.js, @nx/enforce-module-boundaries)', () => {
  it('a package importing an app fails lint', async () => {
    expect(
      await boundaryErrors('packageImportsApp.ts', 'packages/mcp-adapter/src/boundaryFixture.ts'),
    ).toEqual([
      expect.stringMatching(
        /A project tagged with "(type:package|scope:shared)" can only depend on libs tagged with/,
      ),
    ]);
  });

  it('an app importing another app fails lint', async () => {
    expect(await boundaryErrors('appImportsApp.ts', 'apps/registry/src/boundaryFixture.ts')).toEqual([
      expect.stringContaining('tagged with "type:app" can only depend on libs tagged with "type:package"'),
    ]);
  });

  it('a shared library importing the apps’ shell fails lint', async () => {
    expect(
      await boundaryErrors('sharedImportsAppShell.ts', 'packages/registry-client/src/boundaryFixture.ts'),
    ).toEqual([
      expect.stringContaining(
        'tagged with "scope:shared" can only depend on libs tagged with "scope:shared"',
      ),
    ]);
  });

  it('importing another project by a relative path fails lint, even from a tool', async () => {
    expect(
      await boundaryErrors('relativeImportAcrossProjects.ts', 'tools/deploy/src/boundaryFixture.ts'),
    ).toEqual([expect.stringContaining('Projects cannot be imported by a relative or absolute path')]);
  });

  it('reaching into another project’s files instead of its entry points fails lint', async () => {
    expect(await boundaryErrors('deepImport.ts', 'tools/deploy/src/boundaryFixture.ts')).toEqual([
      expect.stringContaining('through its declared entry point'),
    ]);
  });

  it('an app importing packages by name passes', async () => {
    expect(await boundaryErrors('allowed.ts', 'apps/controller/src/boundaryFixture.ts')).toEqual([]);
  });
});
