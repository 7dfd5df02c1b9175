import { readFileSync } from 'node:fs';
import { A2A_VERSIONS } from '@agent-registry/crds';
import { base64url, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { signA2ACard, signingPayload, toSigningKey, verifyA2ACard } from '../index.js';

/** The A2A conformance kit's card-signing vectors; provenance is recorded inside the fixture. */
interface Vectors {
  provenance: string;
  publicJwk: JWK;
  privateJwk: JWK;
  canonicalizationCases: { id: string; card: Record<string, unknown>; expectedPayload: string }[];
  signingCases: {
    id: string;
    card: Record<string, unknown>;
    alg: string;
    kid: string;
    protectedHeader: Record<string, string>;
    expectedProtected: string;
    expectedPayload: string;
    expectedSigningInput: string;
    expectedSignature: string;
  }[];
}

const vectors = JSON.parse(
  readFileSync(new URL('./fixtures/tck-card-signing-vectors.json', import.meta.url), 'utf8'),
) as Vectors;

const decode = (segment: string) => new TextDecoder().decode(base64url.decode(segment));

describe('a2a-tck card-signing vectors', () => {
  it('carries the kit values it claims', () => {
    expect(vectors.canonicalizationCases).toHaveLength(6);
    expect(vectors.signingCases).toHaveLength(2);
    expect(vectors.provenance).toContain('a2aproject/a2a-tck');
  });

  // The kit's cards hold only REQUIRED or explicitly set members, so both versions' rules give the same bytes.
  for (const a2aVersion of A2A_VERSIONS) {
    describe(`under A2A ${a2aVersion} rules`, () => {
      for (const vector of vectors.canonicalizationCases) {
        it(`${vector.id}: canonical payload byte for byte`, () => {
          const payload = signingPayload(vector.card, a2aVersion);
          expect(Buffer.from(payload, 'utf8').equals(Buffer.from(vector.expectedPayload, 'utf8'))).toBe(true);
        });
      }

      for (const vector of vectors.signingCases) {
        it(`${vector.id}: protected header, signing input and signature byte for byte`, async () => {
          const signed = await signA2ACard(vector.card, vectors.privateJwk, { kid: vector.kid, a2aVersion });
          expect(signed.signatures).toHaveLength(1);
          const [signature] = signed.signatures;
          expect(signature!.protected).toBe(vector.expectedProtected);
          expect(JSON.parse(decode(signature!.protected))).toEqual(vector.protectedHeader);
          const payload = signingPayload(vector.card, a2aVersion);
          expect(payload).toBe(vector.expectedPayload);
          const signingInput = `${signature!.protected}.${base64url.encode(payload)}`;
          expect(signingInput).toBe(vector.expectedSigningInput);
          expect(signature!.signature).toBe(vector.expectedSignature);
        });

        it(`${vector.id}: the kit's own signature verifies with the kit's public key`, async () => {
          const card = {
            ...vector.card,
            signatures: [{ protected: vector.expectedProtected, signature: vector.expectedSignature }],
          };
          const result = await verifyA2ACard(card, [vectors.publicJwk], { a2aVersion });
          expect(result.checks).toEqual([{ index: 0, kid: 'key-1', alg: 'EdDSA', verified: true }]);
          expect(result.verifiedKids).toEqual(['key-1']);
        });
      }
    });
  }

  it('the kit key loads as an EdDSA signing key named by its kid', async () => {
    const key = await toSigningKey(vectors.privateJwk);
    expect(key.kid).toBe('key-1');
    expect(key.alg).toBe('EdDSA');
    expect(key.publicJwk).toEqual({ ...vectors.publicJwk, alg: 'EdDSA', use: 'sig' });
  });

  it("changing one byte of the kit's card breaks the kit's signature", async () => {
    const vector = vectors.signingCases[1]!;
    const card = {
      ...vector.card,
      version: '1.0.1',
      signatures: [{ protected: vector.expectedProtected, signature: vector.expectedSignature }],
    };
    const result = await verifyA2ACard(card, [vectors.publicJwk], { a2aVersion: '0.3.0' });
    expect(result.verified).toBe(false);
    expect(result.checks[0]).toMatchObject({ verified: false, reason: 'bad-signature', kid: 'key-1' });
  });
});
