import type { AgentCard } from '@agent-registry/crds';
import { describe, expect, it } from 'vitest';
import { anonymous } from '../auth/types.js';
import { watchStream } from '../http/watchStream.js';
import { silentLogger } from '../logger.js';
import { keyOf } from '../store/cardMatcher.js';
import { IndexedCardStore } from '../store/indexedCardStore.js';
import type { CardQuery, CardSource, StoreReadiness } from '../store/types.js';
import { sseEvents, type SseEvent } from './helpers.js';

/** The shared in-memory index, changed directly by the test. */
class MemoryStore extends IndexedCardStore {
  readonly source: CardSource = { kind: 'manifests', location: 'memory' };
  readiness(): StoreReadiness {
    return { ready: true };
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  put(card: AgentCard): void {
    this.index.upsert(card);
  }
  remove(card: AgentCard): void {
    this.index.delete(card.metadata.namespace as string, card.metadata.name);
  }
}

const agent = (index: number, tier: string, description = 'first', suffix = ''): AgentCard =>
  ({
    apiVersion: 'kagent.dev/v1alpha1',
    kind: 'AgentCard',
    metadata: {
      name: `agent-${String(index).padStart(4, '0')}${suffix}`,
      namespace: 'team-a',
      labels: { tier },
    },
    spec: {
      a2aVersion: '1.0',
      endpoints: [`https://agent-${index}.example.com/a2a`],
      metadata: { description: `${description}: ${'words of a card '.repeat(10)}` },
    },
  }) as AgentCard;

/** Reads events until `enough` says so (or the stream ends). */
async function readFrames(
  events: AsyncGenerator<SseEvent>,
  frames: SseEvent[],
  enough: () => boolean,
): Promise<void> {
  while (!enough()) {
    const next = await events.next();
    if (next.done) return;
    frames.push(next.value);
  }
}

const cardOf = (frame: SseEvent): AgentCard => frame.data as unknown as AgentCard;

const CARDS = 2500; // three pages of the store

describe('watch snapshot of a store that changes while it is sent', () => {
  for (const [label, query] of [
    ['every card', {}],
    ['a label selector', { labelSelector: 'tier=gold' }],
  ] as [string, Omit<CardQuery, 'limit' | 'continue'>][]) {
    it(`sends the starting state exactly, then the changes (${label})`, async () => {
      const store = new MemoryStore();
      const initial = Array.from({ length: CARDS }, (_, i) => agent(i, i % 3 === 0 ? 'silver' : 'gold'));
      for (const card of initial) store.put(card);
      const startSequence = store.sequence;
      const controller = new AbortController();
      const stream = watchStream({
        store,
        query,
        principal: anonymous,
        resumeFrom: undefined,
        heartbeatMs: 60_000,
        signal: controller.signal,
        logger: silentLogger,
      });
      const events = sseEvents(stream.getReader());
      const frames: SseEvent[] = [];
      await readFrames(events, frames, () => frames.length > 0);
      // Still inside the first of three pages: the rest is read from the store after the changes.
      expect(frames.length).toBeLessThan(1000);

      const changes: [string, string][] = [];
      const put = (card: AgentCard) => {
        store.put(card);
        changes.push(['put', keyOf(card)]);
      };
      const remove = (card: AgentCard) => {
        store.remove(card);
        changes.push(['remove', keyOf(card)]);
      };
      put(agent(901, 'gold', 'second')); // a page already taken
      put(agent(1501, 'silver', 'second')); // leaves tier=gold
      remove(initial[2201]!);
      put(agent(1750, 'gold', 'new', 'b')); // did not exist at the start
      put(agent(2302, 'gold', 'second'));
      put(agent(2302, 'gold', 'third'));
      remove(initial[1201]!); // deleted and made again
      put(agent(1201, 'gold', 'again'));
      put(agent(2400, 'gold', 'second')); // was silver: enters tier=gold
      put(agent(2498, 'gold', 'second'));

      const wanted = initial.filter((card) => !query.labelSelector || card.metadata.labels?.tier === 'gold');
      // Every change makes a frame (each one keeps or changes whether the card matches): read to the last.
      await readFrames(events, frames, () =>
        frames.some((frame) => frame.id === `${store.epoch}.${store.sequence}`),
      );
      controller.abort();

      const snapshot = frames.filter((frame) => frame.id === `${store.epoch}.${startSequence}`);
      expect(snapshot.every((frame) => frame.event === 'ADDED')).toBe(true);
      // The starting state, in namespace/name order, each card as it was then.
      expect(snapshot.map(cardOf)).toEqual(wanted);
      const live = frames.slice(snapshot.length);
      expect(frames.slice(0, snapshot.length)).toEqual(snapshot);
      // Under the selector, agent-1501 leaves it (a DELETED) and agent-2400 enters it (an ADDED).
      const selected = Boolean(query.labelSelector);
      const expected = [
        ['MODIFIED', 'agent-0901', 'second'],
        [selected ? 'DELETED' : 'MODIFIED', 'agent-1501', 'second'],
        ['DELETED', 'agent-2201', 'first'],
        ['ADDED', 'agent-1750b', 'new'],
        ['MODIFIED', 'agent-2302', 'second'],
        ['MODIFIED', 'agent-2302', 'third'],
        ['DELETED', 'agent-1201', 'first'],
        ['ADDED', 'agent-1201', 'again'],
        [selected ? 'ADDED' : 'MODIFIED', 'agent-2400', 'second'],
        ['MODIFIED', 'agent-2498', 'second'],
      ];
      expect(
        live.map((frame) => [
          frame.event,
          cardOf(frame).metadata.name,
          (cardOf(frame).spec.metadata?.description as string).split(':')[0],
        ]),
      ).toEqual(expected);
      expect(live.map((frame) => Number(frame.id.split('.')[1]))).toEqual(
        changes.map((_, i) => startSequence + i + 1),
      );
    });
  }
});
