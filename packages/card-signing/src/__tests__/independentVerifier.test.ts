import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { pythonVenv } from '@agent-registry/testing';
import { A2A_VERSIONS } from '@agent-registry/crds';
import { base64url, type JSONWebKeySet } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { omitDefaultValuesV1, publicJwks, signA2ACard, signingPayload, type SigningKey } from '../index.js';
import { freshKey, reordered, sampleCard } from './cards.js';

/**
 * A second JOSE implementation from another ecosystem: Python's jwcrypto verifies our signatures
 * over a payload it canonicalises itself with the `rfc8785` package — no code of ours on that side.
 */
const script = fileURLToPath(new URL('./python/verify_cards.py', import.meta.url));

interface PythonVerdict {
  verified: string[];
  errors: string[];
  payloadSha256: string;
}

let python: string;
let keys: SigningKey[];
let jwks: JSONWebKeySet;

function runPython(cases: { name: string; card: unknown; jwks: JSONWebKeySet }[]) {
  return new Promise<Record<string, PythonVerdict>>((resolve, reject) => {
    const child = execFile(python, [script], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as Record<string, PythonVerdict>);
    });
    child.stdin!.end(JSON.stringify({ cases }));
  });
}

beforeAll(async () => {
  python = await pythonVenv('card-signing-jwcrypto', ['jwcrypto==1.6.1', 'rfc8785==0.1.4']);
  keys = [
    await freshKey('Ed25519', 'reg-ed'),
    await freshKey('P-256', 'reg-ec'),
    await freshKey('RSA', 'reg-rsa'),
  ];
  jwks = publicJwks(keys);
}, 300_000);

for (const a2aVersion of A2A_VERSIONS) {
  describe(`jwcrypto on A2A ${a2aVersion} cards we signed`, () => {
    it('accepts every signature and rejects each tampering', async () => {
      const card = sampleCard(a2aVersion);
      // The sample card holds no default-valued member, so plain JCS (all the Python side does) is §8.4's payload for both versions.
      if (a2aVersion === '1.0') expect(omitDefaultValuesV1(card)).toEqual(card);
      const signed = await signA2ACard(card, keys, {
        jku: 'https://registry.example.com/.well-known/jwks.json',
      });
      const served = JSON.stringify(signed); // the bytes a registry would send
      const { signatures, ...unsigned } = signed;
      const other = await freshKey('Ed25519', 'reg-ed');
      const forgedNone = {
        ...unsigned,
        signatures: [
          {
            protected: base64url.encode(JSON.stringify({ alg: 'none', kid: 'reg-ed', typ: 'JOSE' })),
            signature: base64url.encode('x'),
          },
        ],
      };
      const verdicts = await runPython([
        { name: 'signed', card: JSON.parse(served), jwks },
        { name: 'reordered', card: reordered(JSON.parse(served)), jwks },
        { name: 'changed', card: { ...JSON.parse(served), version: '9.9.9' }, jwks },
        { name: 'removed', card: unsigned, jwks },
        { name: 'wrongKey', card: JSON.parse(served), jwks: publicJwks([other]) },
        { name: 'algNone', card: forgedNone, jwks },
      ]);
      const all = ['reg-ed', 'reg-ec', 'reg-rsa'];
      expect(signatures).toHaveLength(3);
      expect(verdicts.signed!.verified).toEqual(all);
      expect(verdicts.signed!.payloadSha256).toBe(
        createHash('sha256').update(signingPayload(card, a2aVersion)).digest('hex'),
      );
      expect(verdicts.reordered!.verified).toEqual(all);
      expect(verdicts.changed!).toMatchObject({ verified: [] });
      expect(verdicts.changed!.errors).toHaveLength(3);
      expect(verdicts.removed!).toMatchObject({ verified: [], errors: [] });
      expect(verdicts.wrongKey!.verified).toEqual([]);
      expect(verdicts.wrongKey!.errors).toHaveLength(3); // one impostor for reg-ed, no key for the others
      expect(verdicts.algNone!).toMatchObject({ verified: [] });
      expect(verdicts.algNone!.errors).toHaveLength(1);
    });
  });
}
