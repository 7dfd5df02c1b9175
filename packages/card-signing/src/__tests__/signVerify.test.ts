import { createSecretKey, generateKeyPairSync } from 'node:crypto';
import { A2A_VERSIONS } from '@agent-registry/crds';
import { base64url, FlattenedSign } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  omitDefaultValuesV1,
  publicJwks,
  signA2ACard,
  signingPayload,
  verifyA2ACard,
  type SigningKey,
} from '../index.js';
import { freshKey, reordered, sampleCard, type KeyKind } from './cards.js';

const encodeHeader = (header: Record<string, unknown>) => base64url.encode(JSON.stringify(header));
const headerOf = (entry: { protected: string }) =>
  JSON.parse(new TextDecoder().decode(base64url.decode(entry.protected))) as Record<string, unknown>;

const kinds: [KeyKind, string][] = [
  ['Ed25519', 'EdDSA'],
  ['P-256', 'ES256'],
  ['RSA', 'RS256'],
];

let keys: Record<KeyKind, SigningKey>;
beforeAll(async () => {
  keys = {
    Ed25519: await freshKey('Ed25519', 'ed-1'),
    'P-256': await freshKey('P-256', 'ec-1'),
    RSA: await freshKey('RSA', 'rsa-1'),
  };
});

for (const a2aVersion of A2A_VERSIONS) {
  describe(`A2A ${a2aVersion} cards`, () => {
    for (const [kind, alg] of kinds) {
      it(`${kind}: signs with ${alg}, header {alg, kid, typ: JOSE, jku}, and verifies`, async () => {
        const card = sampleCard(a2aVersion);
        const signed = await signA2ACard(card, keys[kind], {
          jku: 'https://registry.example.com/.well-known/jwks.json',
        });
        expect(card).not.toHaveProperty('signatures'); // the input is left alone
        expect(signed.signatures).toHaveLength(1);
        const entry = signed.signatures[0]!;
        expect(Object.keys(entry).sort()).toEqual(['protected', 'signature']);
        expect(headerOf(entry)).toEqual({
          alg,
          kid: keys[kind].kid,
          typ: 'JOSE',
          jku: 'https://registry.example.com/.well-known/jwks.json',
        });
        const result = await verifyA2ACard(signed, publicJwks([keys[kind]]));
        expect(result).toMatchObject({
          verified: true,
          signed: true,
          a2aVersion,
          verifiedKids: [keys[kind].kid],
        });
      });
    }

    it('a reordered but equal card still verifies; a changed field does not', async () => {
      const signed = await signA2ACard(sampleCard(a2aVersion), keys.Ed25519);
      const jwks = publicJwks([keys.Ed25519]);
      expect((await verifyA2ACard(reordered(signed), jwks)).verified).toBe(true);
      const changed = { ...signed, name: `${String(signed.name)}!` };
      const result = await verifyA2ACard(changed, jwks);
      expect(result.verified).toBe(false);
      expect(result.checks[0]).toMatchObject({ reason: 'bad-signature', kid: 'ed-1' });
    });

    it('several keys give several signatures; each verifies on its own (rotation)', async () => {
      const once = await signA2ACard(sampleCard(a2aVersion), [keys.Ed25519, keys['P-256']]);
      const twice = await signA2ACard(once, keys.RSA);
      expect(twice.signatures.map((entry) => headerOf(entry).kid)).toEqual(['ed-1', 'ec-1', 'rsa-1']);
      const all = await verifyA2ACard(twice, publicJwks(Object.values(keys)));
      expect(all.verifiedKids).toEqual(['ed-1', 'ec-1', 'rsa-1']);
      // Only the new key is trusted any more: the card still verifies, through it alone.
      const rotated = await verifyA2ACard(twice, publicJwks([keys['P-256']]));
      expect(rotated.verified).toBe(true);
      expect(rotated.checks.map((check) => (check.verified ? 'ok' : check.reason))).toEqual([
        'unknown-key',
        'ok',
        'unknown-key',
      ]);
    });

    it('a removed signature leaves an unsigned card, which is not verified', async () => {
      const { signatures: _gone, ...stripped } = await signA2ACard(sampleCard(a2aVersion), keys.Ed25519);
      expect(await verifyA2ACard(stripped, publicJwks([keys.Ed25519]))).toEqual({
        verified: false,
        signed: false,
        verifiedKids: [],
        checks: [],
      });
    });

    it('a different key under the same kid is a bad signature', async () => {
      const signed = await signA2ACard(sampleCard(a2aVersion), keys.Ed25519);
      const impostor = await freshKey('Ed25519', 'ed-1');
      const result = await verifyA2ACard(signed, publicJwks([impostor]));
      expect(result.checks[0]).toMatchObject({ verified: false, reason: 'bad-signature' });
    });
  });
}

