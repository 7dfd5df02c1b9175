import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, card, eventually, json, startExampleServer } from './helpers.js';
import { startChildRegistry } from './support/childRegistry.js';

type Server = Awaited<ReturnType<typeof startExampleServer>>;

interface RawResult {
  status: number;
  headers: string;
  body: string;
  /** Whether the server closed the connection (within `closeWithinMs`). */
  closed: boolean;
}

/** Sends raw bytes and reads until the server closes or `closeWithinMs` passes; `trickle` keeps sending. */
function raw(
  url: string,
  request: string,
  { closeWithinMs = 3000, trickle = false }: { closeWithinMs?: number; trickle?: boolean } = {},
): Promise<RawResult> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(Number(port), hostname);
    let data = '';
    let closed = false;
    let drip: NodeJS.Timeout | undefined;
    const finish = () => {
      clearInterval(drip);
      clearTimeout(timer);
      const [head = '', body = ''] = data.split('\r\n\r\n');
      socket.destroy();
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), headers: head, body, closed });
    };
    const timer = setTimeout(finish, closeWithinMs);
    socket.on('connect', () => {
      socket.write(request);
      if (trickle) drip = setInterval(() => socket.writable && socket.write('x'), 100);
    });
    socket.on('data', (chunk) => (data += chunk.toString()));
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.on('error', (error) => (data ? undefined : reject(error)));
  });
}

const statusOf = (body: string) => JSON.parse(body) as { kind: string; code: number; reason: string };

