import { DefaultAgentCardResolver } from '@a2a-js/sdk/client';
import { validateA2ACard } from '@agent-registry/a2a-translator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, json, startExampleServer } from './helpers.js';

type Server = Awaited<ReturnType<typeof startExampleServer>>;

describe('A2A cards and well-known documents', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startExampleServer({ cacheMaxAge: 120 });
  });
  afterAll(() => server.close());

  it("renders the card's own version by default, keeping the agent's own URL", async () => {
    const response = await server.get(`${API}/cards/team-platform/k8s-troubleshooter/a2a`);
    expect(response.status).toBe(200);
    expect(response.headers.get('a2a-version')).toBe('0.3.0');
    const card = await json(response);
    expect(card).toMatchObject({
      name: 'k8s-troubleshooter',
      protocolVersion: '0.3.0',
      url: 'http://k8s-troubleshooter.team-platform.svc.cluster.local:8080/a2a',
      provider: { organization: 'Platform Engineering' },
    });
    expect(validateA2ACard(card, '0.3.0')).toMatchObject({ valid: true });
    const v1 = await json(await server.get(`${API}/cards/team-data/pipeline-monitor/a2a`));
    expect(v1.supportedInterfaces).toEqual([
      expect.objectContaining({
        url: 'https://pipeline-monitor.data.example.com/a2a',
        protocolVersion: '1.0',
      }),
    ]);
  });

  it.each<[{ query?: string; header?: string }, string]>([
    [{ query: '?a2aVersion=1.0' }, '1.0'],
    [{ query: '?a2aVersion=0.3' }, '0.3.0'],
    [{ header: '1.0' }, '1.0'],
    [{ header: '0.3' }, '0.3.0'],
    [{ query: '?a2aVersion=0.3.0', header: '1.0' }, '0.3.0'],
  ])('negotiates %j → %s', async ({ query = '', header }, version) => {
    const response = await server.get(`${API}/cards/team-platform/incident-responder/a2a${query}`, {
      headers: header ? { 'a2a-version': header } : {},
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('a2a-version')).toBe(version);
    const card = await json(response);
    if (version === '1.0') expect(card.supportedInterfaces).toBeDefined();
    else expect(card.protocolVersion).toBe('0.3.0');
    expect(validateA2ACard(card, version as '0.3.0' | '1.0')).toMatchObject({ valid: true });
  });

  it.each([['?a2aVersion=2.0'], ['?a2aVersion=latest']])('rejects %s with 400', async (query) => {
    const response = await server.get(`${API}/cards/team-platform/incident-responder/a2a${query}`);
    expect(response.status).toBe(400);
    expect((await json(response)).message).toContain('unsupported A2A version');
    const header = await server.get(`${API}/cards/team-platform/incident-responder/a2a`, {
      headers: { 'A2A-Version': '9' },
    });
    expect(header.status).toBe(400);
  });

  it('serves well-known documents with ETag, 304 and cache headers that vary by version', async () => {
    const path = '/agents/team-data/sql-analyst/.well-known/agent-card.json';
    const first = await server.get(path);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('application/json');
    expect(first.headers.get('cache-control')).toBe('public, max-age=120');
    expect(first.headers.get('vary')).toContain('A2A-Version');
    const etag = first.headers.get('etag') as string;
    const cached = await server.get(path, { headers: { 'if-none-match': `W/"x", ${etag}` } });
    expect(cached.status).toBe(304);
    const otherVersion = await server.get(path, { headers: { 'if-none-match': etag, 'a2a-version': '1.0' } });
    expect(otherVersion.status).toBe(200);
    expect(otherVersion.headers.get('etag')).not.toBe(etag);
    const legacy = await server.get('/agents/team-data/sql-analyst/.well-known/agent.json');
    expect(await legacy.text()).toBe(await (await server.get(path)).text());
  });

  it('lets @a2a-js/sdk resolve a card with the registry as the card host', async () => {
    const resolver = new DefaultAgentCardResolver();
    const card = await resolver.resolve(
      `${server.url}/agents/team-platform/incident-responder/.well-known/agent-card.json`,
      '',
    );
    expect(card.name).toBe('incident-responder');
    expect(card.supportedInterfaces[0]?.url).toBe('https://incident-responder.platform.example.com/a2a');
    expect(card.skills.map((skill) => skill.id)).toEqual(['triage-alert', 'page-on-call']);
    const legacy = new DefaultAgentCardResolver({ legacyCompat: { enabled: true } });
    const fromPath = await legacy.resolve(
      `${server.url}/agents/team-platform/k8s-troubleshooter/`,
      '.well-known/agent-card.json?a2aVersion=0.3',
    );
    expect(fromPath.name).toBe('k8s-troubleshooter');
  });
});