describe('every allowed algorithm signs what jose verifies', () => {
  const cases: [string, () => ReturnType<typeof generateKeyPairSync>, string][] = [
    ['ES384', () => generateKeyPairSync('ec', { namedCurve: 'P-384' }), 'ES384'],
    ['ES512', () => generateKeyPairSync('ec', { namedCurve: 'P-521' }), 'ES512'],
    ['RS512', () => generateKeyPairSync('rsa', { modulusLength: 2048 }), 'RS512'],
    ['PS256', () => generateKeyPairSync('rsa', { modulusLength: 2048 }), 'PS256'],
    ['PS512', () => generateKeyPairSync('rsa', { modulusLength: 2048 }), 'PS512'],
  ];
  for (const [name, generate, alg] of cases) {
    it(name, async () => {
      const { privateKey } = generate();
      const signed = await signA2ACard(sampleCard('1.0'), privateKey, { kid: name, alg: alg as never });
      expect(headerOf(signed.signatures[0]!).alg).toBe(alg);
      const jwk = { ...(privateKey.export({ format: 'jwk' }) as Record<string, unknown>), kid: name };
      const result = await verifyA2ACard(signed, [jwk]); // private members are ignored
      expect(result.checks).toEqual([{ index: 0, kid: name, alg, verified: true }]);
    });
  }
});

describe('refused algorithms and malformed signatures', () => {
  const card = sampleCard('1.0');
  const payload = () => new TextEncoder().encode(signingPayload(card));

  it('alg "none" is never accepted', async () => {
    const forged = {
      ...card,
      signatures: [{ protected: encodeHeader({ alg: 'none', kid: 'ed-1', typ: 'JOSE' }), signature: 'AA' }],
    };
    const result = await verifyA2ACard(forged, publicJwks([keys.Ed25519]));
    expect(result.verified).toBe(false);
    expect(result.checks[0]).toMatchObject({ reason: 'algorithm-not-allowed', alg: 'none' });
  });

  it('HMAC is refused, including the public-key-as-HMAC-secret forgery', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(keys.Ed25519.publicJwk));
    const jws = await new FlattenedSign(payload())
      .setProtectedHeader({ alg: 'HS256', kid: 'ed-1', typ: 'JOSE' })
      .sign(secret);
    const forged = { ...card, signatures: [{ protected: jws.protected!, signature: jws.signature }] };
    const result = await verifyA2ACard(forged, publicJwks([keys.Ed25519]));
    expect(result.checks[0]).toMatchObject({ reason: 'algorithm-not-allowed', alg: 'HS256' });
    await expect(signA2ACard(card, createSecretKey(Buffer.alloc(32, 1)), { kid: 'h' })).rejects.toThrow(
      /HMAC/,
    );
    await expect(signA2ACard(card, { kty: 'oct', k: 'AAAA' }, { kid: 'h' })).rejects.toThrow(/HMAC/);
  });

  it('an algorithm that does not fit the key is refused, as is one left out of `algorithms`', async () => {
    const signed = await signA2ACard(card, keys.Ed25519);
    const relabelled = {
      ...signed,
      signatures: [
        { ...signed.signatures[0]!, protected: encodeHeader({ alg: 'ES256', kid: 'ed-1', typ: 'JOSE' }) },
      ],
    };
    const mismatch = await verifyA2ACard(relabelled, publicJwks([keys.Ed25519]));
    expect(mismatch.checks[0]).toMatchObject({ reason: 'algorithm-not-allowed', alg: 'ES256' });
    const narrowed = await verifyA2ACard(signed, publicJwks([keys.Ed25519]), { algorithms: ['ES256'] });
    expect(narrowed.checks[0]).toMatchObject({ reason: 'algorithm-not-allowed', alg: 'EdDSA' });
  });

  it('reports malformed entries one by one without throwing', async () => {
    const signed = await signA2ACard(card, keys.Ed25519);
    const good = signed.signatures[0]!;
    const hostile = {
      ...card,
      signatures: [
        'not an object',
        { protected: '', signature: 'AA' },
        { protected: '!!!', signature: 'AA' },
        { protected: encodeHeader({ alg: 'EdDSA' }), signature: 'AA' },
        { protected: good.protected, signature: good.signature, header: 'x' },
        { protected: good.protected, signature: good.signature, header: { kid: 'dup' } },
        good,
      ],
    };
    const result = await verifyA2ACard(hostile, publicJwks([keys.Ed25519]));
    expect(result.verified).toBe(true);
    expect(result.checks.map((check) => (check.verified ? 'ok' : check.reason))).toEqual([
      'malformed',
      'malformed',
      'malformed',
      'malformed',
      'malformed',
      'malformed',
      'ok',
    ]);
    for (const check of result.checks)
      if (!check.verified) expect(check.message).toMatch(/^signatures\[\d\]: /);
  });

  it('a card that is not an object, or whose signatures is not an array, is a problem, not a crash', async () => {
    const jwks = publicJwks([keys.Ed25519]);
    expect((await verifyA2ACard('card', jwks)).problem).toMatch(/not a JSON object/);
    expect((await verifyA2ACard({ ...card, signatures: {} }, jwks)).problem).toMatch(/not an array/);
    expect((await verifyA2ACard({ name: 'x', signatures: [] }, jwks)).problem).toMatch(/A2A version/);
    await expect(signA2ACard({ name: 'x' }, keys.Ed25519)).rejects.toThrow(/A2A version/);
  });

  it('a broken trusted key set or key trusts nothing instead of throwing', async () => {
    const signed = await signA2ACard(card, keys.Ed25519);
    expect((await verifyA2ACard(signed, { keys: 'nope' } as never)).checks[0]).toMatchObject({
      reason: 'unknown-key',
    });
    const broken = { ...keys.Ed25519.publicJwk, x: 'AAAA' };
    const result = await verifyA2ACard(signed, [null, broken] as never);
    expect(result.checks[0]).toMatchObject({ verified: false, reason: 'unknown-key' });
    expect((result.checks[0] as { message: string }).message).toContain('not a usable EdDSA key');
  });

  it('the unprotected header is carried and not covered', async () => {
    const signed = await signA2ACard(card, keys.Ed25519, { header: { note: 'registry' } });
    expect(signed.signatures[0]!.header).toEqual({ note: 'registry' });
    const edited = { ...signed, signatures: [{ ...signed.signatures[0]!, header: { note: 'edited' } }] };
    expect((await verifyA2ACard(edited, publicJwks([keys.Ed25519]))).verified).toBe(true);
  });

  it('RSA keys below 2048 bits are refused', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    await expect(signA2ACard(card, privateKey, { kid: 'small' })).rejects.toThrow(/2048/);
  });
});

