import { spawn, type ChildProcess } from 'node:child_process';
import { repositoryRoot } from '@agent-registry/testing';
import { join } from 'node:path';

export interface RegistryProcess {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * The registry as its users start it: `apps/registry/src/main.ts` in its own process (through tsx,
 * with the workspace libraries read from their sources), the embedded store over `manifests`.
 * Rate limiting is off: the suite's clients read several hundred documents from one address.
 */
export async function startRegistry(manifests: string, extraArgs: string[] = []): Promise<RegistryProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(repositoryRoot, 'apps/registry/src/main.ts'),
      '--manifests',
      manifests,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--rate-limit',
      '0',
      '--log-level',
      'warn',
      // The examples' endpoints are not reachable from here; health changing mid-run is not what these suites compare.
      '--no-probing',
      ...extraArgs,
    ],
    {
      env: { ...process.env, TSX_TSCONFIG_PATH: join(import.meta.dirname, 'tsconfig.sources.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the registry did not start in 120 s:\n${output}`)),
      120_000,
    );
    const look = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout?.on('data', look);
    child.stderr?.on('data', look);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the registry exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
