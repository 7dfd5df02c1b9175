import type { AgentCard, Health } from '@agent-registry/crds';
import { CardIndex } from './cardIndex.js';
import type {
  CardEvent,
  CardSource,
  CardPage,
  CardQuery,
  CardStore,
  ListOptions,
  ReplayResult,
  SequencedCardEvent,
  StoreReadiness,
} from './types.js';

/**
 * The read side every store shares: an in-memory {@link CardIndex}. A store
 * only decides how cards get into the index (files, informers) and when it is
 * ready; reads never leave memory.
 */
export abstract class IndexedCardStore implements CardStore {
  protected readonly index: CardIndex;

  constructor(eventBufferSize?: number) {
    this.index = new CardIndex({ eventBufferSize });
  }

  abstract readonly source: CardSource;
  abstract readiness(): StoreReadiness;
  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;

  list(query: CardQuery, options?: ListOptions): CardPage {
    return this.index.list(query, options);
  }
  get(namespace: string, name: string): AgentCard | undefined {
    return this.index.get(namespace, name);
  }
  serialized(card: AgentCard): Buffer {
    return this.index.serialized(card);
  }
  subscribe(listener: (event: CardEvent) => void): () => void {
    return this.index.subscribePlain(listener);
  }
  subscribeSequenced(listener: (event: SequencedCardEvent) => void): () => void {
    return this.index.subscribe(listener);
  }
  eventsSince(sequence: number): ReplayResult {
    return this.index.eventsSince(sequence);
  }
  get sequence(): number {
    return this.index.sequence;
  }
  get epoch(): string {
    return this.index.epoch;
  }
  get size(): number {
    return this.index.size;
  }
  countByHealth(): Record<Health, number> {
    return this.index.countByHealth();
  }
  namespaces(): string[] {
    return this.index.namespaces();
  }
  all(): AgentCard[] {
    return this.index.all();
  }
}