describe('§8.4.1 default values', () => {
  it("reproduces the 1.0 specification's worked example", () => {
    const fragment = {
      name: 'Example Agent',
      description: '',
      capabilities: { streaming: false, pushNotifications: false, extensions: [] },
      skills: [],
    };
    expect(signingPayload(fragment, '1.0')).toBe(
      '{"capabilities":{"pushNotifications":false,"streaming":false},"description":"","name":"Example Agent","skills":[]}',
    );
  });

  it('1.0: members holding proto defaults are left out, REQUIRED and `optional` ones kept, unknown ones untouched', () => {
    expect(
      omitDefaultValuesV1({
        name: '',
        description: '',
        version: '',
        supportedInterfaces: [
          { url: 'https://a', protocolBinding: 'JSONRPC', protocolVersion: '1.0', tenant: '' },
        ],
        capabilities: { streaming: false, extensions: [{ uri: '', required: false, params: {} }] },
        securitySchemes: {},
        securityRequirements: [],
        defaultInputModes: [],
        defaultOutputModes: [],
        skills: [{ id: 's', name: 'S', description: '', tags: [], examples: [], inputModes: [] }],
        documentationUrl: '',
        provider: null,
        futureField: '',
      }),
    ).toEqual({
      name: '',
      description: '',
      version: '',
      supportedInterfaces: [{ url: 'https://a', protocolBinding: 'JSONRPC', protocolVersion: '1.0' }],
      capabilities: { streaming: false, extensions: [{ params: {} }] },
      defaultInputModes: [],
      defaultOutputModes: [],
      skills: [{ id: 's', name: 'S', description: '', tags: [] }],
      documentationUrl: '',
      futureField: '',
    });
  });

  it('1.0: adding an empty list a reconstructing client would drop keeps the signature; 0.3.0 signs the card as it stands', async () => {
    const key = await freshKey('Ed25519', 'ed-2');
    const jwks = publicJwks([key]);
    const v1 = await signA2ACard(sampleCard('1.0'), key);
    const capabilities = v1.capabilities as Record<string, unknown>;
    const padded = { ...v1, capabilities: { ...capabilities, extensions: [] } };
    expect((await verifyA2ACard(padded, jwks)).verified).toBe(true);
    const v03 = await signA2ACard(sampleCard('0.3.0'), key);
    const padded03 = { ...v03, supportsAuthenticatedExtendedCard: false };
    expect((await verifyA2ACard(padded03, jwks)).verified).toBe(false);
  });
});
