import { mkdir, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@agent-registry/kube-runtime';
import { parseManifestFile } from '../store/manifestFile.js';
import { API, card, eventually, startExampleServer } from './helpers.js';

type Server = Awaited<ReturnType<typeof startExampleServer>>;

/** Text that, if it ever shows up in a response or a log line, came out of a manifest file. */
const MARKER = 'LEAKMARKER-93c1';

/** Sends one raw request; resolves with the status (0 when the server closed without answering). */
function rawStatus(url: string, request: string): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let data = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(data)?.[1] ?? 0), text: data });
    };
    const timer = setTimeout(done, 3000);
    socket.on('connect', () => socket.end(request));
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('close', done);
    socket.on('error', done);
  });
}

const segment = fc.oneof(
  fc.constantFrom(
    'api',
    'v1alpha1',
    'registry',
    'cards',
    'agents',
    '.well-known',
    'agent-card.json',
    'mcp',
    'a2a',
    'problems',
    'readyz',
    'healthz',
    'team-data',
    'team-platform',
    '..',
    '.',
    '%2e%2e',
    '%2f',
    '%00',
    '%ff',
    '\u00e9',
    'x'.repeat(300),
  ),
  fc.string({ maxLength: 12 }),
);
const path = fc.array(segment, { maxLength: 8 }).map((parts) => `/${parts.join('/')}`);
const query = fc.array(
  fc.tuple(
    fc.constantFrom(
      'namespace',
      'labelSelector',
      'q',
      'limit',
      'continue',
      'watch',
      'since',
      'resourceVersion',
      'a2aVersion',
      'A2A-Version',
      'skill',
      fc.string({ maxLength: 6 }) as unknown as string,
    ),
    fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom('true', '1', '-1', '1001', 'a in (b', '!', '0.3', '1.0', '9.9', '%', '%%'),
    ),
  ),
  { maxLength: 4 },
);
const headerValue = fc.oneof(
  fc.string({ maxLength: 40 }).filter((v) => !/[\r\n\0]/.test(v)),
  fc.constantFrom('Bearer x', '*/*', 'text/event-stream', '0.3', 'evil.example', 'x'.repeat(9000)),
);
const headers = fc.dictionary(
  fc.constantFrom(
    'Accept',
    'A2A-Version',
    'Authorization',
    'If-None-Match',
    'Last-Event-ID',
    'X-Forwarded-For',
    'X-Forwarded-Host',
    'Content-Type',
    'Mcp-Session-Id',
    'Origin',
  ),
  headerValue,
  { maxKeys: 4 },
);
const method = fc.constantFrom(
  'GET',
  'HEAD',
  'OPTIONS',
  'POST',
  'DELETE',
  'PUT',
  'PATCH',
  'TRACE',
  'CONNECT',
  'BREW',
);
const body = fc.oneof(fc.constant(undefined), fc.string({ maxLength: 200 }), fc.json({ maxDepth: 4 }));

