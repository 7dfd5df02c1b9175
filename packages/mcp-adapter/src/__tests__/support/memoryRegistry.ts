import type { AgentCard } from '@agent-registry/crds';
import type { CardEvent, CardPage, CardQuery, RegistryReader } from '../../registryReader.js';

const namespaceOf = (card: AgentCard) => card.metadata.namespace ?? 'default';
const keyOf = (card: AgentCard) => `${namespaceOf(card)}/${card.metadata.name}`;

/** Whether a card matches a query, with the registry's documented (case-insensitive) semantics. */
export function matches(card: AgentCard, query: CardQuery): boolean {
  const lower = (value: string | undefined) => value?.toLowerCase();
  const skills = card.spec.skills ?? [];
  if (query.namespace && namespaceOf(card) !== query.namespace) return false;
  if (query.health && (card.status?.health ?? 'Unknown') !== query.health) return false;
  if (query.skill) {
    const wanted = lower(query.skill);
    if (!skills.some((skill) => lower(skill.id) === wanted || lower(skill.name) === wanted)) return false;
  }
  if (query.tag) {
    const wanted = lower(query.tag);
    if (!skills.some((skill) => (skill.tags ?? []).some((tag) => lower(tag) === wanted))) return false;
  }
  if (query.q) {
    const haystack = [
      card.metadata.name,
      card.spec.metadata?.description ?? '',
      ...skills.flatMap((skill) => [skill.name, skill.description ?? '']),
    ]
      .join('\n')
      .toLowerCase();
    if (!haystack.includes(query.q.toLowerCase())) return false;
  }
  return true;
}

/** Lists cards with an offset as the `continue` token. Throws for a bad token, as a store would. */
export function pageOf(cards: AgentCard[], query: CardQuery): CardPage {
  const matching = cards
    .filter((card) => matches(card, query))
    .sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
  const start = query.continue === undefined ? 0 : Number(query.continue);
  if (!Number.isInteger(start) || start < 0)
    throw new Error(`invalid continue token ${JSON.stringify(query.continue)}`);
  const limit = query.limit ?? 100;
  const items = matching.slice(start, start + limit);
  return start + limit < matching.length ? { items, continue: String(start + limit) } : { items };
}

/**
 * An in-memory registry with change notifications: the store of the registry
 * app in miniature. `mode: 'async'` answers with promises, `'sync'` directly.
 */
export class MemoryRegistry implements RegistryReader {
  readonly cards = new Map<string, AgentCard>();
  readonly #listeners = new Set<(event: CardEvent) => void>();

  constructor(
    initial: AgentCard[] = [],
    readonly mode: 'sync' | 'async' = 'async',
  ) {
    for (const card of initial) this.cards.set(keyOf(card), card);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  list(query: CardQuery): CardPage | Promise<CardPage> {
    const page = () => pageOf([...this.cards.values()], query);
    return this.mode === 'sync' ? page() : Promise.resolve().then(page);
  }

  get(namespace: string, name: string): AgentCard | undefined | Promise<AgentCard | undefined> {
    const card = this.cards.get(`${namespace}/${name}`);
    return this.mode === 'sync' ? card : Promise.resolve(card);
  }

  subscribe(listener: (event: CardEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  upsert(card: AgentCard): void {
    const type = this.cards.has(keyOf(card)) ? 'MODIFIED' : 'ADDED';
    this.cards.set(keyOf(card), card);
    for (const listener of this.#listeners) listener({ type, card });
  }

  delete(namespace: string, name: string): void {
    const card = this.cards.get(`${namespace}/${name}`);
    if (!card) return;
    this.cards.delete(`${namespace}/${name}`);
    for (const listener of this.#listeners) listener({ type: 'DELETED', card });
  }
}
