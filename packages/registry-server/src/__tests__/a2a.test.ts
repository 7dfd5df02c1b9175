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

  it("serves the card both generations read when no version is named, keeping the agent's own URL", async () => {
    const response = await server.get(`${API}/cards/team-platform/k8s-troubleshooter/a2a`);
    expect(response.status).toBe(200);
    expect(response.headers.get('a2a-version')).toBeNull();
    expect(response.headers.get('last-modified')).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    const card = await json(response);
    const url = 'http://k8s-troubleshooter.team-platform.svc.cluster.local:8080/a2a';
    expect(card).toMatchObject({
      name: 'k8s-troubleshooter',
      url,
      preferredTransport: 'JSONRPC',
      protocolVersion: '0.3.0',
      supportedInterfaces: [expect.objectContaining({ url, protocolBinding: 'JSONRPC' })],
      provider: { organization: 'Platform Engineering' },
    });
    expect(validateA2ACard(card, '0.3.0')).toMatchObject({ ok: true });
    const v1 = await json(await server.get(`${API}/cards/team-data/pipeline-monitor/a2a`));
    expect(v1).toMatchObject({
      url: 'https://pipeline-monitor.data.example.com/a2a',
      protocolVersion: '0.3.0',
    });
    expect(v1.supportedInterfaces).toEqual([
      expect.objectContaining({
        url: 'https://pipeline-monitor.data.example.com/a2a',
        protocolVersion: '1.0',
      }),
    ]);
  });

  it.each<[{ query?: string; header?: string }, string]>([
    [{ query: '?A2A-Version=1.0' }, '1.0'],
    [{ query: '?a2aVersion=1.0' }, '1.0'],
    [{ query: '?a2aVersion=0.3' }, '0.3.0'],
    [{ header: '1.0' }, '1.0'],
    [{ header: '1.0.5' }, '1.0'],
    [{ header: '0.3' }, '0.3.0'],
    [{ header: '0.3.1' }, '0.3.0'],
    [{ header: '' }, '0.3.0'],
    [{ query: '?A2A-Version=' }, '0.3.0'],
    [{ query: '?a2aVersion=0.3.0', header: '1.0' }, '0.3.0'],
    [{ query: '?A2A-Version=1.0&a2aVersion=0.3' }, '1.0'],
  ])('negotiates %j → exactly %s (A2A §3.6)', async ({ query = '', header }, version) => {
    const response = await server.get(`${API}/cards/team-platform/incident-responder/a2a${query}`, {
      headers: header !== undefined ? { 'a2a-version': header } : {},
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('a2a-version')).toBe(version);
    const card = await json(response);
    if (version === '1.0') {
      expect(card.supportedInterfaces).toBeDefined();
      expect(card).not.toHaveProperty('url');
    } else {
      expect(card.protocolVersion).toBe('0.3.0');
      expect(card).not.toHaveProperty('supportedInterfaces');
    }
    expect(validateA2ACard(card, version as '0.3.0' | '1.0')).toMatchObject({ ok: true });
  });

  it.each<[{ query?: string; header?: string }, string]>([
    [{ query: '?a2aVersion=2.0' }, 'a2aVersion query parameter "2.0": A2A version 2.0 is not supported'],
    [{ query: '?A2A-Version=latest' }, 'A2A-Version query parameter "latest": must be an A2A version'],
    [{ header: '9.1' }, 'A2A-Version header "9.1": A2A version 9.1 is not supported'],
    [{ header: '1' }, 'A2A-Version header "1": must be an A2A version as Major.Minor'],
  ])('rejects %j with 400 VersionNotSupported', async ({ query = '', header }, message) => {
    const response = await server.get(`${API}/cards/team-platform/incident-responder/a2a${query}`, {
      headers: header !== undefined ? { 'a2a-version': header } : {},
    });
    expect(response.status).toBe(400);
    const body = await json(response);
    expect(body).toMatchObject({ kind: 'Status', code: 400 });
    expect(body.message).toMatch(/^VersionNotSupported: /);
    expect(body.message).toContain(message);
  });

  it.each([
    ['application/a2a+json', 'application/a2a+json'],
    ['application/a2a+json, application/json;q=0.5', 'application/a2a+json'],
    ['application/json, application/a2a+json;q=0.5', 'application/json'],
    ['*/*', 'application/json'],
    [undefined, 'application/json'],
  ])('answers Accept: %s with %s', async (accept, mediaType) => {
    const path = '/agents/team-data/sql-analyst/.well-known/agent-card.json';
    const response = await server.get(path, { headers: accept === undefined ? {} : { accept } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(`${mediaType}; charset=utf-8`);
    expect((await json(response)).name).toBe('sql-analyst');
  });

  it('refuses an Accept header that admits neither JSON media type', async () => {
    const response = await server.get('/agents/team-data/sql-analyst/.well-known/agent-card.json', {
      headers: { accept: 'text/html' },
    });
    expect(response.status).toBe(406);
    expect((await json(response)).message).toContain('application/a2a+json');
  });

  it('sends Last-Modified and honours If-Modified-Since when there is no If-None-Match (A2A §8.6)', async () => {
    const path = '/agents/team-data/sql-analyst/.well-known/agent-card.json';
    const first = await server.get(path);
    const lastModified = first.headers.get('last-modified') as string;
    expect(Date.parse(lastModified)).toBeLessThanOrEqual(Date.now());
    const since = async (date: string, extra: Record<string, string> = {}) =>
      (await server.get(path, { headers: { 'if-modified-since': date, ...extra } })).status;
    expect(await since(lastModified)).toBe(304);
    expect(await since(new Date(Date.parse(lastModified) + 60_000).toUTCString())).toBe(304);
    expect(await since(new Date(Date.parse(lastModified) - 1000).toUTCString())).toBe(200);
    expect(await since('not a date')).toBe(200);
    // If-None-Match decides when present (RFC 9110 §13.2.2).
    expect(await since(lastModified, { 'if-none-match': '"other"' })).toBe(200);
    // The same content has the same date in every version.
    const v1 = await server.get(path, { headers: { 'a2a-version': '1.0' } });
    expect(v1.headers.get('last-modified')).toBe(lastModified);
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
