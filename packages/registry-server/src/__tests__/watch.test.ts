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

/** The sequence of an `<epoch>.<sequence>` event id. */
const sequenceOf = (id: string): number => Number(id.split('.')[1]);

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
    const epoch = server.store.epoch;
    expect(events.every((e) => e.id.startsWith(`${epoch}.`))).toBe(true);
    const ids = events.slice(4).map((e) => sequenceOf(e.id));
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
      expect(
        events.map((e) => `${e.event} ${e.data.metadata.name} ${sequenceOf(e.id) > sequenceOf(from)}`),
      ).toEqual(['ADDED resumed true']);
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

  it('answers 410 for an event id another replica issued, even one inside its own buffer', async () => {
    // A second registry over the same manifests: same cards, same sequence numbers, another epoch.
    const replica = await startExampleServer();
    try {
      const list = async (target: Server) =>
        json<{ metadata: { resourceVersion: string } }>(await target.get(`${API}/cards?limit=1`));
      const ours = (await list(server)).metadata.resourceVersion;
      const theirs = (await list(replica)).metadata.resourceVersion;
      expect(ours).toMatch(/^[0-9a-z]+\.\d+$/);
      expect(theirs.split('.')[0]).not.toBe(ours.split('.')[0]);
      // Make the replica's sequence pass ours, so the foreign number is one its buffer holds.
      const file = join(replica.dir, 'replica-only.yaml');
      for (let round = 0; replica.store.sequence <= sequenceOf(ours) && round < 100; round++) {
        await writeFile(file, yaml('replica-only', `round ${round}`));
        await (replica.store as EmbeddedStore).settle();
      }
      expect(replica.store.sequence).toBeGreaterThan(sequenceOf(ours));
      for (const init of [{ headers: { 'last-event-id': ours } }, {}]) {
        const query = 'headers' in init ? '' : `&resourceVersion=${ours}`;
        const gone = await replica.get(`${API}/cards?watch=true${query}`, init);
        expect(gone.status).toBe(410);
        const body = await json(gone);
        expect(body).toMatchObject({ kind: 'Status', reason: 'Gone', code: 410 });
        expect(body.message).toContain('another registry instance');
      }
      // Its own resourceVersion is a valid resume point in the same format.
      const controller = new AbortController();
      const resumed = await replica.get(`${API}/cards?watch=true`, {
        headers: { 'last-event-id': theirs },
        signal: controller.signal,
      });
      expect(resumed.status).toBe(200);
      const events = await readEvents(resumed, (list) => list.length >= 1);
      controller.abort();
      expect(events[0]?.data.metadata.name).toBe('replica-only');
    } finally {
      await replica.close();
    }
  });

  it('ends a stream cleanly after --watch-max-duration, and the client resumes from its last id', async () => {
    const short = await startExampleServer({ watchMaxDurationMs: 300 });
    try {
      const started = Date.now();
      const response = await short.get(`${API}/cards?watch=true&namespace=team-data`);
      expect(response.status).toBe(200);
      const text = await response.text(); // Resolves only when the server ends the stream.
      expect(Date.now() - started).toBeLessThan(3000);
      expect(text).toContain('stream lifetime reached');
      const ids = [...text.matchAll(/^id: (.+)$/gm)].map((match) => match[1]!);
      expect(ids).toHaveLength(4);
      const lastId = ids.at(-1) as string;
      const file = join(short.dir, 'later.yaml');
      await writeFile(file, yaml('later', 'after the reconnect'));
      await (short.store as EmbeddedStore).settle();
      const controller = new AbortController();
      const resumed = await short.get(`${API}/cards?watch=true&namespace=team-data`, {
        headers: { 'last-event-id': lastId },
        signal: controller.signal,
      });
      const events = await readEvents(resumed, (list) => list.length >= 1);
      controller.abort();
      expect(events.map((e) => `${e.event} ${e.data.metadata.name}`)).toEqual(['ADDED later']);
    } finally {
      await short.close();
    }
  });
});
