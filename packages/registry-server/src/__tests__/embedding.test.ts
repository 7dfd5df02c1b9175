import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, type Registry } from '../index.js';
import { API, copyExamples } from './helpers.js';

// The way a third-party agent embeds the registry: the package's public API only, its own server.
describe('embedding the registry', () => {
  let examples: Awaited<ReturnType<typeof copyExamples>>;
  let registry: Registry;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    examples = await copyExamples();
    registry = await createRegistry({ manifests: examples.dir, rateLimit: 0, ui: false });
    server = createServer(registry.handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await registry.close();
    await examples.remove();
  });

  it('serves the REST API and the well-known cards from a node:http server of its own', async () => {
    const list = await fetch(`${url}${API}/cards?namespace=team-data`);
    expect(list.status).toBe(200);
    expect(((await list.json()) as { items: unknown[] }).items).toHaveLength(4);
    const card = await fetch(`${url}/agents/team-data/sql-analyst/.well-known/agent-card.json`);
    expect(card.status).toBe(200);
    expect(((await card.json()) as { name: string }).name).toBeTruthy();
  });

  it('answers a request node:http parses but Hono cannot represent with a Status, through the handler', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const outgoing = request({ host: '127.0.0.1', port: new URL(url).port, path: '*', method: 'OPTIONS' });
      outgoing.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      outgoing.on('error', reject);
      outgoing.end();
    });
    expect(status).toBe(400);
  });

  it('is a Hono app too: mounted in a parent app, it answers through fetch', async () => {
    const parent = new Hono().get('/own', (c) => c.text('mine')).route('/', registry.app);
    expect(await (await parent.request('/own')).text()).toBe('mine');
    const response = await parent.request(`${API}/cards/team-platform/release-manager`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { metadata: { name: string } }).metadata.name).toBe('release-manager');
  });

  it('its store names the source of its cards', () => {
    expect(registry.store.source).toEqual({ kind: 'manifests', location: examples.dir });
  });

  it('the embedded store needs a manifests directory, and says so', async () => {
    await expect(createRegistry({})).rejects.toThrow(/needs `manifests`/);
  });

  it('close() is idempotent', async () => {
    const other = await createRegistry({ manifests: examples.dir, ui: false });
    await Promise.all([other.close(), other.close()]);
    await other.close();
  });
});
