import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedStore } from '../store/embeddedStore.js';
import { API, json, readEvents, startExampleServer } from './helpers.js';

type Server = Awaited<ReturnType<typeof startExampleServer>>;

const yaml = (
  name: string,
  description: string,
  namespace = 'team-data',
): string => `apiVersion: kagent.dev/v1alpha1
kind: AgentCard
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  metadata: {description: ${description}}
`;

describe('watch (Server-Sent Events)', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startExampleServer({ heartbeatMs: 50 });
  });
  afterAll(() => server.close());
  const settle = () => (server.store as EmbeddedStore).settle();

  it('starts with ADDED for the matching cards, then streams changes', async () => {
    const controller = new AbortController();
    const response = await server.get(`${API}/cards?watch=true&namespace=team-data`, {
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const file = join(server.dir, 'watched.yaml');
    const initial = readEvents(response, (events) => events.length >= 7);
    await writeFile(file, yaml('watched', 'one'));
    await settle();
    await writeFile(file, yaml('watched', 'two'));
    await settle();
    await writeFile(join(server.dir, 'elsewhere.yaml'), yaml('elsewhere', 'x', 'team-platform'));
    await settle();
    await rm(file);
    await settle();
    const events = await initial;
    controller.abort();
    expect(events.slice(0, 4).map((e) => e.event)).toEqual(['ADDED', 'ADDED', 'ADDED', 'ADDED']);
    expect(events.slice(0, 4).map((e) => e.data.metadata.name)).toEqual([
      'cost-reporter',
      'data-catalog',
      'pipeline-monitor',
      'sql-analyst',
    ]);
    expect(events.slice(4).map((e) => `${e.event} ${e.data.metadata.name}`)).toEqual([
      'ADDED watched',
      'MODIFIED watched',
      'DELETED watched',
    ]);
    const ids = events.slice(4).map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    await rm(join(server.dir, 'elsewhere.yaml'));
    await settle();
  });

  it('resumes after Last-Event-ID (and ?since=) without re-sending the state', async () => {
    const before = await json<{ metadata: { resourceVersion: string } }>(
      await server.get(`${API}/cards?limit=1`),
    );
    const from = before.metadata.resourceVersion;
    const file = join(server.dir, 'resumed.yaml');
    await writeFile(file, yaml('resumed', 'one'));
    await settle();
    for (const init of [{ headers: { 'last-event-id': from } }, {}]) {
      const controller = new AbortController();
      const query = 'headers' in init ? '' : `&since=${from}`;
      const response = await server.get(`${API}/cards?watch=true${query}`, {
        ...init,
        signal: controller.signal,
      });
      const events = await readEvents(response, (list) => list.length >= 1);
      controller.abort();
      expect(events.map((e) => `${e.event} ${e.data.metadata.name} ${Number(e.id) > Number(from)}`)).toEqual([
        'ADDED resumed true',
      ]);
    }
    await rm(file);
    await settle();
  });

  it('answers 410 Gone for a resume point it no longer holds, 406 without event-stream Accept', async () => {
    const gone = await server.get(`${API}/cards?watch=true`, { headers: { 'last-event-id': '999999999' } });
    expect(gone.status).toBe(410);
    expect((await json(gone)).reason).toBe('Gone');
    const notAcceptable = await server.get(`${API}/cards?watch=true`, {
      headers: { accept: 'application/json' },
    });
    expect(notAcceptable.status).toBe(406);
    const badSelector = await server.get(`${API}/cards?watch=true&labelSelector=(`);
    expect(badSelector.status).toBe(400);
  });

  it('sends heartbeats and drops its subscription when the client goes away', async () => {
    const controller = new AbortController();
    const response = await server.get(`${API}/cards?watch=true&namespace=nowhere`, {
      signal: controller.signal,
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while (!text.includes(': heartbeat')) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    // The listener count is not public: a change after disconnect must simply not break anything.
    await writeFile(join(server.dir, 'after.yaml'), yaml('after', 'x'));
    await settle();
    expect((await server.get(`${API}/cards/team-data/after`)).status).toBe(200);
    await rm(join(server.dir, 'after.yaml'));
  });
});
