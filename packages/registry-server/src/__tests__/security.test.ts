import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, json, names, startExampleServer } from './helpers.js';

type Server = Awaited<ReturnType<typeof startExampleServer>>;
type List = { items: { metadata: { name: string; namespace: string } }[] };

const ADMIN = 'admin-token-0123456789abcdef';
const DATA = 'data-token-0123456789abcdef';

describe('auth=token', () => {
  let server: Server;
  let tokensFile: string;
  beforeAll(async () => {
    server = await startExampleServer({ auth: 'none' });
    tokensFile = join(server.dir, '..', `tokens-${Date.now()}.yaml`);
    await writeFile(
      tokensFile,
      `tokens:\n  - {name: admin, token: ${ADMIN}, namespaces: ['*']}\n  - {name: data, token: ${DATA}, namespaces: [team-data]}\n`,
    );
    await server.close();
    server = await startExampleServer({ auth: 'token', tokensFile });
  });
  afterAll(() => server.close());
  const as = (token?: string): RequestInit => ({
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

  it('answers 401 with WWW-Authenticate without or with a wrong token', async () => {
    for (const init of [as(), as('wrong-token-0123456789'), { headers: { authorization: 'Basic abc' } }]) {
      const response = await server.get(`${API}/cards`, init);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await json(response)).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    }
    expect((await server.get('/agents/team-data/sql-analyst/.well-known/agent-card.json')).status).toBe(401);
    expect((await server.get('/mcp', { method: 'POST' })).status).toBe(401);
  });

  it('keeps probes, metrics and the API description public', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics', '/openapi.json']) {
      expect((await server.get(path)).status, path).toBe(200);
    }
  });

  it('with --metrics-auth, /metrics needs a valid token while the probes stay public', async () => {
    const guarded = await startExampleServer({ auth: 'token', tokensFile, metricsAuth: true, rateLimit: 50 });
    try {
      const anonymous = await guarded.get('/metrics');
      expect(anonymous.status).toBe(401);
      expect(await json(anonymous)).toMatchObject({ kind: 'Status', reason: 'Unauthorized' });
      expect((await guarded.get('/metrics', as('wrong-token-0123456789'))).status).toBe(401);
      const allowed = await guarded.get('/metrics', as(DATA));
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toContain('agent_registry_cards');
      for (const path of ['/healthz', '/readyz']) expect((await guarded.get(path)).status, path).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it('shows each token only its namespaces: filtered lists, 404 (not 403) elsewhere', async () => {
    expect(names(await json<List>(await server.get(`${API}/cards`, as(ADMIN))))).toHaveLength(7);
    const data = names(await json<List>(await server.get(`${API}/cards`, as(DATA))));
    expect(data).toEqual([
      'team-data/cost-reporter',
      'team-data/data-catalog',
      'team-data/pipeline-monitor',
      'team-data/sql-analyst',
    ]);
    expect(
      names(await json<List>(await server.get(`${API}/cards?namespace=team-platform`, as(DATA)))),
    ).toEqual([]);
    const hidden = await server.get(`${API}/cards/team-platform/k8s-troubleshooter`, as(DATA));
    expect(hidden.status).toBe(404);
    expect(
      (await server.get('/agents/team-platform/k8s-troubleshooter/.well-known/agent-card.json', as(DATA)))
        .status,
    ).toBe(404);
    const visible = await server.get(`${API}/cards/team-data/sql-analyst`, as(DATA));
    expect(visible.status).toBe(200);
    expect(visible.headers.get('cache-control')).toBe('private, max-age=60');
  });

  it('reloads the tokens file on change and keeps the old tokens on a bad version', async () => {
    const NEW = 'new-token-0123456789abcdef';
    await writeFile(tokensFile, `tokens:\n  - {name: new, token: ${NEW}, namespaces: [team-platform]}\n`);
    await expect
      .poll(async () => (await server.get(`${API}/cards`, as(NEW))).status, { timeout: 3000 })
      .toBe(200);
    expect((await server.get(`${API}/cards`, as(ADMIN))).status).toBe(401);
    await writeFile(tokensFile, 'tokens: [{name: broken}]\n');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await server.get(`${API}/cards`, as(NEW))).status).toBe(200);
  });
});

describe('limits and hostile input', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startExampleServer({
      rateLimit: 5,
      rateBurst: 5,
      corsOrigins: ['https://ui.example.com'],
    });
  });
  afterAll(() => server.close());

  it('rate-limits per client with 429 and Retry-After, sparing probes', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await server.get(`${API}/cards?limit=1`)).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    const limited = await server.get(`${API}/cards`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await json(limited)).reason).toBe('TooManyRequests');
    expect((await server.get('/healthz')).status).toBe(200);
    // A bearer token does not make the same address another client (made-up ones would be free budgets).
    expect(
      (await server.get(`${API}/cards`, { headers: { authorization: 'Bearer someone-else' } })).status,
    ).toBe(429);
  });

  it('answers CORS preflights only for configured origins', async () => {
    const allowed = await server.get(`${API}/cards`, {
      method: 'OPTIONS',
      headers: { origin: 'https://ui.example.com', 'access-control-request-method': 'GET' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://ui.example.com');
    const denied = await server.get('/healthz', { headers: { origin: 'https://evil.example.com' } });
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('fuzzing paths and queries', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startExampleServer();
  });
  afterAll(() => server.close());

  const segment = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom(
      '..',
      '%2e%2e',
      '..%2f',
      '%',
      '%E0%A4%A',
      '%00',
      '%ff',
      '\u202e',
      '😀',
      'team-data',
      'sql-analyst',
      'a2a',
      '.well-known',
      'agent-card.json',
    ),
  );
  const prefix = fc.constantFrom(`${API}/cards/`, '/agents/', `${API}/`, '/', '/mcp/');
  const query = fc.dictionary(
    fc.constantFrom(
      'q',
      'skill',
      'tag',
      'namespace',
      'health',
      'labelSelector',
      'limit',
      'continue',
      'a2aVersion',
      'watch',
      'since',
      'x',
    ),
    fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.constantFrom('(', 'a in (', '!', '=', '1e3', '-1', 'eyJ', '%zz'),
    ),
  );

  it('never answers 5xx (nor crashes) for arbitrary paths and queries', async () => {
    await fc.assert(
      fc.asyncProperty(
        prefix,
        fc.array(segment, { maxLength: 4 }),
        query,
        async (start, segments, params) => {
          const path = start + segments.map((s) => (/%/.test(s) ? s : encodeURIComponent(s))).join('/');
          const search = Object.entries(params)
            .map(([k, v]) => `${k}=${/%/.test(v) ? v : encodeURIComponent(v)}`)
            .join('&');
          const controller = new AbortController();
          const response = await fetch(`${server.url}${path}?${search}`, { signal: controller.signal });
          const status = response.status;
          controller.abort(); // Ends watch streams that a fuzzed query may have opened.
          await response.body?.cancel().catch(() => undefined);
          expect(status, `${path}?${search}`).toBeLessThan(500);
        },
      ),
      { numRuns: 300 },
    );
    expect((await server.get('/healthz')).status).toBe(200);
  });
});