describe('findings 6-8 over HTTP', () => {
  let server: Server;
  let host: string;
  beforeAll(async () => {
    server = await startExampleServer({ bodyTimeoutMs: 1000 });
    host = new URL(server.url).host;
    await writeFile(
      join(server.dir, 'hostless.yaml'),
      `apiVersion: kagent.dev/v1alpha1\nkind: AgentCard\nmetadata: {name: hostless, namespace: team-data}\nspec:\n  metadata: {description: no endpoint}\n`,
    );
    await eventually(async () =>
      expect((await server.get('/agents/team-data/hostless/.well-known/agent-card.json')).status).toBe(200),
    );
  });
  afterAll(() => server.close());

  describe('finding 6: bodies and sockets have deadlines', () => {
    it('a GET with Content-Length: 1000000 gets a 413 Status and its connection is closed while the client trickles', async () => {
      const result = await raw(
        server.url,
        `GET ${API}/cards HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 1000000\r\n\r\nxxxx`,
        { trickle: true },
      );
      expect(result.status).toBe(413);
      expect(statusOf(result.body)).toMatchObject({ kind: 'Status', reason: 'RequestEntityTooLarge' });
      expect(result.closed).toBe(true);
    });

    it('a chunked GET likewise', async () => {
      const result = await raw(
        server.url,
        `GET ${API}/cards HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n`,
        { trickle: true },
      );
      expect(result.status).toBe(413);
      expect(result.closed).toBe(true);
    });

    it('100 trickling clients: all closed, none left holding a descriptor', async () => {
      const results = await Promise.all(
        Array.from({ length: 100 }, () =>
          raw(server.url, `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 1000000\r\n\r\n`, {
            trickle: true,
            closeWithinMs: 5000,
          }),
        ),
      );
      expect(results.filter((result) => result.closed)).toHaveLength(100);
    });

    it('POST /mcp with a body that never completes: 408 Status, connection closed', async () => {
      const started = Date.now();
      const result = await raw(
        server.url,
        `POST /mcp HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: 500\r\n\r\n{"jsonrpc":`,
        { closeWithinMs: 8000 },
      );
      expect(result.status).toBe(408);
      expect(statusOf(result.body)).toMatchObject({ kind: 'Status', code: 408, reason: 'Timeout' });
      expect(result.closed).toBe(true);
      expect(Date.now() - started).toBeLessThan(4000);
    });

    it('a request that completes in time is unaffected, and a watch outlives the body deadline', async () => {
      const controller = new AbortController();
      const response = await server.get(`${API}/cards?watch=true`, {
        headers: { accept: 'text/event-stream' },
        signal: controller.signal,
      });
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      await reader.read();
      await new Promise((resolve) => setTimeout(resolve, 2500));
      await writeFile(join(server.dir, 'late.yaml'), card('team-data', 'late', 'after the deadline'));
      let text = '';
      while (!text.includes('"name":"late"')) {
        const { value, done } = await reader.read();
        if (done) throw new Error('the watch ended');
        text += new TextDecoder().decode(value);
      }
      controller.abort();
    });
  });

  describe('finding 7: card URLs cannot be poisoned', () => {
    it('a spoofed Host does not reach the card, nor its cache', async () => {
      const result = await raw(
        server.url,
        `GET /agents/team-data/hostless/.well-known/agent-card.json HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n`,
      );
      expect(result.status).toBe(200);
      const body = JSON.parse(result.body) as { url: string };
      expect(body.url).toBe('/agents/team-data/hostless');
      expect(result.body).not.toContain('evil.example');
    });

    it('an absolute-form target never sets the URL (the finding, byte for byte)', async () => {
      for (const path of [
        '/agents/team-data/hostless/.well-known/agent-card.json',
        `${API}/cards/team-data/hostless/a2a`,
      ]) {
        const result = await raw(
          server.url,
          `GET http://evil.example${path} HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n`,
        );
        expect(result.status, path).toBe(200);
        expect(result.body, path).not.toContain('evil.example');
      }
    });

    it('--public-url wins; an --allowed-hosts Host (also via a trusted proxy) is used; others fall back', async () => {
      const configured = await startExampleServer({ publicUrl: 'https://registry.example.com/' });
      const allowed = await startExampleServer({
        allowedHosts: ['registry.example.com'],
        trustedProxies: ['127.0.0.1'],
      });
      try {
        for (const target of [configured, allowed]) {
          await writeFile(
            join(target.dir, 'hostless.yaml'),
            `apiVersion: kagent.dev/v1alpha1\nkind: AgentCard\nmetadata: {name: hostless, namespace: team-data}\nspec:\n  metadata: {description: no endpoint}\n`,
          );
        }
        const path = '/agents/team-data/hostless/.well-known/agent-card.json';
        await eventually(async () => expect((await configured.get(path)).status).toBe(200));
        await eventually(async () => expect((await allowed.get(path)).status).toBe(200));
        const urlOf = async (target: Server, headers: string) =>
          (
            JSON.parse(
              (await raw(target.url, `GET ${path} HTTP/1.1\r\n${headers}Connection: close\r\n\r\n`)).body,
            ) as { url: string }
          ).url;
        expect(await urlOf(configured, 'Host: evil.example\r\n')).toBe(
          'https://registry.example.com/agents/team-data/hostless',
        );
        expect(await urlOf(allowed, 'Host: registry.example.com\r\n')).toBe(
          'http://registry.example.com/agents/team-data/hostless',
        );
        expect(await urlOf(allowed, 'Host: evil.example\r\n')).toBe('/agents/team-data/hostless');
        expect(
          await urlOf(
            allowed,
            'Host: internal:8080\r\nX-Forwarded-Host: registry.example.com\r\nX-Forwarded-Proto: https\r\n',
          ),
        ).toBe('https://registry.example.com/agents/team-data/hostless');
        expect(await urlOf(allowed, 'Host: internal:8080\r\nX-Forwarded-Host: evil.example\r\n')).toBe(
          '/agents/team-data/hostless',
        );
      } finally {
        await configured.close();
        await allowed.close();
      }
    });
  });

  describe('finding 8: every error is a Status; /mcp OPTIONS and HEAD; MCP sessions per client; OpenAPI', () => {
    for (const [what, request] of [
      ['a bad Host', `GET /healthz HTTP/1.1\r\nHost: bad host!\r\n\r\n`],
      ['a missing Host', `GET /healthz HTTP/1.1\r\n\r\n`],
      ['a backslash path', `GET /agents\\team-data HTTP/1.1\r\nHost: x\r\n\r\n`],
      ['a * target', `OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n`],
      ['an authority-form target', `GET example.com:443 HTTP/1.1\r\nHost: x\r\n\r\n`],
    ] as const) {
      it(`answers ${what} with a 400 Status`, async () => {
        const result = await raw(server.url, request);
        expect(result.status).toBe(400);
        expect(statusOf(result.body)).toMatchObject({ kind: 'Status', code: 400, reason: 'BadRequest' });
      });
    }

    it('checks each Host, whatever Host came before (the gate remembers only the last valid one)', async () => {
      const good = `GET /healthz HTTP/1.1\r\nHost: registry.example:8084\r\nConnection: close\r\n\r\n`;
      expect((await raw(server.url, good)).status).toBe(200);
      const bad = await raw(server.url, `GET /healthz HTTP/1.1\r\nHost: registry.example:8084!\r\n\r\n`);
      expect(bad.status).toBe(400);
      expect(statusOf(bad.body)).toMatchObject({ message: 'the Host header is not a host name or address' });
      expect((await raw(server.url, good)).status).toBe(200);
    });

    it('OPTIONS /mcp is 204 and HEAD /mcp 200, with Allow', async () => {
      const options = await server.get('/mcp', { method: 'OPTIONS' });
      expect(options.status).toBe(204);
      expect(options.headers.get('allow')).toBe('GET, HEAD, OPTIONS, POST, DELETE');
      const head = await server.get('/mcp', { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('allow')).toBe('GET, HEAD, OPTIONS, POST, DELETE');
    });
  });
});

describe('finding 8: one client cannot evict another client\u2019s MCP sessions (auth off)', () => {
  let server: Server;
  beforeAll(async () => {
    // Clients told apart by X-Forwarded-For from a trusted proxy (the test's own address).
    server = await startExampleServer({ trustedProxies: ['127.0.0.1'], maxMcpSessionsPerClient: 3 });
  });
  afterAll(() => server.close());

  const initialize = (client: string) =>
    server.get('/mcp', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'x-forwarded-for': client,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: client, version: '1' },
        },
      }),
    });
  const ping = (client: string, session: string) =>
    server.get('/mcp', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'x-forwarded-for': client,
        'mcp-session-id': session,
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }),
    });

  it('a flood of sessions from one client closes only its own oldest ones', async () => {
    const victim = await initialize('203.0.113.7');
    const victimSession = victim.headers.get('mcp-session-id') as string;
    expect(victimSession).toBeTruthy();
    await victim.text();
    const flood: string[] = [];
    for (let i = 0; i < 20; i++) {
      const response = await initialize('198.51.100.9');
      expect(response.status).toBe(200);
      flood.push(response.headers.get('mcp-session-id') as string);
      await response.text();
    }
    expect((await ping('203.0.113.7', victimSession)).status).toBe(200);
    expect((await ping('198.51.100.9', flood[0]!)).status).toBe(404);
    expect((await ping('198.51.100.9', flood[19]!)).status).toBe(200);
    // A session is not usable by another client.
    expect((await ping('198.51.100.9', victimSession)).status).toBe(404);
  });
});

