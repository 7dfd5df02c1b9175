import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, json, names, startExampleServer } from './helpers.js';

type Server = Awaited<ReturnType<typeof startExampleServer>>;
type List = {
  kind: string;
  metadata: { continue?: string; resourceVersion?: string };
  items: { metadata: { name: string; namespace: string } }[];
};

describe('REST API over the example manifests', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startExampleServer();
  });
  afterAll(() => server.close());

  it('lists every example card as an AgentCardList ordered by namespace/name', async () => {
    const response = await server.get(`${API}/cards`);
    expect(response.status).toBe(200);
    const body = await json<List & { apiVersion: string }>(response);
    expect(body.apiVersion).toBe('kagent.dev/v1alpha1');
    expect(body.kind).toBe('AgentCardList');
    expect(names(body)).toEqual([
      'team-data/cost-reporter',
      'team-data/data-catalog',
      'team-data/pipeline-monitor',
      'team-data/sql-analyst',
      'team-platform/incident-responder',
      'team-platform/k8s-troubleshooter',
      'team-platform/release-manager',
    ]);
    expect(body.metadata.continue).toBeUndefined();
  });

  it.each([
    [
      'namespace=team-platform',
      [
        'team-platform/incident-responder',
        'team-platform/k8s-troubleshooter',
        'team-platform/release-manager',
      ],
    ],
    ['skill=diagnose-pod', ['team-platform/k8s-troubleshooter']],
    ['skill=Diagnose%20pod', ['team-platform/k8s-troubleshooter']],
    ['skill=helm', ['team-platform/release-manager']],
    ['tag=SQL', ['team-data/sql-analyst']],
    ['tag=pipelines', ['team-data/pipeline-monitor']],
    ['health=Healthy', ['team-data/pipeline-monitor']],
    ['health=Unhealthy', ['team-data/cost-reporter']],
    ['labelSelector=team%3Dplatform,tier%3D%3Dstaging', ['team-platform/release-manager']],
    ['labelSelector=tier%20in%20(staging)', ['team-data/data-catalog', 'team-platform/release-manager']],
    ['labelSelector=team%20notin%20(platform),tier!%3Dproduction', ['team-data/data-catalog']],
    ['labelSelector=!team', []],
    [
      'labelSelector=team',
      [
        'team-data/cost-reporter',
        'team-data/data-catalog',
        'team-data/pipeline-monitor',
        'team-data/sql-analyst',
        'team-platform/incident-responder',
        'team-platform/k8s-troubleshooter',
        'team-platform/release-manager',
      ],
    ],
    ['q=WAREHOUSE', ['team-data/sql-analyst']],
    ['q=freshness', ['team-data/pipeline-monitor']],
    // Ranked: sql-analyst says "explain" in its description, a skill name and a skill description.
    ['q=explain&namespace=team-data', ['team-data/sql-analyst', 'team-data/pipeline-monitor']],
    ['namespace=nowhere', []],
  ])('filters with %s', async (query, expected) => {
    const response = await server.get(`${API}/cards?${query}`);
    expect(response.status).toBe(200);
    expect(names(await json<List>(response))).toEqual(expected);
  });

  it.each([
    ['labelSelector=team%20in%20(data', 'missing ")"'],
    ['labelSelector=a%3D%3D%3Db', 'invalid value'],
    ['labelSelector=,', 'empty requirement'],
    ['labelSelector=UPPER/x%3Dy', 'prefix'],
    ['health=Sick', 'health'],
    ['namespace=Team_Data', 'namespace'],
    ['limit=-1', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=1&limit=2', 'limit'],
    ['continue=%%%', 'continue'],
    ['continue=eyJ2IjoxfQ', 'continue'],
    ['watch=maybe', 'watch'],
  ])('rejects %s with a 400 Status', async (query, mentions) => {
    const response = await server.get(`${API}/cards?${query}`);
    expect(response.status).toBe(400);
    const body = await json(response);
    expect(body).toMatchObject({
      apiVersion: 'v1',
      kind: 'Status',
      status: 'Failure',
      code: 400,
      reason: 'BadRequest',
    });
    expect(String(body.message)).toContain(mentions);
  });

  it('pages with limit and continue, ending without a token', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const response = await server.get(`${API}/cards?limit=3${token ? `&continue=${token}` : ''}`);
      const body = await json<List>(response);
      expect(body.items.length).toBeLessThanOrEqual(3);
      seen.push(...names(body));
      token = body.metadata.continue;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
  });

  it.each([
    [0, 7, false],
    [1, 1, true],
    [1000, 7, false],
  ])('limit=%i returns %i cards (continue: %s)', async (limit, count, more) => {
    const body = await json<List>(await server.get(`${API}/cards?limit=${limit}`));
    expect(body.items).toHaveLength(count);
    expect(body.metadata.continue !== undefined).toBe(more);
  });

  it('refuses a continue token issued for other filters', async () => {
    const first = await json<List>(await server.get(`${API}/cards?limit=1&namespace=team-data`));
    const response = await server.get(
      `${API}/cards?limit=1&namespace=team-platform&continue=${first.metadata.continue}`,
    );
    expect(response.status).toBe(400);
    expect((await json(response)).message).toContain('different filters');
  });

  it('gets one AgentCard with a strong ETag, and 304 on If-None-Match', async () => {
    const response = await server.get(`${API}/cards/team-platform/k8s-troubleshooter`);
    expect(response.status).toBe(200);
    const card = await json<{ kind: string; spec: { skills: unknown[] } }>(response);
    expect(card.kind).toBe('AgentCard');
    expect(card.spec.skills).toHaveLength(2);
    const etag = response.headers.get('etag') as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=60');
    const again = await server.get(`${API}/cards/team-platform/k8s-troubleshooter`, {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    const other = await server.get(`${API}/cards/team-platform/k8s-troubleshooter`, {
      headers: { 'if-none-match': '"nope"' },
    });
    expect(other.status).toBe(200);
  });

  it('answers 404 Status for a missing card and unknown routes', async () => {
    for (const path of [
      `${API}/cards/team-data/missing`,
      '/nope',
      `${API}/cards/team-data/missing/a2a`,
      '/agents/x/y/.well-known/agent-card.json',
    ]) {
      const response = await server.get(path);
      expect(response.status, path).toBe(404);
      expect(await json(response), path).toMatchObject({ kind: 'Status', code: 404, reason: 'NotFound' });
    }
  });

  it('answers 400 for names that are not DNS names (incl. encoded traversal)', async () => {
    for (const path of [
      `${API}/cards/..%2f..%2fetc/passwd`,
      `${API}/cards/UPPER/x`,
      `${API}/cards/a/b_c`,
      `${API}/cards/a/%E0%A4%A`,
    ]) {
      const response = await server.get(path);
      expect([400, 404], path).toContain(response.status);
      expect((await json(response)).kind, path).toBe('Status');
    }
    const traversal = await server.get(`${API}/cards/..%2f..%2fetc/passwd`);
    expect(traversal.status).toBe(400);
  });

  it('is read-only: other methods get 405 with Allow', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const response = await server.get(`${API}/cards`, { method });
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
      expect((await json(response)).reason).toBe('MethodNotAllowed');
    }
    const head = await server.get(`${API}/cards/team-data/sql-analyst`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('answers 406 when Accept excludes JSON', async () => {
    const response = await server.get(`${API}/cards`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(406);
    expect((await json(response)).reason).toBe('NotAcceptable');
    const wildcard = await server.get(`${API}/cards`, { headers: { accept: 'text/html, */*;q=0.1' } });
    expect(wildcard.status).toBe(200);
  });

  it('answers 413 for a URL over 8 KiB and 431 for huge headers', async () => {
    const response = await server.get(`${API}/cards?q=${'x'.repeat(9000)}`);
    expect(response.status).toBe(413);
    expect((await json(response)).reason).toBe('RequestEntityTooLarge');
    const headers = await server.get(`${API}/cards`, { headers: { 'x-big': 'y'.repeat(20_000) } });
    expect(headers.status).toBe(431);
  });

  it('serves /healthz, /readyz (ready or not, nothing more), and /metrics with route patterns', async () => {
    expect((await server.get('/healthz')).status).toBe(200);
    const ready = await json(await server.get('/readyz'));
    expect(ready).toEqual({ status: 'ok' });
    await server.get(`${API}/cards/team-data/sql-analyst`);
    const metrics = await (await server.get('/metrics')).text();
    expect(metrics).toContain(
      'agent_registry_http_requests_total{method="GET",route="/api/v1alpha1/registry/cards/:namespace/:name",code="200"}',
    );
    expect(metrics).not.toContain('route="/api/v1alpha1/registry/cards/team-data/sql-analyst"');
    expect(metrics).toMatch(/agent_registry_cards\{health="Healthy"\} 1/);
    expect(metrics).toMatch(/agent_registry_cards\{health="Unknown"\} 5/);
    expect(metrics).toContain('agent_registry_http_request_duration_seconds_bucket');
    expect(metrics).toContain('process_cpu_user_seconds_total');
  });

  it('describes itself as OpenAPI 3.1 generated from the routes', async () => {
    const spec = await json<{
      openapi: string;
      paths: Record<string, Record<string, { parameters?: { name: string }[] }>>;
    }>(await server.get('/openapi.json'));
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        `${API}/cards`,
        `${API}/cards/{namespace}/{name}`,
        `${API}/cards/{namespace}/{name}/a2a`,
        '/agents/{namespace}/{name}/.well-known/agent-card.json',
        '/healthz',
      ]),
    );
    const listParameters = spec.paths[`${API}/cards`]?.get?.parameters?.map((p) => p.name);
    expect(listParameters).toEqual(
      expect.arrayContaining([
        'namespace',
        'skill',
        'tag',
        'health',
        'labelSelector',
        'q',
        'limit',
        'continue',
        'watch',
      ]),
    );
  });
});
