import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAddressResolver } from '../http/clientAddress.js';
import { createFastPath } from '../http/fastPath.js';
import { TokenBuckets } from '../http/middleware/rateLimit.js';
import { createLogger, silentLogger } from '@agent-registry/kube-runtime';
import { createMetrics } from '../metrics.js';
import { startServer, type RunningServer, type ServerOptions } from '../server.js';
import { API, copyExamples } from './helpers.js';

interface Exchange {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Probe {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** node:http, not fetch: Host and other headers exactly as given, and the raw response headers. */
function send(base: string, probe: Probe): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const req = request(
      base + probe.path,
      { method: probe.method ?? 'GET', headers: probe.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(probe.body);
  });
}

/** Everything but the per-connection and per-moment headers. */
function comparable({ status, headers, body }: Exchange): Exchange {
  const { date: _date, connection: _connection, 'keep-alive': _keepAlive, ...rest } = headers;
  return { status, headers: rest, body };
}

const NO_ENDPOINT_CARD = `apiVersion: kagent.dev/v1alpha1
kind: AgentCard
metadata:
  name: no-endpoint.v2
  namespace: team-data
spec:
  metadata:
    description: A card without endpoints, so the document carries the registry's own URL.
`;

const a2a = (namespace: string, name: string, query = ''): string =>
  `${API}/cards/${namespace}/${name}/a2a${query}`;
const wellKnown = (namespace: string, name: string, document = 'agent-card.json'): string =>
  `/agents/${namespace}/${name}/.well-known/${document}`;

/** Requests the fast path answers itself. */
const served: Probe[] = [
  { path: a2a('team-data', 'sql-analyst') },
  { path: a2a('team-data', 'pipeline-monitor') },
  { path: a2a('team-data', 'sql-analyst', '?a2aVersion=1.0') },
  { path: a2a('team-data', 'sql-analyst', '?a2aVersion=0.3') },
  { path: a2a('team-data', 'sql-analyst', '?a2aVersion=') },
  { path: a2a('team-data', 'sql-analyst', '?A2A-Version=1.0') },
  { path: a2a('team-data', 'sql-analyst', '?A2A-Version=0.3.1') },
  { path: a2a('team-data', 'sql-analyst', '?A2A-Version=') },
  { path: a2a('team-data', 'sql-analyst'), headers: { 'a2a-version': '1.0.5' } },
  { path: a2a('team-data', 'sql-analyst'), headers: { 'a2a-version': '' } },
  {
    path: a2a('team-data', 'sql-analyst'),
    headers: { 'if-modified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' },
  },
  {
    path: a2a('team-data', 'sql-analyst'),
    headers: { 'if-modified-since': 'Fri, 31 Dec 9999 23:59:59 GMT' },
  },
  { path: a2a('team-data', 'sql-analyst'), headers: { 'a2a-version': '1.0' } },
  { path: a2a('team-data', 'sql-analyst'), headers: { 'a2a-version': '0.3.0' } },
  { path: a2a('team-data', 'sql-analyst', '?a2aVersion=0.3'), headers: { 'a2a-version': '1.0' } },
  { path: a2a('team-data', 'sql-analyst'), headers: { accept: 'application/json' } },
  { path: a2a('team-data', 'sql-analyst'), headers: { accept: '*/*' } },
  { path: a2a('team-data', 'no-endpoint.v2') },
  { path: a2a('team-data', 'no-endpoint.v2'), headers: { host: 'registry.example.com:8443' } },
  { path: wellKnown('team-data', 'sql-analyst') },
  { path: wellKnown('team-data', 'sql-analyst', 'agent.json') },
  { path: `${wellKnown('team-platform', 'release-manager')}?a2aVersion=1.0` },
  { path: wellKnown('team-data', 'no-endpoint.v2'), headers: { 'x-request-id': 'parity-1' } },
  { method: 'HEAD', path: a2a('team-data', 'sql-analyst') },
  { method: 'HEAD', path: wellKnown('team-data', 'pipeline-monitor') },
  { path: a2a('team-data', 'sql-analyst'), headers: { 'if-none-match': '*' } },
  { method: 'HEAD', path: a2a('team-data', 'sql-analyst'), headers: { 'if-none-match': '*' } },
];

/** Requests it leaves to Hono: errors, and anything whose handling it does not repeat. */
const declined: Probe[] = [
  { path: a2a('team-data', 'missing') },
  { path: wellKnown('team-data', 'missing') },
  { path: a2a('team-data', 'sql-analyst', '?a2aVersion=9') },
  { path: a2a('team-data', 'sql-analyst', '?A2A-Version=2.0') },
  { path: a2a('team-data', 'sql-analyst', '?A2A-Version=1.0&a2aVersion=0.3') },
  { path: a2a('team-data', 'sql-analyst'), headers: { accept: 'application/a2a+json' } },
  { path: a2a('team-data', 'sql-analyst'), headers: { 'a2a-version': 'x' } },
  { path: a2a('team-data', 'sql-analyst', '?a2aVersion=1.0&a2aVersion=0.3') },
  { path: a2a('team-data', 'sql-analyst', '?other=1') },
  { path: a2a('Team-Data', 'sql-analyst') },
  { path: a2a('team-data', 'sql%2Danalyst') },
  { path: a2a('team-data', 'sql-analyst.') },
  { path: a2a('team-data', '..') },
  { path: `${a2a('team-data', 'sql-analyst')}/` },
  { path: `${API}/cards/team-data//sql-analyst/a2a` },
  { path: wellKnown('team-data', 'sql-analyst', 'agent-card.json.bak') },
  { path: a2a('team-data', 'sql-analyst'), headers: { accept: 'text/html' } },
  { path: a2a('team-data', 'sql-analyst'), headers: { accept: 'application/json;q=0' } },
  { path: a2a('team-data', 'sql-analyst'), headers: { accept: 'text/html, application/json' } },
  { path: a2a('team-data', 'sql-analyst'), headers: { host: 'Registry.Example.com' } },
  { method: 'POST', path: a2a('team-data', 'sql-analyst') },
  { method: 'OPTIONS', path: a2a('team-data', 'sql-analyst') },
  { path: a2a('team-data', 'sql-analyst'), body: 'x', headers: { 'content-length': '1' } },
  { path: `${API}/cards/team-data/sql-analyst` },
];

describe('the node:http fast path for single-card A2A reads', () => {
  let examples: Awaited<ReturnType<typeof copyExamples>>;
  let fast: RunningServer;
  let hono: RunningServer;
  let probe: Server;
  let probeUrl: string;
  const start = (options: ServerOptions): Promise<RunningServer> =>
    startServer({ host: '127.0.0.1', port: 0, manifests: examples.dir, ui: false, ...options });

  beforeAll(async () => {
    examples = await copyExamples();
    await writeFile(join(examples.dir, 'team-data', 'no-endpoint.yaml'), NO_ENDPOINT_CARD);
    const logger = silentLogger;
    fast = await start({ logger, rateLimit: 0 });
    hono = await start({ logger, rateLimit: 0, fastPath: false });
    // The fast path alone over the same store: 418 shows what it declines.
    const fastPath = createFastPath({
      store: fast.store,
      logger,
      metrics: createMetrics(fast.store, { defaultMetrics: false }),
      authMode: 'none',
      anonymousOnly: true,
      addressBuckets: undefined,
      cacheMaxAge: 60,
      publicUrl: undefined,
      maxUrlBytes: 8192,
      clientAddress: clientAddressResolver(),
      hostname: '127.0.0.1',
    });
    if (!fastPath) throw new Error('the fast path should be on with auth none, no CORS, no rate limit');
    probe = createServer((req, res) => {
      if (!fastPath.handle(req, res)) res.writeHead(418).end('declined');
    });
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    probeUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await Promise.all([fast?.close(), hono?.close(), new Promise((resolve) => probe?.close(resolve))]);
    await examples?.remove();
  });

  it('answers the simple single-card reads itself and declines everything else', async () => {
    for (const request of served) {
      expect((await send(probeUrl, request)).status, JSON.stringify(request)).not.toBe(418);
    }
    for (const request of declined) {
      expect((await send(probeUrl, request)).status, JSON.stringify(request)).toBe(418);
    }
  });

  it('gives the same status, headers and body as the Hono routes', async () => {
    // A matching ETag (plain and weak) makes the 304s.
    const { headers } = await send(hono.url, { path: a2a('team-data', 'sql-analyst') });
    const etag = headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const lastModified = headers['last-modified']!;
    expect(Date.parse(lastModified)).toBeGreaterThan(0);
    const conditional: Probe[] = [
      { path: a2a('team-data', 'sql-analyst'), headers: { 'if-none-match': etag } },
      { path: wellKnown('team-data', 'sql-analyst'), headers: { 'if-none-match': `"x", W/${etag}` } },
      { path: a2a('team-data', 'sql-analyst', '?a2aVersion=1.0'), headers: { 'if-none-match': etag } },
      { path: a2a('team-data', 'sql-analyst'), headers: { 'if-modified-since': lastModified } },
      {
        path: wellKnown('team-data', 'sql-analyst'),
        headers: { 'if-modified-since': lastModified, 'if-none-match': '"other"' },
      },
    ];
    for (const probe of [...served, ...conditional, ...declined]) {
      // One Host for both servers (their ports differ), where the document carries the registry's URL.
      const request = { ...probe, headers: { host: 'registry.test:8080', ...probe.headers } };
      const [viaFastPath, viaHono] = await Promise.all([send(fast.url, request), send(hono.url, request)]);
      expect(comparable(viaFastPath), JSON.stringify(request)).toEqual(comparable(viaHono));
    }
    const statuses = new Set(
      (await Promise.all(served.map((request) => send(fast.url, request)))).map((r) => r.status),
    );
    expect([...statuses].sort()).toEqual([200, 304]);
  });

  it('counts its requests in the same metrics, under the same route labels', async () => {
    const requestLines = async (server: RunningServer): Promise<string[]> => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      return text
        .split('\n')
        .filter(
          (line) =>
            /^agent_registry_http_request(s_total|_duration_seconds_count)\{/.test(line) &&
            !line.includes('route="/metrics"'),
        );
    };
    // Fresh servers: the counts are those of these requests alone.
    const [viaFastPath, viaHono] = await Promise.all([
      start({ logger: silentLogger, rateLimit: 0 }),
      start({ logger: silentLogger, rateLimit: 0, fastPath: false }),
    ]);
    let lines: string[];
    try {
      for (const request of served) await send(viaFastPath.url, request);
      for (const request of served) await send(viaHono.url, request);
      lines = await requestLines(viaFastPath);
      expect(lines).toEqual(await requestLines(viaHono));
    } finally {
      await Promise.all([viaFastPath.close(), viaHono.close()]);
    }
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^agent_registry_http_requests_total\{method="GET",route="\/api\/v1alpha1\/registry\/cards\/:namespace\/:name\/a2a",code="200"\} \d+$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringContaining('route="/agents/:namespace/:name/.well-known/agent.json",code="200"'),
    );
  });

  it('logs the same request line', async () => {
    const lines: Record<string, unknown>[][] = [[], []];
    const servers = await Promise.all(
      lines.map((sink, index) =>
        start({
          logger: createLogger({
            level: 'info',
            write: (line) => sink.push(JSON.parse(line) as Record<string, unknown>),
          }),
          rateLimit: 0,
          trustedProxies: ['127.0.0.1'],
          fastPath: index === 0,
        }),
      ),
    );
    try {
      for (const [index, server] of servers.entries()) {
        await send(server.url, {
          path: a2a('team-data', 'sql-analyst'),
          headers: { 'x-request-id': 'r-1', 'x-forwarded-for': '203.0.113.7' },
        });
        await send(server.url, { method: 'HEAD', path: wellKnown('team-data', 'sql-analyst', 'agent.json') });
        const requests = lines[index]!.filter((line) => line.msg === 'request');
        expect(requests).toHaveLength(2);
      }
      const shape = (line: Record<string, unknown>) => {
        const { time: _time, durationMs, requestId, ...rest } = line;
        return { ...rest, durationMs: typeof durationMs, requestId: typeof requestId };
      };
      const [viaFastPath, viaHono] = lines.map((sink) =>
        sink.filter((line) => line.msg === 'request').map(shape),
      );
      expect(viaFastPath).toEqual(viaHono);
      expect(lines[0]?.find((line) => line.msg === 'request')).toMatchObject({
        requestId: 'r-1',
        client: 'ip:203.0.113.7',
      });
    } finally {
      await Promise.all(servers.map((server) => server.close()));
    }
  });

  it('spends from the same per-client budget as the Hono limiter, which answers the 429s', async () => {
    const limited = (fastPath: boolean) =>
      start({ logger: silentLogger, rateLimit: 1, rateBurst: 2, fastPath });
    const servers = await Promise.all([limited(true), limited(false)]);
    try {
      const runs = await Promise.all(
        servers.map(async (server) => {
          const results: Exchange[] = [];
          for (let i = 0; i < 4; i++) {
            results.push(comparable(await send(server.url, { path: a2a('team-data', 'sql-analyst') })));
          }
          return results;
        }),
      );
      expect(runs[0]?.map((r) => r.status)).toEqual([200, 200, 429, 429]);
      expect(runs[0]).toEqual(runs[1]);
    } finally {
      await Promise.all(servers.map((server) => server.close()));
    }
    // The fast path alone, with a budget of two: it answers twice, then declines (Hono would 429).
    const budgeted = createFastPath({
      store: fast.store,
      logger: silentLogger,
      metrics: createMetrics(fast.store, { defaultMetrics: false }),
      authMode: 'none',
      anonymousOnly: true,
      addressBuckets: new TokenBuckets({ ratePerSecond: 0.001, burst: 2 }),
      cacheMaxAge: 60,
      publicUrl: undefined,
      maxUrlBytes: 8192,
      clientAddress: clientAddressResolver(),
      hostname: '127.0.0.1',
    });
    if (!budgeted) throw new Error('the fast path should be on with a rate limit');
    const budgetProbe = createServer((req, res) => {
      if (!budgeted.handle(req, res)) res.writeHead(418).end('declined');
    });
    await new Promise<void>((resolve) => budgetProbe.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(budgetProbe.address() as AddressInfo).port}`;
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        statuses.push((await send(url, { path: a2a('team-data', 'sql-analyst') })).status);
      }
      expect(statuses).toEqual([200, 200, 418]);
    } finally {
      await new Promise<void>((resolve) => budgetProbe.close(() => resolve()));
    }
  });
});
