import { afterEach, describe, expect, it } from 'vitest';
import { startHealthServer, type HealthServer } from '../healthServer.js';

describe('startHealthServer', () => {
  const servers: HealthServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it('answers /healthz, /readyz with the reason, and /metrics from its source', async () => {
    let ready: { ready: boolean; reason?: string } = {
      ready: false,
      reason: 'caches not synced: agents.kagent.dev',
    };
    const server = await startHealthServer({
      host: '127.0.0.1',
      port: 0,
      isAlive: () => true,
      readiness: () => ready,
      registry: { contentType: 'text/plain; version=0.0.4', metrics: async () => 'demo_total 3\n' },
    });
    servers.push(server);
    const get = async (path: string, method = 'GET') => {
      const response = await fetch(`${server.url}${path}`, { method });
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        body: await response.text(),
      };
    };
    expect(await get('/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
    expect(await get('/readyz')).toMatchObject({
      status: 503,
      body: 'not ready: caches not synced: agents.kagent.dev\n',
    });
    ready = { ready: true };
    expect(await get('/readyz?verbose')).toMatchObject({ status: 200, body: 'ok\n' });
    expect(await get('/metrics')).toEqual({
      status: 200,
      type: 'text/plain; version=0.0.4',
      body: 'demo_total 3\n',
    });
    expect(await get('/healthz', 'HEAD')).toMatchObject({ status: 200, body: '' });
    expect((await get('/healthz', 'POST')).status).toBe(405);
    expect((await get('/other')).status).toBe(404);
  });

  it('has no /metrics without a source, and a failing source is a 500', async () => {
    const plain = await startHealthServer({
      host: '127.0.0.1',
      port: 0,
      isAlive: () => false,
      readiness: () => ({ ready: true }),
    });
    servers.push(plain);
    expect((await fetch(`${plain.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${plain.url}/livez`)).status).toBe(503);
    const failing = await startHealthServer({
      host: '127.0.0.1',
      port: 0,
      isAlive: () => true,
      readiness: () => ({ ready: true }),
      registry: { contentType: 'text/plain', metrics: () => Promise.reject(new Error('collector threw')) },
    });
    servers.push(failing);
    expect((await fetch(`${failing.url}/metrics`)).status).toBe(500);
  });
});
