import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root directory (this file is tools/testing/src/shared.ts). */
export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * `../shared` beside the checkout: data the project does not ship (kagent's own CRD, the official
 * A2A schema). Resolved from the repository root, never by an absolute path.
 */
export const sharedDir = resolve(repositoryRoot, '..', 'shared');

export type SharedFile = { available: true; path: string } | { available: false; reason: string };

/** True when the CI environment variable is set to anything but '', 'false' or '0'. */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI?.toLowerCase();
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

const warned = new Set<string>();

/**
 * A file under `../shared`. Missing, it is a loud one-line warning locally (the tests that need it
 * skip, naming the reason) and an error under CI=true, where `../shared` is always laid out.
 */
export function sharedFile(relative: string): SharedFile {
  const path = resolve(sharedDir, relative);
  if (existsSync(path)) return { available: true, path };
  const reason = `../shared/${relative} not found (looked in ${sharedDir})`;
  if (isCi()) throw new Error(`CI=true and ${reason}`);
  if (!warned.has(relative)) {
    warned.add(relative);
    console.warn(`\n⚠️  TESTS SKIPPED: ${reason}; clone the repository beside shared/ to run them.\n`);
  }
  return { available: false, reason };
}
