import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTokenFileAuthenticator, parseTokensFile } from '../auth/tokenFile.js';
import type { Authenticator } from '../auth/types.js';

const tokenOf = (round: number): string => `rotated-token-${round}-0123456789abcdef`;
const tokensYaml = (round: number): string =>
  `tokens:\n  - {name: ci, token: ${tokenOf(round)}, namespaces: [team-data]}\n`;

/**
 * A Secret volume as the kubelet writes it: `..<timestamp>/` holds the files, `..data` points at it,
 * and `tokens.yaml` -> `..data/tokens.yaml`. An update writes a new timestamped directory, points
 * `..data_tmp` at it, renames that over `..data` (atomic) and removes the old directory.
 */
async function secretVolume(): Promise<{
  file: string;
  rotate(text: string): Promise<void>;
  remove(): Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'registry-secret-'));
  let generation = 0;
  let current: string | undefined;
  const rotate = async (text: string): Promise<void> => {
    const next = `..2026_01_0${++generation}_00_00_00.${process.pid}`;
    await mkdir(join(dir, next));
    await writeFile(join(dir, next, 'tokens.yaml'), text);
    await symlink(next, join(dir, '..data_tmp'));
    await rename(join(dir, '..data_tmp'), join(dir, '..data'));
    if (current) await rm(join(dir, current), { recursive: true });
    current = next;
  };
  await rotate(tokensYaml(0));
  await symlink(join('..data', 'tokens.yaml'), join(dir, 'tokens.yaml'));
  return { file: join(dir, 'tokens.yaml'), rotate, remove: () => rm(dir, { recursive: true, force: true }) };
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('tokens file reload', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function rotations(authenticator: Authenticator, volume: Awaited<ReturnType<typeof secretVolume>>) {
    expect(await authenticator.authenticate(tokenOf(0))).toBeDefined();
    for (let round = 1; round <= 3; round++) {
      await volume.rotate(tokensYaml(round));
      await until(
        async () => (await authenticator.authenticate(tokenOf(round))) !== undefined,
        `round ${round}`,
      );
      // The revoked token stops working as the new one starts.
      expect(await authenticator.authenticate(tokenOf(round - 1))).toBeUndefined();
    }
  }

  it('follows three Kubernetes Secret rotations (..data symlink swaps) by watching the directory', async () => {
    const volume = await secretVolume();
    const authenticator = await createTokenFileAuthenticator(volume.file, { pollIntervalMs: 0 });
    cleanups.push(() => authenticator.close(), volume.remove);
    await rotations(authenticator, volume);
  });

  it('also notices rotations by re-reading periodically when no watch is possible', async () => {
    const volume = await secretVolume();
    const authenticator = await createTokenFileAuthenticator(volume.file, {
      watchFile: false,
      pollIntervalMs: 50,
    });
    cleanups.push(() => authenticator.close(), volume.remove);
    await rotations(authenticator, volume);
  });

  it('tells listeners after a reload that changed the tokens, not after one that did not', async () => {
    const volume = await secretVolume();
    const authenticator = await createTokenFileAuthenticator(volume.file, {
      watchFile: false,
      pollIntervalMs: 0,
    });
    cleanups.push(() => authenticator.close(), volume.remove);
    let changes = 0;
    authenticator.onChange?.(() => changes++);
    await authenticator.reload();
    expect(changes).toBe(0);
    await volume.rotate(tokensYaml(1));
    await authenticator.reload();
    expect(changes).toBe(1);
  });
});

describe('tokens file schema', () => {
  it('rejects two tokens with one name, naming both entries', () => {
    const text = `tokens:
  - {name: ci, token: first-token-0123456789, namespaces: [team-data]}
  - {name: ops, token: other-token-0123456789, namespaces: ['*']}
  - {name: ci, token: second-token-0123456789, namespaces: [team-platform]}
`;
    expect(() => parseTokensFile('/etc/registry/tokens.yaml', text)).toThrow(
      '/etc/registry/tokens.yaml: tokens[2].name: "ci" is already the name of tokens[0]; token names must be unique',
    );
  });

  it('gives principals with one name but other namespaces different ids', () => {
    const [a] = parseTokensFile(
      'a.yaml',
      `tokens: [{name: ci, token: first-token-0123456789, namespaces: [x, y]}]`,
    );
    const [b] = parseTokensFile(
      'b.yaml',
      `tokens: [{name: ci, token: first-token-0123456789, namespaces: [x]}]`,
    );
    const [c] = parseTokensFile(
      'c.yaml',
      `tokens: [{name: ci, token: first-token-0123456789, namespaces: [y, x]}]`,
    );
    expect(a?.principal.name).toBe(b?.principal.name);
    expect(a?.principal.id).not.toBe(b?.principal.id);
    expect(a?.principal.id).toBe(c?.principal.id);
    expect(a?.principal.id).not.toContain('first-token');
  });
});
