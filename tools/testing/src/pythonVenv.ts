import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where throwaway virtual environments are kept between runs (one per exact package set). */
export const venvCacheDir = join(
  process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'),
  'agent-registry',
  'venvs',
);

/**
 * A Python virtual environment with exactly `requirements` (pinned `name==version` strings)
 * installed from PyPI, created once and reused; returns the path of its `python`. A venv is
 * built in a temporary directory and renamed into place, so concurrent test files never see a
 * half-installed one.
 */
export async function pythonVenv(
  name: string,
  requirements: readonly string[],
  { python = 'python3', timeoutMs = 300_000 }: { python?: string; timeoutMs?: number } = {},
): Promise<string> {
  const digest = createHash('sha256').update(requirements.join('\n')).digest('hex').slice(0, 12);
  const dir = join(venvCacheDir, `${name}-${digest}`);
  const interpreter = join(dir, 'bin', 'python');
  if (existsSync(interpreter)) return interpreter;
  mkdirSync(venvCacheDir, { recursive: true });
  const staging = `${dir}.tmp-${process.pid}-${Date.now()}`;
  try {
    await run(python, ['-m', 'venv', staging], { timeout: timeoutMs });
    await run(
      join(staging, 'bin', 'python'),
      ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...requirements],
      { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
    );
    // Console scripts in a venv hard-code the staging path: call modules through `python -m`.
    try {
      renameSync(staging, dir);
    } catch (error) {
      if (!existsSync(interpreter)) throw error; // else another worker finished first
    }
    return interpreter;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