describe('fuzz: paths, headers, bodies (raw HTTP) and manifests', { timeout: 300_000 }, () => {
  let server: Server;
  const logs: string[] = [];
  beforeAll(async () => {
    server = await startExampleServer({
      exposeProblems: true,
      bodyTimeoutMs: 1000,
      logger: createLogger({ level: 'info', write: (line) => logs.push(line) }),
    });
    await writeFile(join(server.dir, 'secret.yaml'), `apiVersion: v1\nkind: [${MARKER}\n`);
  });
  afterAll(() => server.close());

  it('raw requests: no 5xx, no crash, no file content in any answer', async () => {
    let sent = 0;
    const fiveXx: string[] = [];
    const leaks: string[] = [];
    await fc.assert(
      fc.asyncProperty(method, path, query, headers, body, async (verb, target, pairs, extra, payload) => {
        const search = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
        const encodedTarget = encodeURI(target).replace(/%25/g, '%') + (search ? `?${search}` : '');
        const text =
          payload === undefined ? '' : typeof payload === 'string' ? payload : JSON.stringify(payload);
        const lines = [
          `${verb} ${encodedTarget} HTTP/1.1`,
          `Host: ${new URL(server.url).host}`,
          'Connection: close',
        ];
        for (const [name, value] of Object.entries(extra))
          lines.push(`${name}: ${value.replace(/[^\x20-\x7e]/g, '?')}`);
        if (text) lines.push(`Content-Length: ${Buffer.byteLength(text)}`);
        const request = `${lines.join('\r\n')}\r\n\r\n${text}`;
        const { status, text: answer } = await rawStatus(server.url, request);
        sent++;
        if (status >= 500) fiveXx.push(`${status} ${verb} ${encodedTarget.slice(0, 200)}`);
        if (answer.includes(MARKER)) leaks.push(`${verb} ${encodedTarget.slice(0, 200)}`);
      }),
      { numRuns: 600, seed: 20261201 },
    );
    const healthy = (await server.get('/healthz')).status;
    const logLeaks = logs.filter((line) => line.includes(MARKER)).length;
    console.log(
      `raw HTTP fuzz: ${sent} requests sent, ${fiveXx.length} 5xx, ${leaks.length + logLeaks} leaks, ${healthy === 200 ? 0 : 1} crashes`,
    );
    expect(fiveXx).toEqual([]);
    expect(leaks).toEqual([]);
    expect(logLeaks).toBe(0);
    expect(healthy).toBe(200);
  });

  it('manifests: arbitrary text and mutated resources never throw, never quote their content', () => {
    let parsed = 0;
    const leaks: string[] = [];
    const resource = fc.record({
      apiVersion: fc.constantFrom('kagent.dev/v1alpha1', 'kagent.dev/v1alpha2', 'a2a.io/v1', 'v1', MARKER),
      kind: fc.constantFrom('AgentCard', 'Agent', 'List', MARKER),
      metadata: fc.record({
        name: fc.oneof(fc.constant(MARKER), fc.string({ maxLength: 10 })),
        namespace: fc.oneof(fc.constant('team'), fc.constant(MARKER)),
      }),
      spec: fc.anything({ maxDepth: 3, withObjectString: true }),
    });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 400 }).map((text) => `${text}${MARKER}`),
          resource.map((value) => JSON.stringify(value)),
          resource.map((value) => `# ${MARKER}\n${JSON.stringify(value)}\n---\n${MARKER}: [`),
        ),
        fc.constantFrom('a.yaml', 'a.json'),
        (text, file) => {
          const result = parseManifestFile(file, text);
          parsed++;
          for (const problem of result.problems) {
            // Metadata a kube-apiserver would reject is reported in its words, which echo the one
            // offending value (README, Security model); anything else of the file is a leak.
            const echoed = problem.path?.startsWith('metadata')
              ? { ...problem, message: problem.message.replace(/Invalid value: "(?:[^"\\]|\\.)*"/, '') }
              : problem;
            if (JSON.stringify(echoed).includes(MARKER)) leaks.push(JSON.stringify(problem).slice(0, 300));
          }
        },
      ),
      { numRuns: 1500, seed: 20261201 },
    );
    console.log(`manifest fuzz: ${parsed} manifests parsed, 0 crashes, ${leaks.length} leaks`);
    for (const leak of [...new Set(leaks)].slice(0, 8)) console.log(`  leak: ${leak}`);
    expect(leaks).toEqual([]);
  });
});

