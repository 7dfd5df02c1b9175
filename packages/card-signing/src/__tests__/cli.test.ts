import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { base64url, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { loadVerificationKeys, verifyA2ACard } from '../index.js';
import { reordered, sampleCard } from './cards.js';

const cli = fileURLToPath(new URL('../cli.ts', import.meta.url));
const translatorCli = fileURLToPath(new URL('../../../a2a-translator/src/cli.ts', import.meta.url));
// Maps the translator's on-demand import of this package's CLI to its source, so no build is needed.
const sourceTsconfig = fileURLToPath(new URL('./fixtures/tsconfig.source-cli.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'a2a-card-sign-'));

/** Runs `a2a-card-sign` (or, with `program`, another CLI) as a subprocess, the way a script does. */
function run(
  args: string[],
  input?: string,
  program = cli,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', program, ...args], {
      timeout: 30_000,
      env: { ...process.env, TSX_TSCONFIG_PATH: sourceTsconfig },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}
function file(name: string, text: string) {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const edPair = generateKeyPairSync('ed25519');
const ecPair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const edKey = file('ed.pem', edPair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
const ecKey = file(
  'ec.jwk',
  JSON.stringify({ ...(ecPair.privateKey.export({ format: 'jwk' }) as JWK), kid: 'ec-2026' }),
);
const jwks = file(
  'trusted.jwks',
  JSON.stringify({ keys: [{ ...(ecPair.publicKey.export({ format: 'jwk' }) as JWK), kid: 'ec-2026' }] }),
);
const edPublic = file('ed.pub.pem', edPair.publicKey.export({ format: 'pem', type: 'spki' }).toString());
const kidsOf = (card: { signatures: { protected: string }[] }) =>
  card.signatures.map(
    (entry) =>
      (JSON.parse(new TextDecoder().decode(base64url.decode(entry.protected))) as { kid: string }).kid,
  );

describe('a2a-card-sign', () => {
  for (const version of ['0.3.0', '1.0'] as const) {
    it(
      `signs a ${version} card with two keys and verifies it: exit 0, one line per signature`,
      { timeout: 60_000 },
      async () => {
        const cardFile = file(`card-${version}.json`, JSON.stringify(sampleCard(version)));
        const signed = await run([
          'sign',
          '--key',
          edKey,
          '--key',
          ecKey,
          '--jku',
          'https://registry.example.com/.well-known/jwks.json',
          cardFile,
        ]);
        expect(signed.stderr).toContain('signed with');
        expect(signed.code).toBe(0);
        const card = JSON.parse(signed.stdout) as { signatures: { protected: string }[] };
        expect(kidsOf(card)[1]).toBe('ec-2026');
        // An independent reading of what the CLI wrote: the library verifies it too.
        const lib = await verifyA2ACard(card, await loadVerificationKeys([jwks, edPublic]));
        expect(lib.verified && lib.verifiedKids.length).toBe(2);

        const signedFile = file(`signed-${version}.json`, signed.stdout);
        const verified = await run(['verify', '--jwks', jwks, '--jwks', edPublic, signedFile]);
        expect(verified.code).toBe(0);
        expect(verified.stdout.trim().split('\n')).toHaveLength(2);
        expect(verified.stdout).toContain('kid "ec-2026", ES256');

        // Reordered but equal, from stdin: still verified.
        const fromStdin = await run(['verify', '--jwks', jwks, '-'], JSON.stringify(reordered(card)));
        expect(fromStdin.code).toBe(0);
      },
    );
  }

  it('exit codes: 1 not verified, 4 unsigned; --all needs every signature', { timeout: 60_000 }, async () => {
    const cardFile = file('card.json', JSON.stringify(sampleCard('1.0')));
    const out = join(dir, 'out.json');
    expect((await run(['sign', '--key', edKey, '--key', ecKey, '-o', out, cardFile])).code).toBe(0);
    const signed = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    const tampered = file('tampered.json', JSON.stringify({ ...signed, description: 'changed' }));
    const [onlyEc, all, bad, unsigned] = await Promise.all([
      run(['verify', '--jwks', jwks, out]),
      run(['verify', '--all', '--jwks', jwks, out]),
      run(['verify', '--jwks', jwks, tampered]),
      run(['verify', '--jwks', jwks, cardFile]),
    ]);
    expect(onlyEc.code).toBe(0);
    expect(onlyEc.stderr).toMatch(/signatures\[0\]: no trusted key has kid "[\w-]+" \[unknown-key\]/);
    expect(all.code).toBe(1);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('[bad-signature]');
    expect(unsigned.code).toBe(4);
  });

  it(
    'exit codes: 2 usage, 3 unusable input, with path-precise messages that quote no content',
    { timeout: 60_000 },
    async () => {
      const cardFile = file('card-usage.json', JSON.stringify(sampleCard('0.3.0')));
      const usage = await Promise.all([
        run(['verify', cardFile]),
        run(['sign', cardFile]),
        run(['frobnicate', cardFile]),
        run(['sign', '--key', edKey, '--jku', 'http://plain.example', cardFile]),
        run(['sign', '--key', edKey, '--alg', 'HS256', cardFile]),
      ]);
      expect(usage.map((result) => result.code)).toEqual([2, 2, 2, 2, 2]);
      const [missing, notJson, hmac] = await Promise.all([
        run(['sign', '--key', join(dir, 'nope.pem'), cardFile]),
        run(['verify', '--jwks', jwks, file('notjson.json', 'SECRET-ish {')]),
        run(['sign', '--key', file('hmac.jwk', JSON.stringify({ kty: 'oct', k: 'AAAA' })), cardFile]),
      ]);
      expect(missing.code, missing.stderr).toBe(3);
      expect(missing.stderr).toContain('nope.pem: cannot read (ENOENT)');
      expect(notJson.code).toBe(3);
      expect(notJson.stderr).toContain('notjson.json: not valid JSON');
      expect(notJson.stderr).not.toContain('SECRET-ish');
      expect(hmac.code).toBe(3);
      expect(hmac.stderr).toContain('HMAC is refused');
    },
  );

  it('is what `a2a-card sign` and `a2a-card verify` run', { timeout: 60_000 }, async () => {
    const cardFile = file('via-translator.json', JSON.stringify(sampleCard('0.3.0')));
    const signed = await run(['sign', '--key', ecKey, cardFile], undefined, translatorCli);
    expect(signed.code, signed.stderr).toBe(0);
    expect(kidsOf(JSON.parse(signed.stdout) as { signatures: { protected: string }[] })).toEqual(['ec-2026']);
    const signedFile = file('via-translator-signed.json', signed.stdout);
    const [verified, unsigned, help] = await Promise.all([
      run(['verify', '--jwks', jwks, signedFile], undefined, translatorCli),
      run(['verify', '--jwks', jwks, cardFile], undefined, translatorCli),
      run(['sign', '--help'], undefined, translatorCli),
    ]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('verified (kid "ec-2026", ES256)');
    expect(unsigned.code).toBe(4);
    expect(help.stdout).toContain('a2a-card sign --key');
  });
});
