import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file (never an absolute path written down). */
export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The files git tracks, plus new ones it does not ignore, relative to the root. */
export function trackedFiles(root = repositoryRoot): string[] {
  const output = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return [...new Set(output.split('\0').filter((file) => file !== ''))].sort();
}
