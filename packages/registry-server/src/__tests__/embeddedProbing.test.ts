import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { AgentCard } from '@agent-registry/crds';
import { silentLogger } from '../logger.js';
import { startServer, type ServerOptions } from '../server.js';
import type { EmbeddedStore } from '../store/embeddedStore.js';
import type { CardEvent } from '../store/types.js';
import { API } from './helpers.js';

/** A real A2A agent on 127.0.0.1 serving its card at /.well-known/agent-card.json; counts requests. */
async function startAgent(): Promise<{ url: string; requests(): number; close(): Promise<void> }> {
  let url = '';
  let requests = 0;
  const server: Server = createServer((request, response) => {
    requests += 1;
    if (request.url !== '/.well-known/agent-card.json') return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        protocolVersion: '0.3.0',
        name: 'live-agent',
        description: 'A live agent for health probes',
        url,
        preferredTransport: 'JSONRPC',
        version: '1.0.0',
        capabilities: {},
        defaultInputModes: ['text/plain'],
        defaultOutputModes: ['text/plain'],
        skills: [{ id: 'echo', name: 'Echo', description: 'Echoes', tags: ['test'] }],
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }));
  onTestFinished(close);
  return { url, requests: () => requests, close };
}

/** An AgentCard manifest for `endpoint`; its file says `health` (and no lastSeen). */
const cardManifest = (name: string, endpoint: string, health: string): string => `
apiVersion: kagent.dev/v1alpha1
kind: AgentCard
metadata:
  name: ${name}
  namespace: team
spec:
  endpoints:
    - ${endpoint}
  skills:
    - id: echo
      name: Echo
      description: Echoes
      tags: [test]
status:
  health: ${health}
`;

async function manifestsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'registry-probing-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
  return dir;
}

async function start(options: ServerOptions) {
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    logger: silentLogger,
    rateLimit: 0,
    ui: false,
    ...options,
  });
  onTestFinished(() => server.close());
  const card = async (name: string): Promise<AgentCard> =>
    (await (await fetch(`${server.url}${API}/cards/team/${name}`)).json()) as AgentCard;
  return { ...server, card };
}

/** A port nothing listens on (bound, then released): probes of it are refused at once. */
async function deadEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

const INTERVAL_MS = 1000;
const TICK_MS = INTERVAL_MS / 10; // the prober's schedule granularity

