import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSigningKeys, verifyA2ACard } from '@agent-registry/card-signing';
import { pythonVenv } from '@agent-registry/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { base64url, type JSONWebKeySet, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardSigning } from '../http/signing.js';
import { API, startExampleServer } from './helpers.js';

type Server = Awaited<ReturnType<typeof startExampleServer>>;

const PUBLIC_URL = 'https://registry.example.com';
const keysDir = mkdtempSync(join(tmpdir(), 'registry-signing-'));
const both = join(keysDir, 'both');
const newOnly = join(keysDir, 'new-only');
mkdirSync(both);
mkdirSync(newOnly);
const oldKey = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const newKey = JSON.stringify({
  ...(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as JWK),
  kid: 'registry-2026',
});
writeFileSync(join(both, 'old.pem'), oldKey);
writeFileSync(join(both, 'new.jwk'), newKey);
writeFileSync(join(newOnly, 'new.jwk'), newKey);

const kidsOf = (card: { signatures?: { protected: string }[] }) =>
  (card.signatures ?? []).map(
    (entry) =>
      JSON.parse(new TextDecoder().decode(base64url.decode(entry.protected))) as Record<string, unknown>,
  );

const documents = [
  `${API}/cards/team-platform/k8s-troubleshooter/a2a`,
  `${API}/cards/team-platform/k8s-troubleshooter/a2a?A2A-Version=0.3.0`,
  `${API}/cards/team-data/pipeline-monitor/a2a?A2A-Version=1.0`,
  '/agents/team-platform/k8s-troubleshooter/.well-known/agent-card.json',
  '/agents/team-data/pipeline-monitor/.well-known/agent-card.json?A2A-Version=1.0',
];

