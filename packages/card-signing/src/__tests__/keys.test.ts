import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { loadSigningKeys, loadVerificationKeys, publicJwks, signA2ACard, verifyA2ACard } from '../index.js';
import { sampleCard } from './cards.js';

const root = mkdtempSync(join(tmpdir(), 'card-signing-keys-'));
let counter = 0;
function dir(): string {
  const path = join(root, String(counter++));
  mkdirSync(path);
  return path;
}

const ed = () => generateKeyPairSync('ed25519');
const pem = (pair: ReturnType<typeof ed>) =>
  pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const privateJwk = (pair: ReturnType<typeof ed>, extra: Partial<JWK> = {}) => ({
  ...(pair.privateKey.export({ format: 'jwk' }) as JWK),
  ...extra,
});

describe('loadSigningKeys', () => {
  it('reads PEM (PKCS#8, SEC1, PKCS#1), a private JWK and a JWK Set; PEM keys are named by thumbprint', async () => {
    const d = dir();
    const edPair = ed();
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(join(d, 'a-ed.pem'), pem(edPair));
    writeFileSync(join(d, 'b-ec.pem'), ec.privateKey.export({ format: 'pem', type: 'sec1' }));
    writeFileSync(join(d, 'c-rsa.pem'), rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }));
    writeFileSync(join(d, 'd.jwk'), JSON.stringify(privateJwk(ed(), { kid: 'jwk-1' })));
    writeFileSync(
      join(d, 'e.jwks'),
      JSON.stringify({ keys: [privateJwk(ed(), { kid: 'set-1' }), privateJwk(ed(), { kid: 'set-2' })] }),
    );
    const keys = await loadSigningKeys(d);
    expect(keys.map((key) => key.alg)).toEqual(['EdDSA', 'ES384', 'RS256', 'EdDSA', 'EdDSA', 'EdDSA']);
    const edPublic = edPair.publicKey.export({ format: 'jwk' }) as JWK;
    expect(keys[0]!.kid).toBe(await calculateJwkThumbprint(edPublic, 'sha256'));
    expect(keys.slice(3).map((key) => key.kid)).toEqual(['jwk-1', 'set-1', 'set-2']);
    // The kid of a PEM key is stable: loading again names it the same.
    expect((await loadSigningKeys(join(d, 'a-ed.pem')))[0]!.kid).toBe(keys[0]!.kid);
  });

  it('reads a mounted Secret: keys through ..data symlinks, bookkeeping entries skipped', async () => {
    const d = dir();
    const snapshot = join(d, '..2026_12_01_21_00_00.000000001');
    mkdirSync(snapshot);
    writeFileSync(join(snapshot, 'signing.pem'), pem(ed()));
    writeFileSync(join(snapshot, 'next.json'), JSON.stringify(privateJwk(ed(), { kid: 'next' })));
    symlinkSync('..2026_12_01_21_00_00.000000001', join(d, '..data'));
    symlinkSync('..data/signing.pem', join(d, 'signing.pem'));
    symlinkSync('..data/next.json', join(d, 'next.json'));
    const keys = await loadSigningKeys([d]);
    expect(keys).toHaveLength(2);
    expect(keys[0]!.kid).toBe('next'); // files in name order: next.json, signing.pem
  });

  it('publishes public members only, and what it publishes verifies what the keys sign', async () => {
    const d = dir();
    writeFileSync(join(d, 'k.pem'), pem(ed()));
    writeFileSync(
      join(d, 'r.pem'),
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }),
    );
    const keys = await loadSigningKeys(d);
    const jwks = publicJwks(keys);
    for (const jwk of jwks.keys) {
      expect(Object.keys(jwk).filter((name) => ['d', 'p', 'q', 'dp', 'dq', 'qi'].includes(name))).toEqual([]);
      expect(jwk).toMatchObject({ use: 'sig' });
    }
    const signed = await signA2ACard(sampleCard('1.0'), keys);
    const result = await verifyA2ACard(JSON.parse(JSON.stringify(signed)), JSON.parse(JSON.stringify(jwks)));
    expect(result.verifiedKids).toEqual(keys.map((key) => key.kid));
  });

  it('refuses what cannot sign, naming the file and never quoting it', async () => {
    const d = dir();
    const secretText = 'TOP-SECRET-CONTENT';
    const cases: [string, string, RegExp][] = [
      [
        'garbage.pem',
        `-----BEGIN PRIVATE KEY-----\n${secretText}\n-----END PRIVATE KEY-----\n`,
        /not a PEM private key/,
      ],
      [
        'public.pem',
        ed().publicKey.export({ format: 'pem', type: 'spki' }).toString(),
        /not a PEM private key|public key/,
      ],
      [
        'public.jwk',
        JSON.stringify({ ...(ed().publicKey.export({ format: 'jwk' }) as JWK), note: secretText }),
        /no private part/,
      ],
      ['hmac.jwk', JSON.stringify({ kty: 'oct', k: secretText }), /HMAC/],
      ['bad.json', `{ ${secretText}`, /not valid JSON/],
      ['none.jwk', JSON.stringify(privateJwk(ed(), { alg: 'none' })), /not allowed/],
      [
        'x25519.pem',
        generateKeyPairSync('x25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        /unsupported key type/,
      ],
    ];
    for (const [name, text, expected] of cases) {
      const path = join(d, name);
      writeFileSync(path, text);
      const error = await loadSigningKeys(path).then(
        () => undefined,
        (caught: unknown) => caught as Error,
      );
      expect(error?.message, name).toMatch(expected);
      expect(error?.message, name).toContain(path);
      expect(error?.message, name).not.toContain(secretText);
    }
  });

  it('refuses duplicate kids, missing paths and an empty directory', async () => {
    const d = dir();
    writeFileSync(join(d, 'a.jwk'), JSON.stringify(privateJwk(ed(), { kid: 'same' })));
    writeFileSync(join(d, 'b.jwk'), JSON.stringify(privateJwk(ed(), { kid: 'same' })));
    await expect(loadSigningKeys(d)).rejects.toThrow(/kid "same" is already used by .*a\.jwk/);
    await expect(loadSigningKeys(join(d, 'missing.pem'))).rejects.toThrow(
      /missing\.pem: cannot read \(ENOENT\)/,
    );
    await expect(loadSigningKeys(dir())).rejects.toThrow(/no signing key found/);
  });
});

describe('loadVerificationKeys', () => {
  it('reads JWK Sets, single JWKs and PEM public keys, dropping private members and refusing HMAC', async () => {
    const d = dir();
    const pair = ed();
    writeFileSync(join(d, 'a.jwks'), JSON.stringify({ keys: [privateJwk(pair, { kid: 'with-private' })] }));
    writeFileSync(join(d, 'b.pem'), ed().publicKey.export({ format: 'pem', type: 'spki' }));
    const keys = await loadVerificationKeys(d);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toEqual({ ...(pair.publicKey.export({ format: 'jwk' }) as JWK), kid: 'with-private' });
    expect(keys[1]!.kid).toMatch(/^[\w-]{43}$/);
    writeFileSync(join(d, 'c.jwk'), JSON.stringify({ kty: 'oct', k: 'AAAA' }));
    await expect(loadVerificationKeys(d)).rejects.toThrow(/c\.jwk: symmetric \(oct\) keys are refused/);
  });
});
