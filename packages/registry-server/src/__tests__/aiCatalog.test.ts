import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AiCatalogSchema, type AiCatalog } from '../http/aiCatalog.js';
import { API, card, eventually, json, startExampleServer } from './helpers.js';

type Server = Awaited<ReturnType<typeof startExampleServer>>;

const ADMIN = 'catalog-admin-0123456789abcdef';
const DATA = 'catalog-data-0123456789abcdef';
const NOBODY = 'catalog-none-0123456789abcdef';
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe('the AI Catalog and the health summary with --auth token', () => {
  let server: Server;
  let tokensFile: string;
  beforeAll(async () => {
    const plain = await startExampleServer();
    tokensFile = join(plain.dir, '..', `catalog-tokens-${process.pid}-${Date.now()}.yaml`);
    await plain.close();
    await writeFile(
      tokensFile,
      'tokens:\n' +
        `  - {name: admin, token: ${ADMIN}, namespaces: ['*']}\n` +
        `  - {name: data, token: ${DATA}, namespaces: [team-data]}\n` +
        `  - {name: nobody, token: ${NOBODY}, namespaces: [team-elsewhere]}\n`,
    );
    server = await startExampleServer({
      auth: 'token',
      tokensFile,
      publicUrl: 'https://registry.example.com',
    });
  });
  afterAll(async () => {
    await server?.close();
    await rm(tokensFile, { force: true });
  });

  const catalogOf = async (token: string): Promise<{ response: Response; catalog: AiCatalog }> => {
    const response = await server.get('/.well-known/ai-catalog.json', { headers: auth(token) });
    expect(response.status).toBe(200);
    return { response, catalog: v.parse(AiCatalogSchema, await response.json()) };
  };
  const listedKeys = async (token: string): Promise<string[]> => {
    const list = await json<{ items: { metadata: { namespace: string; name: string } }[] }>(
      await server.get(`${API}/cards`, { headers: auth(token) }),
    );
    return list.items.map((item) => `${item.metadata.namespace}:${item.metadata.name}`);
  };

  it('lists exactly the cards each token may see, one A2A entry per card', async () => {
    for (const token of [ADMIN, DATA, NOBODY]) {
      const { response, catalog } = await catalogOf(token);
      expect(response.headers.get('content-type')).toBe('application/ai-catalog+json');
      const expected = (await listedKeys(token)).map((key) => `urn:agent-registry:${key}`);
      expect(catalog.entries.map((entry) => entry.identifier)).toEqual(expected);
    }
    expect((await catalogOf(ADMIN)).catalog.entries).toHaveLength(7);
    expect((await catalogOf(DATA)).catalog.entries).toHaveLength(4);
    expect((await catalogOf(NOBODY)).catalog.entries).toEqual([]);
  });

  it("describes each agent by its A2A card's name and version, and links its well-known card", async () => {
    const { catalog } = await catalogOf(DATA);
    expect(catalog.specVersion).toBe('1.0');
    const entry = catalog.entries.find((e) => e.identifier === 'urn:agent-registry:team-data:cost-reporter');
    expect(entry).toMatchObject({
      mediaType: 'application/a2a-agent-card+json',
      type: 'application/a2a-agent-card+json',
      version: '1.1.0',
      url: 'https://registry.example.com/agents/team-data/cost-reporter/.well-known/agent-card.json',
    });
    const wellKnown = await server.get(new URL(entry?.url as string).pathname, { headers: auth(DATA) });
    expect(wellKnown.status).toBe(200);
    const a2a = (await wellKnown.json()) as { name: string; version: string; description: string };
    expect(entry?.displayName).toBe(a2a.name);
    expect(entry?.version).toBe(a2a.version);
    expect(entry?.description).toBe(a2a.description);
  });

  it('needs a token, and answers If-None-Match with 304 until a visible card changes', async () => {
    expect((await server.get('/.well-known/ai-catalog.json')).status).toBe(401);
    expect(
      (await server.get('/.well-known/ai-catalog.json', { headers: auth('wrong-0123456789abcdef') })).status,
    ).toBe(401);
    const { response } = await catalogOf(DATA);
    const etag = response.headers.get('etag') as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(response.headers.get('cache-control')).toMatch(/^private/);
    expect(response.headers.get('vary')).toMatch(/Authorization/);
    const again = await server.get('/.well-known/ai-catalog.json', {
      headers: { ...auth(DATA), 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    // Another token sees other cards: another ETag.
    expect((await catalogOf(ADMIN)).response.headers.get('etag')).not.toBe(etag);

    await writeFile(
      join(server.dir, 'team-data', 'catalog-new.yaml'),
      card('team-data', 'catalog-new', 'Fresh'),
    );
    await eventually(async () => {
      const changed = await server.get('/.well-known/ai-catalog.json', {
        headers: { ...auth(DATA), 'if-none-match': etag },
      });
      expect(changed.status).toBe(200);
      const body = v.parse(AiCatalogSchema, await changed.json());
      expect(body.entries.map((e) => e.identifier)).toContain('urn:agent-registry:team-data:catalog-new');
    });
    await rm(join(server.dir, 'team-data', 'catalog-new.yaml'));
    await eventually(async () => expect((await catalogOf(DATA)).catalog.entries).toHaveLength(4));
  });

  it('is described in /openapi.json, with the health summary', async () => {
    const document = await json<{ paths: Record<string, { get?: { responses: Record<string, unknown> } }> }>(
      await server.get('/openapi.json'),
    );
    const catalog = document.paths['/.well-known/ai-catalog.json']?.get;
    expect(Object.keys(catalog?.responses ?? {})).toEqual(expect.arrayContaining(['200', '304', '401']));
    expect(JSON.stringify(catalog?.responses['200'])).toContain('application/ai-catalog+json');
    expect(document.paths[`${API}/health`]?.get).toBeDefined();
  });

  it('summarizes health by namespace over the visible cards only', async () => {
    const summaryOf = async (token: string, query = '') => {
      const response = await server.get(`${API}/health${query}`, { headers: auth(token) });
      expect(response.status).toBe(200);
      return json<{
        total: number;
        health: Record<'Healthy' | 'Unhealthy' | 'Unknown', number>;
        namespaces: { namespace: string; total: number }[];
      }>(response);
    };
    const admin = await summaryOf(ADMIN);
    expect(admin.total).toBe(7);
    expect(admin.namespaces.map((n) => n.namespace)).toEqual(['team-data', 'team-platform']);
    expect(admin.health.Healthy + admin.health.Unhealthy + admin.health.Unknown).toBe(7);
    // The counts agree with the health filter of the list.
    for (const state of ['Healthy', 'Unhealthy', 'Unknown'] as const) {
      const list = await json<{ items: unknown[] }>(
        await server.get(`${API}/cards?health=${state}`, { headers: auth(ADMIN) }),
      );
      expect(admin.health[state]).toBe(list.items.length);
    }
    const data = await summaryOf(DATA);
    expect(data.total).toBe(4);
    expect(data.namespaces).toEqual([expect.objectContaining({ namespace: 'team-data', total: 4 })]);
    expect((await summaryOf(DATA, '?namespace=team-platform')).total).toBe(0);
    expect((await summaryOf(ADMIN, '?namespace=team-platform')).total).toBe(3);
    expect((await server.get(`${API}/health`)).status).toBe(401);
    expect((await server.get(`${API}/health?namespace=Bad_NS`, { headers: auth(ADMIN) })).status).toBe(400);
  });
});

describe('the AI Catalog with --auth none', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startExampleServer();
  });
  afterAll(() => server?.close());

  it('lists every card, with URLs relative to the registry when it knows no public origin', async () => {
    const response = await server.get('/.well-known/ai-catalog.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toMatch(/^public/);
    const catalog = v.parse(AiCatalogSchema, await response.json());
    expect(catalog.entries).toHaveLength(7);
    for (const entry of catalog.entries) {
      expect(entry.url).toMatch(/^\/agents\/[a-z0-9-]+\/[a-z0-9.-]+\/\.well-known\/agent-card\.json$/);
      expect((await server.get(entry.url)).status).toBe(200);
    }
    const notJson = await server.get('/.well-known/ai-catalog.json', { headers: { accept: 'text/html' } });
    expect(notJson.status).toBe(406);
  });
});
