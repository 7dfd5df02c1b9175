import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { staticPrincipal, type Authenticator } from '../auth/types.js';
import { clientAddressResolver, isIpOrCidr } from '../http/clientAddress.js';
import type { ServerOptions } from '../server.js';
import { API, json, startExampleServer } from './helpers.js';

type Server = Awaited<ReturnType<typeof startExampleServer>>;

const GOOD = 'good-token-0123456789abcdef';

/** One token per 100 s: within a test only the burst counts, however slowly a busy machine sends the requests. */
const SLOW_REFILL = 0.01;

/** Stands in for --auth=kubernetes: each token it is asked about is one TokenReview. */
function reviewingAuthenticator(): Authenticator & { reviews: string[] } {
  const reviews: string[] = [];
  return {
    mode: 'kubernetes',
    reviews,
    async authenticate(token) {
      if (!token) return undefined;
      reviews.push(token);
      return token === GOOD ? staticPrincipal('ci', ['*'], 'good') : undefined;
    },
    close: async () => undefined,
  };
}

describe('rate limiting', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const start = async (options: ServerOptions) => (server = await startExampleServer(options));
  const statusOf = async (path: string, headers: Record<string, string> = {}) =>
    (await (server as Server).get(path, { headers })).status;

  it('limits by address before authentication: made-up bearer tokens buy no budget and no TokenReviews', async () => {
    const authenticator = reviewingAuthenticator();
    await start({ authenticator, rateLimit: SLOW_REFILL, rateBurst: 5 });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const random = randomBytes(16).toString('hex');
      statuses.push(await statusOf(`${API}/cards`, { authorization: `Bearer ${random}` }));
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
    expect(authenticator.reviews).toHaveLength(5);
    // A valid token from the same address shares that address's (empty) budget.
    expect(await statusOf(`${API}/cards`, { authorization: `Bearer ${GOOD}` })).toBe(429);
    expect(authenticator.reviews).toHaveLength(5);
    expect(await statusOf('/healthz')).toBe(200);
  });

  it('limits an authenticated principal across addresses too', async () => {
    await start({
      authenticator: reviewingAuthenticator(),
      rateLimit: SLOW_REFILL,
      rateBurst: 5,
      trustedProxies: ['127.0.0.1'],
    });
    const statuses: number[] = [];
    for (let i = 1; i <= 7; i++) {
      statuses.push(
        await statusOf(`${API}/cards`, {
          authorization: `Bearer ${GOOD}`,
          'x-forwarded-for': `198.51.100.${i}`,
        }),
      );
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    // Another client at a fresh address, without that token, is not affected.
    expect(await statusOf('/openapi.json', { 'x-forwarded-for': '198.51.100.99' })).toBe(200);
  });

  it('ignores X-Forwarded-For unless the peer is a trusted proxy', async () => {
    await start({ rateLimit: SLOW_REFILL, rateBurst: 2 });
    const statuses: number[] = [];
    for (let i = 1; i <= 4; i++) {
      statuses.push(await statusOf(`${API}/cards?limit=1`, { 'x-forwarded-for': `203.0.113.${i}` }));
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
  });

  it('behind trusted proxies, keys each client by the rightmost untrusted X-Forwarded-For hop', async () => {
    await start({ rateLimit: SLOW_REFILL, rateBurst: 2, trustedProxies: ['127.0.0.0/8', '10.0.0.0/8'] });
    const as = (forwardedFor: string) =>
      statusOf(`${API}/cards?limit=1`, { 'x-forwarded-for': forwardedFor });
    expect([await as('203.0.113.1'), await as('203.0.113.1'), await as('203.0.113.1')]).toEqual([
      200, 200, 429,
    ]);
    // Another client behind the same Ingress has its own bucket.
    expect(await as('203.0.113.2')).toBe(200);
    // Hops left of the real client are the client's own words: forging them does not help.
    const limited = await (server as Server).get(`${API}/cards`, {
      headers: { 'x-forwarded-for': '192.0.2.77, 203.0.113.1' },
    });
    expect(limited.status).toBe(429);
    expect((await json(limited)).reason).toBe('TooManyRequests');
    // Trusted hops (a second proxy) are skipped.
    expect(await as('203.0.113.2, 10.1.2.3')).toBe(200);
    expect(await as('203.0.113.2')).toBe(429);
  });
});

describe('clientAddressResolver', () => {
  it('returns the peer without trusted proxies, whatever X-Forwarded-For says', () => {
    expect(clientAddressResolver()('10.0.0.1', '1.2.3.4')).toBe('10.0.0.1');
    expect(clientAddressResolver()(undefined, undefined)).toBe('unknown');
  });

  it('walks X-Forwarded-For from the right over trusted hops (IPv4, IPv6, mapped addresses)', () => {
    const resolve = clientAddressResolver(['10.0.0.0/8', 'fd00::/8', '::1']);
    expect(resolve('::ffff:10.0.0.5', '192.0.2.1, 198.51.100.2')).toBe('198.51.100.2');
    expect(resolve('::1', '2001:db8::1, fd00::7')).toBe('2001:db8::1');
    expect(resolve('10.0.0.5', '10.9.9.9')).toBe('10.0.0.5');
    expect(resolve('10.0.0.5', 'not-an-ip, 10.9.9.9')).toBe('10.0.0.5');
    expect(resolve('10.0.0.5', undefined)).toBe('10.0.0.5');
    expect(resolve('192.0.2.8', '198.51.100.2')).toBe('192.0.2.8');
  });

  it('accepts IPs and CIDRs only', () => {
    expect(['10.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8'].every(isIpOrCidr)).toBe(true);
    expect(['10.0.0.0/33', 'fd00::/129', 'example.com', '10.0.0.0/8/1', ''].some(isIpOrCidr)).toBe(false);
    expect(() => clientAddressResolver(['nope'])).toThrow(/not an IP address or CIDR/);
  });
});