describe('the registry signs the cards it serves', () => {
  let signing: Server;
  let honoOnly: Server;
  let unsigned: Server;
  let rotated: Server;
  let jwks: JSONWebKeySet;
  beforeAll(async () => {
    [signing, honoOnly, unsigned, rotated] = await Promise.all([
      startExampleServer({ signingKeyFiles: [both], publicUrl: PUBLIC_URL }),
      startExampleServer({ signingKeyFiles: [both], publicUrl: PUBLIC_URL, fastPath: false }),
      startExampleServer({ publicUrl: PUBLIC_URL }),
      startExampleServer({ signingKeyFiles: [newOnly], publicUrl: PUBLIC_URL }),
    ]);
    jwks = (await (await signing.get('/.well-known/jwks.json')).json()) as JSONWebKeySet;
  });
  afterAll(() => Promise.all([signing, honoOnly, unsigned, rotated].map((server) => server?.close())));

  it('publishes the live public keys, and nothing private, at /.well-known/jwks.json', async () => {
    const response = await signing.get('/.well-known/jwks.json');
    expect(response.headers.get('content-type')).toBe('application/jwk-set+json');
    expect(jwks.keys.map((key) => key.kid)).toContain('registry-2026');
    expect(jwks.keys).toHaveLength(2);
    for (const key of jwks.keys) expect(key).not.toHaveProperty('d');
    const rotatedSet = (await (await rotated.get('/.well-known/jwks.json')).json()) as JSONWebKeySet;
    expect(rotatedSet.keys.map((key) => key.kid)).toEqual(['registry-2026']);
    expect((await unsigned.get('/.well-known/jwks.json')).status).toBe(404);
  });

  it.each(documents)(
    '%s: two signatures over exactly the served bytes, on the fast path and through Hono',
    async (path) => {
      for (const server of [signing, honoOnly]) {
        const text = await (await server.get(path)).text();
        const card = JSON.parse(text) as { signatures?: { protected: string }[] };
        const headers = kidsOf(card);
        expect(headers.map((header) => header.typ)).toEqual(['JOSE', 'JOSE']);
        expect(headers.map((header) => header.jku)).toEqual([
          `${PUBLIC_URL}/.well-known/jwks.json`,
          `${PUBLIC_URL}/.well-known/jwks.json`,
        ]);
        const result = await verifyA2ACard(card, jwks);
        expect(result.verifiedKids).toHaveLength(2);
        expect(result.verifiedKids).toContain('registry-2026');
      }
    },
  );

  it('MCP get_agent_card and agentcard:// resources carry the same signatures as REST', async () => {
    const client = new Client({ name: 'signing-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', signing.url)));
    try {
      for (const a2aVersion of [undefined, '0.3', '1.0']) {
        const result = await client.callTool({
          name: 'get_agent_card',
          arguments: {
            namespace: 'team-data',
            name: 'pipeline-monitor',
            ...(a2aVersion ? { a2aVersion } : {}),
          },
        });
        const { card } = result.structuredContent as { card: Record<string, unknown> };
        const query = a2aVersion ? `?A2A-Version=${a2aVersion}` : '';
        const rest = await (await signing.get(`${API}/cards/team-data/pipeline-monitor/a2a${query}`)).json();
        expect(card).toEqual(rest);
        expect((await verifyA2ACard(card, jwks)).verifiedKids).toHaveLength(2);
      }
      const resource = await client.readResource({ uri: 'agentcard://team-data/pipeline-monitor' });
      const first = resource.contents[0] as { text: string };
      expect((await verifyA2ACard(JSON.parse(first.text), jwks)).verifiedKids).toHaveLength(2);
    } finally {
      await client.close();
    }
  });

  it('the card for both generations verifies under the 0.3 rules and the 1.0 rules', async () => {
    const card = await (await signing.get(documents[0]!)).json();
    for (const a2aVersion of ['0.3.0', '1.0'] as const)
      expect((await verifyA2ACard(card, jwks, { a2aVersion })).verifiedKids).toHaveLength(2);
  });

  it('ETags change with the signature; the unsigned registry serves no signature', async () => {
    for (const path of documents) {
      const [signed, plain] = await Promise.all([signing.get(path), unsigned.get(path)]);
      expect(signed.headers.get('etag')).not.toBe(plain.headers.get('etag'));
      expect(kidsOf((await plain.json()) as never)).toEqual([]);
      const etag = signed.headers.get('etag')!;
      await signed.arrayBuffer();
      expect((await signing.get(path, { headers: { 'if-none-match': etag } })).status).toBe(304);
    }
  });

  it('Python jwcrypto (with its own RFC 8785) verifies what the registry serves, in both versions', async () => {
    // The card-signing package's independent verifier: no code of ours on the Python side.
    const script = fileURLToPath(
      new URL('../../../../packages/card-signing/src/__tests__/python/verify_cards.py', import.meta.url),
    );
    const python = await pythonVenv('card-signing-jwcrypto', ['jwcrypto==1.6.1', 'rfc8785==0.1.4']);
    const cases = await Promise.all(
      documents.map(async (path) => ({ name: path, card: await (await signing.get(path)).json(), jwks })),
    );
    const tampered = { ...(cases[2]!.card as Record<string, unknown>), name: 'someone-else' };
    const verdicts = await new Promise<Record<string, { verified: string[] }>>((resolve, reject) => {
      const child = execFile(python, [script], { timeout: 60_000 }, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
      );
      child.stdin!.end(JSON.stringify({ cases: [...cases, { name: 'tampered', card: tampered, jwks }] }));
    });
    for (const path of documents) expect(verdicts[path]!.verified, path).toHaveLength(2);
    expect(verdicts.tampered!.verified).toEqual([]);
  }, 300_000);

  it('after rotating the old key out, cards verify with the key that is left', async () => {
    const card = await (await rotated.get(documents[3]!)).json();
    const rotatedSet = (await (await rotated.get('/.well-known/jwks.json')).json()) as JSONWebKeySet;
    const result = await verifyA2ACard(card, rotatedSet);
    expect(result.verifiedKids).toEqual(['registry-2026']);
    // The new key's signature is the same JWS kid a client pinned before the rotation.
    expect((await verifyA2ACard(card, jwks)).verifiedKids).toEqual(['registry-2026']);
  });

  it('serves a card that has no canonical form (a lone surrogate) unsigned rather than failing', async () => {
    const signer = cardSigning(await loadSigningKeys([both]), PUBLIC_URL);
    const card = (await (await unsigned.get(documents[1]!)).json()) as Record<string, unknown>;
    const odd = JSON.stringify({ ...card, description: 'half a pair: \ud800' });
    expect(signer.signBody(odd)).toBe(odd);
    expect(kidsOf(JSON.parse(signer.signBody(JSON.stringify(card))))).toHaveLength(2);
  });

  it('refuses to start with an unusable key, naming the file', async () => {
    const bad = join(keysDir, 'bad.pem');
    writeFileSync(bad, '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n');
    await expect(startExampleServer({ signingKeyFiles: [bad] })).rejects.toThrow(
      `${bad}: not a PEM private key`,
    );
  });
});
