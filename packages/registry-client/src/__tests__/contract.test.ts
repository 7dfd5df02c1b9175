import type { AgentCard } from '@agent-registry/crds';
import { describe, expect, it } from 'vitest';
import {
  formatEventId,
  listAll,
  parseEventId,
  type CardPage,
  type CardQuery,
  type RegistryReader,
} from '../index.js';

const card = (name: string): AgentCard =>
  ({
    apiVersion: 'kagent.dev/v1alpha1',
    kind: 'AgentCard',
    metadata: { name, namespace: 'default' },
    spec: { a2aVersion: '1.0' },
  }) as AgentCard;

/** A reader over an array, paging by an index token: what a store does, in ten lines. */
function arrayReader(cards: AgentCard[], queries: CardQuery[]): RegistryReader {
  return {
    list(query): CardPage {
      queries.push(query);
      const start = Number(query.continue ?? 0);
      const end = start + (query.limit ?? 100);
      return end < cards.length
        ? { items: cards.slice(start, end), continue: String(end) }
        : { items: cards.slice(start) };
    },
    get: (namespace, name) => cards.find((c) => c.metadata.name === name && namespace === 'default'),
  };
}

describe('listAll', () => {
  const cards = Array.from({ length: 2500 }, (_, index) => card(`agent-${index}`));

  it('follows continue tokens to the end, passing the query on', async () => {
    const queries: CardQuery[] = [];
    const all = await listAll(arrayReader(cards, queries), { namespace: 'default' }, 10_000);
    expect(all.items).toHaveLength(2500);
    expect(all.truncated).toBe(false);
    expect(queries.map((query) => query.continue)).toEqual([undefined, '1000', '2000']);
    expect(queries.every((query) => query.namespace === 'default' && query.limit === 1000)).toBe(true);
  });

  it('stops at maxItems and says so', async () => {
    const all = await listAll(arrayReader(cards, []), {}, 1500);
    expect(all.items.map((c) => c.metadata.name)).toEqual(cards.slice(0, 1500).map((c) => c.metadata.name));
    expect(all.truncated).toBe(true);
  });
});

describe('event ids', () => {
  it('round-trip as <epoch>.<sequence>', () => {
    expect(parseEventId(formatEventId('a1b2c3', 42))).toEqual({ epoch: 'a1b2c3', sequence: 42 });
  });

  it('read a bare number with an empty epoch, and nothing else', () => {
    expect(parseEventId('17')).toEqual({ epoch: '', sequence: 17 });
    for (const raw of ['', 'x', 'A.1', '1.2.3', 'abc.', '.5', `a.${'9'.repeat(16)}`]) {
      expect(parseEventId(raw), raw).toBeUndefined();
    }
  });
});
