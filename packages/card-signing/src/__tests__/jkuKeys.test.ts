import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jkuKeys, publicJwks, signA2ACard, signatureVerifiedCondition, type SigningKey } from '../index.js';
import { freshKey, sampleCard } from './cards.js';

let server: Server;
let origin: string;
let publisher: SigningKey;
let trusted: SigningKey;
const requests: string[] = [];

beforeAll(async () => {
  publisher = await freshKey('Ed25519', 'publisher-jku');
  trusted = await freshKey('P-256', 'local-trust');
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    switch (request.url) {
      case '/keys.json':
        response.setHeader('content-type', 'application/jwk-set+json');
        response.end(JSON.stringify(publicJwks([publisher])));
        return;
      case '/big.json':
        response.end(JSON.stringify({ keys: [], padding: 'x'.repeat(70_000) }));
        return;
      case '/redirect.json':
        response.writeHead(302, { location: '/keys.json' }).end();
        return;
      case '/slow.json':
        return; // never answers
      default:
        response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

const signedWith = async (path: string) => ({
  spec: { publicCard: await signA2ACard(sampleCard('1.0'), publisher, { jku: `${origin}${path}` }) },
});

describe('keys from a signature’s jku on an allowed origin', () => {
  it('verifies with the JWK Set at the jku, fetched once and cached', async () => {
    const jku = jkuKeys({ allowedOrigins: [origin] });
    const card = await signedWith('/keys.json');
    const before = requests.length;
    for (let i = 0; i < 3; i++) {
      expect(await signatureVerifiedCondition(card, publicJwks([trusted]), { jku })).toMatchObject({
        status: 'True',
        reason: 'Verified',
        message: 'verified by key "publisher-jku"',
      });
    }
    expect(requests.length - before).toBe(1);
  });

  it('never fetches from an origin that is not allowed', async () => {
    const jku = jkuKeys({ allowedOrigins: ['https://keys.example.com'] });
    const before = requests.length;
    const condition = await signatureVerifiedCondition(
      await signedWith('/keys.json'),
      publicJwks([trusted]),
      {
        jku,
      },
    );
    expect(condition).toMatchObject({ status: 'False', reason: 'UnknownKey' });
    expect(condition.message).toContain(`the origin ${origin} is not allowed`);
    expect(requests.length).toBe(before);
  });

  it('bounds the size, refuses redirects and gives up after the time limit', async () => {
    const jku = jkuKeys({ allowedOrigins: [origin], timeoutMs: 300 });
    const cases: [string, RegExp][] = [
      ['/big.json', /larger than 65536 bytes/],
      ['/redirect.json', /unreachable/],
      ['/slow.json', /no answer within 300 ms/],
      ['/missing.json', /answered 404/],
    ];
    for (const [path, message] of cases) {
      const condition = await signatureVerifiedCondition(await signedWith(path), [], { jku });
      expect(condition, path).toMatchObject({ status: 'False', reason: 'UnknownKey' });
      expect(condition.message, path).toMatch(message);
    }
  });

  it('does not look at a jku when a trusted key already decides (a bad signature stays bad)', async () => {
    const jku = jkuKeys({ allowedOrigins: [origin] });
    const card = await signedWith('/keys.json');
    const tampered = { spec: { publicCard: { ...card.spec.publicCard, description: 'changed' } } };
    const before = requests.length;
    expect(await signatureVerifiedCondition(tampered, publicJwks([publisher]), { jku })).toMatchObject({
      status: 'False',
      reason: 'BadSignature',
    });
    expect(requests.length).toBe(before);
  });
});
