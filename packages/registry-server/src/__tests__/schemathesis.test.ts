import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { pythonVenv } from '@agent-registry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleServer } from './helpers.js';

const SCHEMATHESIS = 'schemathesis==4.32.5';
const config = fileURLToPath(new URL('./schemathesis.toml', import.meta.url));

/**
 * The hostile-input suite: Schemathesis from PyPI against the OpenAPI document the registry serves,
 * every check (status codes and content types documented, Status bodies, schema-valid requests
 * accepted, schema-violating ones refused, security declared and enforced, SSE events as described,
 * no 5xx), in every phase. 0 failures.
 */
describe('Schemathesis over the served OpenAPI document', { timeout: 900_000 }, () => {
  let python: string;
  beforeAll(async () => {
    python = await pythonVenv('schemathesis', [SCHEMATHESIS]);
  }, 600_000);

  for (const auth of ['none', 'token'] as const) {
    describe(`auth=${auth}`, () => {
      let server: Awaited<ReturnType<typeof startExampleServer>>;
      let tokensDir: string | undefined;
      beforeAll(async () => {
        if (auth === 'token') {
          const { mkdtemp, writeFile } = await import('node:fs/promises');
          const { tmpdir } = await import('node:os');
          const { join } = await import('node:path');
          tokensDir = await mkdtemp(join(tmpdir(), 'registry-schemathesis-'));
          await writeFile(
            join(tokensDir, 'tokens.yaml'),
            `tokens:\n  - {name: fuzz, token: fuzz-token-0123456789abcdef, namespaces: ['*']}\n`,
          );
          server = await startExampleServer({ auth: 'token', tokensFile: join(tokensDir, 'tokens.yaml') });
        } else {
          server = await startExampleServer({ exposeProblems: true });
        }
      });
      afterAll(async () => {
        await server?.close();
        if (tokensDir)
          await (await import('node:fs/promises')).rm(tokensDir, { recursive: true, force: true });
      });

      it('finds 0 failures with every check', async () => {
        const args = [
          '-m',
          'schemathesis.cli',
          '--config-file',
          config,
          'run',
          `${server.url}/openapi.json`,
          '--checks',
          'all',
          '--max-examples',
          '25',
          '--seed',
          '20261201',
          '--workers',
          '1',
          '--no-color',
          '--generation-database',
          'none',
          ...(auth === 'token' ? ['--header', 'Authorization: Bearer fuzz-token-0123456789abcdef'] : []),
        ];
        const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) =>
          // In a temporary directory: Schemathesis keeps state in `.schemathesis/` of its working directory.
          execFile(
            python,
            args,
            { cwd: tmpdir(), maxBuffer: 64 * 1024 * 1024, timeout: 600_000 },
            (error, out, err) =>
              resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: `${out}\n${err}` }),
          ),
        );
        const summary = stdout
          .split('\n')
          .filter((line) => /generated|passed|failures|Failures|❌|✅/.test(line));
        console.log(`schemathesis (auth=${auth}):\n${summary.join('\n')}`);
        expect(code, stdout.slice(-20_000)).toBe(0);
        expect(stdout).toMatch(/No issues found|passed/);
      });
    });
  }
});