describe('finding 8: the OpenAPI document lists every status and the security of each operation', () => {
  it('in token mode', async () => {
    const setup = await mkdtemp(join(tmpdir(), 'registry-openapi-'));
    const tokens = join(setup, 'tokens.yaml');
    await writeFile(
      tokens,
      `tokens:\n  - {name: admin, token: admin-token-0123456789abcdef, namespaces: ['*']}\n`,
    );
    const server = await startExampleServer({ auth: 'token', tokensFile: tokens });
    try {
      type Operation = { responses: Record<string, unknown>; security: unknown[] };
      const spec = await json<{ paths: Record<string, Record<string, Operation>> }>(
        await server.get('/openapi.json'),
      );
      const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
        Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
      );
      expect(operations.length).toBeGreaterThan(5);
      for (const { path, operation } of operations) {
        for (const code of ['400', '405', '413', '429', '431', '500'])
          expect(operation.responses, `${path} ${code}`).toHaveProperty(code);
        expect(operation.security, path).toBeDefined();
      }
      const byPath = (path: string) => Object.values(spec.paths[path] ?? {})[0]!;
      expect(byPath(`${API}/cards`).security).toEqual([{ bearer: [] }]);
      expect(byPath(`${API}/cards`).responses).toHaveProperty('401');
      expect(byPath(`${API}/problems`).security).toEqual([{ bearer: [] }]);
      expect(byPath('/healthz').security).toEqual([]);
      expect(byPath('/readyz').security).toEqual([]);
      expect(byPath('/readyz').responses).toHaveProperty('503');
    } finally {
      await server.close();
      await rm(setup, { recursive: true, force: true });
    }
  });
});

describe('finding 8: directory watching does not put a watch on every file', { timeout: 120_000 }, () => {
  it('2,000 one-card files in 4 directories: a handful of inotify watches, changes still seen', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'registry-watches-'));
    for (let d = 0; d < 4; d++) {
      await mkdir(join(dir, `team-${d}`));
      for (let i = 0; i < 500; i++) {
        await writeFile(
          join(dir, `team-${d}`, `agent-${i}.yaml`),
          card(`team-${d}`, `agent-${i}`, 'one card per file'),
        );
      }
    }
    const registry = await startChildRegistry({ manifests: dir }, { startTimeoutMs: 110_000 });
    try {
      const watches = await registry.inotifyWatches();
      console.log(`2,000 files in 4 directories: ${watches} inotify watches`);
      expect(watches).toBeGreaterThan(0);
      expect(watches).toBeLessThanOrEqual(10);
      await writeFile(join(dir, 'team-3', 'new.yaml'), card('team-3', 'new', 'added later'));
      await eventually(
        async () => expect((await fetch(`${registry.url}${API}/cards/team-3/new`)).status).toBe(200),
        10_000,
      );
    } finally {
      await registry.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