describe('leak test: token mode, randomized requests over every route', { timeout: 300_000 }, () => {
  const TEAM = 'team-token-0123456789abcdef';
  let server: Server;
  let invisible: { namespaces: string[]; names: string[] };
  beforeAll(async () => {
    const setup = await startExampleServer();
    const tokens = join(setup.dir, '..', `leak-tokens-${process.pid}.yaml`);
    await writeFile(tokens, `tokens:\n  - {name: team, token: ${TEAM}, namespaces: [team-data, empty-ns]}\n`);
    await setup.close();
    server = await startExampleServer({ auth: 'token', tokensFile: tokens, rateLimit: 0 });
    // Problems in both namespaces, and a card only visible by its namespace.
    await mkdir(join(server.dir, 'hidden'), { recursive: true });
    await writeFile(
      join(server.dir, 'hidden', 'secret-card.yaml'),
      card('secret-ns', 'secret-agent', 'hidden'),
    );
    await writeFile(join(server.dir, 'hidden', 'dup.yaml'), card('secret-ns', 'secret-agent', 'duplicate'));
    await writeFile(
      join(server.dir, 'hidden', 'broken.yaml'),
      `apiVersion: kagent.dev/v1alpha1\nkind: AgentCard\nmetadata: {name: secret-broken, namespace: secret-ns}\nspec: {endpoints: [5]}\n`,
    );
    await eventually(() => expect(server.store.get('secret-ns', 'secret-agent')).toBeDefined());
    const all = server.store.list({ limit: 1000 }).items;
    const visibleNames = new Set(
      all.filter((c) => c.metadata.namespace === 'team-data').map((c) => c.metadata.name),
    );
    invisible = {
      namespaces: [...new Set(all.map((c) => c.metadata.namespace as string))].filter(
        (ns) => ns !== 'team-data',
      ),
      names: all
        .filter((c) => c.metadata.namespace !== 'team-data' && !visibleNames.has(c.metadata.name))
        .map((c) => c.metadata.name)
        .concat('secret-broken'),
    };
    expect(invisible.namespaces).toEqual(expect.arrayContaining(['team-platform', 'secret-ns']));
  });
  afterAll(() => server.close());

  it('≥ 1,000 requests: 0 cards or names of invisible namespaces', async () => {
    const auth = { authorization: `Bearer ${TEAM}` };
    const namespaces = ['team-data', 'empty-ns', ...invisible.namespaces];
    const names = [...invisible.names, 'sql-analyst', 'pipeline-monitor', 'nope'];
    const request = fc.oneof(
      fc.record({
        kind: fc.constant('list' as const),
        namespace: fc.option(fc.constantFrom(...namespaces)),
        q: fc.option(fc.constantFrom(...names, 'agent', 'release')),
        labelSelector: fc.option(fc.constantFrom('team', '!team', 'tier in (staging)')),
        limit: fc.option(fc.integer({ min: 0, max: 5 })),
      }),
      fc.record({
        kind: fc.constantFrom('card' as const, 'a2a' as const, 'wellKnown' as const, 'legacy' as const),
        namespace: fc.constantFrom(...namespaces),
        name: fc.constantFrom(...names),
      }),
      fc.record({
        kind: fc.constantFrom(
          'readyz' as const,
          'healthz' as const,
          'problems' as const,
          'openapi' as const,
          'metricsless' as const,
          'root' as const,
          'watch' as const,
          'mcp' as const,
        ),
      }),
    );
    let sent = 0;
    const leaks: string[] = [];
    /** A leak: an invisible namespace or name in an answer, other than echoing the request's own words. */
    const check = (what: string, text: string) => {
      sent++;
      for (const token of [...invisible.namespaces, ...invisible.names]) {
        if (text.includes(token) && !what.includes(token)) leaks.push(`${what}: ${token}`);
      }
    };
    const mcp = async (body: unknown, session?: string) =>
      server.get('/mcp', {
        method: 'POST',
        headers: {
          ...auth,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...(session ? { 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' } : {}),
        },
        body: JSON.stringify(body),
      });
    const init = await mcp({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'leak', version: '1' } },
    });
    const session = init.headers.get('mcp-session-id') as string;
    check('mcp initialize', await init.text());
    await (await mcp({ jsonrpc: '2.0', method: 'notifications/initialized' }, session)).text();

    await fc.assert(
      fc.asyncProperty(request, fc.constantFrom('0.3', '1.0', undefined), async (r, version) => {
        const headers = { ...auth, ...(version ? { 'a2a-version': version } : {}) };
        let path: string;
        switch (r.kind) {
          case 'list': {
            const params = new URLSearchParams();
            if (r.namespace) params.set('namespace', r.namespace);
            if (r.q) params.set('q', r.q);
            if (r.labelSelector) params.set('labelSelector', r.labelSelector);
            if (r.limit !== null) params.set('limit', String(r.limit));
            path = `${API}/cards?${params}`;
            break;
          }
          case 'card':
            path = `${API}/cards/${r.namespace}/${r.name}`;
            break;
          case 'a2a':
            path = `${API}/cards/${r.namespace}/${r.name}/a2a`;
            break;
          case 'wellKnown':
            path = `/agents/${r.namespace}/${r.name}/.well-known/agent-card.json`;
            break;
          case 'legacy':
            path = `/agents/${r.namespace}/${r.name}/.well-known/agent.json`;
            break;
          case 'watch': {
            const controller = new AbortController();
            const response = await server.get(`${API}/cards?watch=true`, {
              headers: { ...headers, accept: 'text/event-stream' },
              signal: controller.signal,
            });
            const reader = (response.body as ReadableStream<Uint8Array>).getReader();
            let text = '';
            const deadline = Date.now() + 300;
            while (Date.now() < deadline && !text.includes('sql-analyst')) {
              const chunk = await Promise.race([
                reader.read(),
                new Promise<{ value?: undefined }>((resolve) => setTimeout(() => resolve({}), 100)),
              ]);
              if (chunk.value) text += new TextDecoder().decode(chunk.value);
            }
            controller.abort();
            check('watch', text);
            return;
          }
          case 'mcp': {
            for (const call of [
              { name: 'search_agents', arguments: {} },
              { name: 'list_skills', arguments: {} },
              { name: 'get_agent_card', arguments: { namespace: 'team-platform', name: 'release-manager' } },
              { name: 'get_agent_card', arguments: { namespace: 'secret-ns', name: 'secret-agent' } },
            ]) {
              const response = await mcp(
                { jsonrpc: '2.0', id: 2, method: 'tools/call', params: call },
                session,
              );
              check(`mcp ${JSON.stringify(call)}`, await response.text());
            }
            const resources = await mcp({ jsonrpc: '2.0', id: 3, method: 'resources/list' }, session);
            check('mcp resources/list', await resources.text());
            return;
          }
          default:
            path = {
              readyz: '/readyz',
              healthz: '/healthz',
              problems: `${API}/problems`,
              openapi: '/openapi.json',
              metricsless: API,
              root: '/',
            }[r.kind];
        }
        const response = await server.get(path, { headers });
        check(path, await response.text());
      }),
      { numRuns: 1000, seed: 20261201 },
    );
    console.log(
      `leak test (token mode): ${sent} requests, ${leaks.length} leaks of invisible namespaces or names`,
    );
    for (const leak of [...new Set(leaks)].slice(0, 12)) console.log(`  leak: ${leak}`);
    expect(sent).toBeGreaterThanOrEqual(1000);
    expect(leaks).toEqual([]);
  });
});
