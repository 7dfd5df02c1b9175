import { afterEach, describe, expect, it } from 'vitest';
import {
  createHttpRegistryReader,
  RegistryRequestError,
  type CardEvent,
  type HttpRegistryReader,
} from '@agent-registry/registry-client';
import { makeCard, sampleCards } from './support/cards.js';
import { until } from './support/mcpClient.js';
import { startRestRegistry, type RestRegistryServer } from './support/registryRestServer.js';

describe('createHttpRegistryReader', () => {
  let registry: RestRegistryServer | undefined;
  let reader: HttpRegistryReader | undefined;
  afterEach(async () => {
    reader?.close();
    await registry?.close();
    registry = undefined;
    reader = undefined;
  });

  it('lists cards with the query as URL parameters and follows continue tokens', async () => {
    registry = await startRestRegistry(sampleCards());
    reader = createHttpRegistryReader(registry.url);
    const travel = await reader.list({ namespace: 'travel', tag: 'booking', limit: 5 });
    expect(travel.items.map((card) => card.metadata.name)).toEqual(['flight-booker']);
    expect(registry.requests.at(-1)?.url).toBe(
      '/api/v1alpha1/registry/cards?namespace=travel&tag=booking&limit=5',
    );

    const first = await reader.list({ limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.continue).toBe('2');
    const second = await reader.list({ limit: 2, continue: first.continue });
    expect(second.items.map((card) => card.metadata.name)).toEqual(['hotel-finder']);
    expect(second.continue).toBeUndefined();
  });

  it('gets one card, and undefined for an unknown one', async () => {
    registry = await startRestRegistry(sampleCards());
    reader = createHttpRegistryReader(`${registry.url}/`);
    const card = await reader.get('tools', 'translator');
    expect(card?.spec.skills?.[0]?.id).toBe('translate');
    expect(await reader.get('tools', 'nobody')).toBeUndefined();
  });

  it('reports registry errors with the Status message', async () => {
    registry = await startRestRegistry(sampleCards());
    reader = createHttpRegistryReader(registry.url);
    const failure = await Promise.resolve(reader.list({ continue: 'not-a-number' })).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(RegistryRequestError);
    expect((failure as RegistryRequestError).status).toBe(400);
    expect((failure as Error).message).toContain('invalid continue token');
  });

  it('sends the bearer token, and a missing one fails with 401', async () => {
    registry = await startRestRegistry(sampleCards(), { token: 's3cret' });
    reader = createHttpRegistryReader(registry.url, { token: 's3cret' });
    expect((await reader.list({})).items).toHaveLength(3);
    expect(registry.requests.at(-1)?.authorization).toBe('Bearer s3cret');
    const anonymous = createHttpRegistryReader(registry.url);
    await expect(anonymous.get('tools', 'translator')).rejects.toThrow(/401.*bearer token/);
  });

  it('says which registry is unreachable', async () => {
    registry = await startRestRegistry([]);
    const { url } = registry;
    await registry.close();
    registry = undefined;
    reader = createHttpRegistryReader(url, { requestTimeoutMs: 2000 });
    await expect(reader.list({})).rejects.toThrow(`registry at ${url} is unreachable`);
  });

  it('rejects a base URL that is not http(s)', () => {
    expect(() => createHttpRegistryReader('ftp://example.com')).toThrow(/must be http\(s\)/);
  });

  it('delivers watch events to subscribers and resumes with Last-Event-ID after the stream drops', async () => {
    registry = await startRestRegistry(sampleCards());
    const errors: Error[] = [];
    reader = createHttpRegistryReader(registry.url, {
      reconnectDelayMs: 20,
      onError: (error) => errors.push(error),
    });
    const events: CardEvent[] = [];
    const unsubscribe = reader.subscribe((event) => events.push(event));
    await until(() => registry!.watchCount === 1, 'the watch stream');

    registry.upsert(makeCard({ namespace: 'ops', name: 'pager' }));
    registry.upsert(makeCard({ namespace: 'ops', name: 'pager', description: 'Pages people' }));
    await until(() => events.length === 2, 'two events');
    // Only changes: the first watch resumes from the list's resourceVersion, so the registry
    // does not re-send the cards it already held.
    const firstWatch = registry.requests.find((request) => request.url.includes('watch=true'));
    expect(firstWatch?.lastEventId).toBe('0');

    registry.dropWatches();
    // A change while no stream is open: the resumed stream must replay it, once.
    registry.delete('ops', 'pager');
    await until(() => events.length === 3, 'the replayed event');
    expect(events.map((event) => `${event.type} ${event.card.metadata.name}`)).toEqual([
      'ADDED pager',
      'MODIFIED pager',
      'DELETED pager',
    ]);
    expect(events[1]?.card.spec.metadata?.description).toBe('Pages people');
    const resumed = registry.requests.filter((request) => request.url.includes('watch=true'));
    expect(resumed.at(-1)?.lastEventId).toBe('2');
    expect(errors.some((error) => error.message.includes('watch'))).toBe(true);

    unsubscribe();
    await until(() => registry!.watchCount === 0, 'the watch stream to close after the last unsubscribe');
  });

  it('skips and reports a watch event whose card does not parse', async () => {
    registry = await startRestRegistry([]);
    const errors: Error[] = [];
    reader = createHttpRegistryReader(registry.url, { onError: (error) => errors.push(error) });
    const events: CardEvent[] = [];
    reader.subscribe((event) => events.push(event));
    await until(() => registry!.watchCount === 1, 'the watch stream');
    const broken = makeCard({ namespace: 'ops', name: 'broken' });
    registry.upsert({ ...broken, kind: 'Nonsense' } as unknown as typeof broken);
    registry.upsert(makeCard({ namespace: 'ops', name: 'fine' }));
    await until(() => events.length === 1, 'the valid event');
    expect(events[0]?.card.metadata.name).toBe('fine');
    expect(errors.map((error) => error.message).join('\n')).toMatch(
      /invalid AgentCard \(watch event 1\): kind: must be AgentCard/,
    );
  });
});