describe('embedded store with probing', () => {
  it('a live local agent turns Healthy within one probe interval, and Unhealthy once it stops', async () => {
    const agent = await startAgent();
    const dir = await manifestsDir({ 'agent.yaml': cardManifest('live', agent.url, 'Unknown') });
    const registry = await start({
      manifests: dir,
      probing: true,
      probeIntervalMs: INTERVAL_MS,
      probeTimeoutMs: 500,
    });
    // Probing starts with the store, before the server listens: this is later than the prober's start.
    const started = performance.now();
    const events: CardEvent[] = [];
    onTestFinished(registry.store.subscribe((event) => events.push(event)));
    // Served first as its file says (the store's first event), before any probe.
    const replay = registry.store.eventsSince(0);
    expect(replay.ok && replay.events[0]).toMatchObject({
      type: 'ADDED',
      card: { status: { health: 'Unknown' } },
    });

    // Probed at its offset in the interval: Healthy within one interval (plus a tick, and slack for a busy machine).
    await expect
      .poll(async () => (await registry.card('live')).status?.health, { timeout: 10_000, interval: 20 })
      .toBe('Healthy');
    const healthyAfterMs = performance.now() - started;
    expect(healthyAfterMs).toBeLessThan(INTERVAL_MS + TICK_MS + 500);
    const healthy = await registry.card('live');
    expect(healthy.status?.lastSeen).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.now() - Date.parse(healthy.status?.lastSeen as string)).toBeLessThan(5_000);
    expect(agent.requests()).toBeGreaterThanOrEqual(1);
    // The change reached watchers as one MODIFIED event of the served card.
    expect(events.filter((e) => e.type === 'MODIFIED').at(-1)?.card.status?.health).toBe('Healthy');

    await agent.close();
    const stoppedAt = performance.now();
    await expect
      .poll(async () => (await registry.card('live')).status?.health, { timeout: 10_000, interval: 20 })
      .toBe('Unhealthy');
    expect(performance.now() - stoppedAt).toBeLessThan(INTERVAL_MS + TICK_MS + 500);
    // Unhealthy keeps the last time the agent was seen.
    expect((await registry.card('live')).status?.lastSeen).toBe(healthy.status?.lastSeen);

    // Still down over three more intervals: no further event (a watch hears of changes only).
    const eventsWhileDown = events.length;
    await new Promise((resolve) => setTimeout(resolve, 3 * INTERVAL_MS));
    expect(events.length).toBe(eventsWhileDown);
    const summary = (await (await fetch(`${registry.url}${API}/health`)).json()) as {
      health: Record<string, number>;
    };
    expect(summary.health).toMatchObject({ Unhealthy: 1, Healthy: 0 });
    console.log(
      `embedded probing: Healthy ${healthyAfterMs.toFixed(0)} ms after start, interval ${INTERVAL_MS} ms`,
    );
  });

  it('an edited endpoint is probed anew (the old outcome is not applied); a removed card is forgotten', async () => {
    const agent = await startAgent();
    const dir = await manifestsDir({ 'agent.yaml': cardManifest('moving', agent.url, 'Unknown') });
    const registry = await start({
      manifests: dir,
      probing: true,
      probeIntervalMs: 500,
      probeTimeoutMs: 250,
    });
    await expect
      .poll(async () => (await registry.card('moving')).status?.health, { timeout: 10_000, interval: 20 })
      .toBe('Healthy');

    // The file now names a dead endpoint: the Healthy outcome of the old one is not carried over — the card
    // says what its file says (Unknown) until the new endpoint is probed.
    await writeFile(join(dir, 'agent.yaml'), cardManifest('moving', await deadEndpoint(), 'Unknown'));
    await (registry.store as EmbeddedStore).settle();
    expect(['Unknown', 'Unhealthy']).toContain((await registry.card('moving')).status?.health);
    await expect
      .poll(async () => (await registry.card('moving')).status?.health, { timeout: 10_000, interval: 20 })
      .toBe('Unhealthy');

    await rm(join(dir, 'agent.yaml'));
    await (registry.store as EmbeddedStore).settle();
    expect((await fetch(`${registry.url}${API}/cards/team/moving`)).status).toBe(404);
  });

  it('probing stops on close()', async () => {
    const agent = await startAgent();
    const dir = await manifestsDir({ 'agent.yaml': cardManifest('closing', agent.url, 'Unknown') });
    const registry = await start({
      manifests: dir,
      probing: true,
      probeIntervalMs: 200,
      probeTimeoutMs: 100,
    });
    await expect.poll(() => agent.requests(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await registry.close();
    const after = agent.requests();
    await new Promise((resolve) => setTimeout(resolve, 1000)); // five intervals
    expect(agent.requests()).toBe(after);
  });

  it('without probing, cards keep the health their files say and no agent is called', async () => {
    const agent = await startAgent();
    const dead = await deadEndpoint();
    const dir = await manifestsDir({
      'live.yaml': cardManifest('live', agent.url, 'Unknown'),
      'dead.yaml': cardManifest('dead', dead, 'Healthy'),
    });
    const registry = await start({ manifests: dir, probing: false, probeIntervalMs: 200 });
    await new Promise((resolve) => setTimeout(resolve, 1000)); // five intervals, had probing been on
    expect((await registry.card('live')).status).toEqual({ health: 'Unknown' });
    expect((await registry.card('dead')).status).toEqual({ health: 'Healthy' });
    expect(agent.requests()).toBe(0);
  });
});
