import { isSignatureVerified, namespaceOf, type AgentCard, type Health } from '@agent-registry/crds';
import { cardKey, fieldsOf, healthOf, keyOf, type CardFields } from './cardFields.js';
import { CardSearch, sameDocument, searchDocumentOf } from './cardSearch.js';
import { decodeContinue, encodeContinue, queryFingerprint } from './continueToken.js';
import { formatEventId, newEpoch } from './eventId.js';
import { matchesLabelSelector, parseLabelSelector, type LabelSelector } from './labelSelector.js';
import { queryTermsOf } from './searchTerms.js';
import { EventLog } from './eventLog.js';
import { lruGet } from '../lruGet.js';
import { firstAfter, hasKey, insertKey, removeKey, unionOf, ValueIndex } from './sortedKeys.js';
import {
  DEFAULT_LIMIT,
  MAX_LIMIT,
  QueryError,
  type CardEvent,
  type CardEventType,
  type CardPage,
  type CardQuery,
  type ListOptions,
  type ReplayResult,
  type SequencedCardEvent,
} from './types.js';

/** What a card is indexed by, besides its key and text: computed from the (immutable) card. */
interface IndexedValues {
  namespace: string;
  health: Health;
  verified: string;
  /** Lower-cased skill ids and names. */
  skills: Set<string>;
  /** Lower-cased skill tags. */
  tags: Set<string>;
  labels: Readonly<Record<string, string>>;
  /** What the text index reads too: worked out once per change of a card (see fieldsOf). */
  fields: CardFields;
}

function valuesOf(card: AgentCard): IndexedValues {
  const fields = fieldsOf(card);
  const skills = new Set<string>();
  const tags = new Set<string>();
  for (const skill of fields.skills) {
    skills.add(skill.id.toLowerCase());
    skills.add(skill.name.toLowerCase());
    for (const tag of skill.tags) tags.add(tag.toLowerCase());
  }
  return {
    namespace: namespaceOf(card),
    health: healthOf(card),
    verified: String(isSignatureVerified(card)),
    skills,
    tags,
    labels: card.metadata.labels ?? {},
    fields,
  };
}

/** The query parameters that filter (all but the text, the page size and the position). */
const isFilter = (parameter: string): boolean =>
  parameter !== 'q' && parameter !== 'limit' && parameter !== 'continue';

/** Cards a relist or rescan adds at or beyond which the text index is compacted after it (a load). */
const BULK_ADDITIONS = 1024;

/** Serialized cards kept for list pages and watch frames (the rest are serialized when asked). */
const MAX_SERIALIZED = 4096;

export function validateLimit(limit: number | undefined): number {
  if (limit === undefined || limit === 0) return DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT) {
    throw new QueryError(
      `limit: must be an integer from 0 to ${MAX_LIMIT} (0 means the default, ${DEFAULT_LIMIT})`,
      'limit',
    );
  }
  return limit;
}

/**
 * The in-memory card index both stores share: cards by `namespace/name` in a stable sorted order,
 * secondary indexes (sorted key lists) by namespace, skill id/name, tag, health, signature state and
 * label (key and key=value), a ranked full-text index for `q` (cardSearch.ts), a sequence number per
 * change and a ring buffer of recent events.
 *
 * A card is held once, as the parsed object: its JSON is made when a list page or a watch frame
 * needs it and kept in a small LRU, and what it is indexed by is computed again from the card when
 * it leaves (cards are immutable). A page reads only the keys of its smallest applicable index and
 * checks the other filters per key; a `q` page is the top k of the text matches.
 */
export class CardIndex {
  private readonly cards = new Map<string, AgentCard>();
  private sortedKeys: string[] = [];
  private readonly byNamespace = new ValueIndex();
  private readonly bySkill = new ValueIndex();
  private readonly byTag = new ValueIndex();
  private readonly byHealth = new ValueIndex();
  private readonly byVerified = new ValueIndex();
  /** Keys by label key, and by `key=value`. */
  private readonly byLabelKey = new ValueIndex();
  private readonly byLabel = new ValueIndex();
  private readonly search = new CardSearch();
  /** Recently serialized cards, least recently used first. */
  private readonly serializedCards = new Map<AgentCard, Buffer>();
  private readonly listeners = new Set<(event: SequencedCardEvent) => void>();
  private readonly log: EventLog;
  private currentSequence = 0;
  /** Random per index: qualifies sequence numbers in event ids and resourceVersions (see eventId.ts). */
  readonly epoch: string = newEpoch();

  constructor({ eventBufferSize = 1024 }: { eventBufferSize?: number } = {}) {
    this.log = new EventLog(eventBufferSize);
  }

  get sequence(): number {
    return this.currentSequence;
  }

  get size(): number {
    return this.cards.size;
  }

  get(namespace: string, name: string): AgentCard | undefined {
    return this.cards.get(cardKey(namespace, name));
  }

  /**
   * Adds or replaces a card; returns false when nothing changed. `heldKey`: a string of the card's
   * key the caller holds anyway (an informer's cache key), which the index then keeps instead of a
   * copy of its own (100,000 cards: ≈ 5 MB); ignored when it is not the card's key.
   */
  upsert(card: AgentCard, heldKey?: string): boolean {
    const ownKey = keyOf(card);
    const key = heldKey === ownKey ? heldKey : ownKey;
    const existing = this.cards.get(key);
    if (existing === card) return false;
    if (existing && JSON.stringify(existing) === JSON.stringify(card)) return false;
    const values = valuesOf(card);
    let before: IndexedValues | undefined;
    if (existing) {
      before = valuesOf(existing);
      this.unindex(key, before);
      this.serializedCards.delete(existing);
    } else insertKey(this.sortedKeys, key);
    this.cards.set(key, card);
    this.indexValues(key, values);
    this.reindexText(key, existing, before, card, values);
    this.emit(existing ? 'MODIFIED' : 'ADDED', card, existing);
    return true;
  }

  delete(namespace: string, name: string): boolean {
    const key = cardKey(namespace, name);
    const existing = this.cards.get(key);
    if (!existing) return false;
    const before = valuesOf(existing);
    this.unindex(key, before);
    this.cards.delete(key);
    this.serializedCards.delete(existing);
    this.reindexText(key, existing, before, undefined, undefined);
    removeKey(this.sortedKeys, key);
    this.emit('DELETED', existing, existing);
    return true;
  }

  /**
   * Makes the index hold exactly `cards` (a relist, a rescan), emitting only the differences. Cards
   * are applied in key order, so every sorted key list of a first load only grows at its end.
   */
  replaceAll(cards: Iterable<AgentCard>): void {
    const wanted = new Map<string, AgentCard>();
    for (const card of cards) wanted.set(keyOf(card), card);
    for (const key of [...this.sortedKeys]) {
      if (!wanted.has(key)) {
        const card = this.cards.get(key);
        if (card) this.delete(namespaceOf(card), card.metadata.name);
      }
    }
    const keys = [...wanted.keys()].sort();
    const sizeBefore = this.cards.size;
    for (const key of keys) this.upsert(wanted.get(key) as AgentCard);
    if (this.cards.size - sizeBefore >= BULK_ADDITIONS) this.compact();
  }

  /**
   * Trims what a load left behind: every key list and posting list grew a push at a time, and V8
   * grows an array to 1.5 times its length plus 16, so after a load most hold spare room (a key list
   * of one card has room for 17 keys, a posting list of two cards for 11 pairs). A copy is exact.
   * For after a bulk load (a relist, a rescan): it costs a copy of every list.
   */
  compact(): void {
    this.sortedKeys = this.sortedKeys.slice();
    for (const index of [
      this.byNamespace,
      this.bySkill,
      this.byTag,
      this.byHealth,
      this.byVerified,
      this.byLabelKey,
      this.byLabel,
    ]) {
      index.compact();
    }
    this.search.compact();
  }

  /** `JSON.stringify(card)` as UTF-8: from a small LRU of recent ones, else made now. */
  serialized(card: AgentCard): Buffer {
    const cache = this.serializedCards;
    let json = lruGet(cache, card);
    if (json) return json;
    json = Buffer.from(JSON.stringify(card));
    // Only cards the index holds: a replaced card's bytes must not outlive it here.
    if (this.cards.get(keyOf(card)) === card) {
      if (cache.size >= MAX_SERIALIZED) cache.delete(cache.keys().next().value as AgentCard);
      cache.set(card, json);
    }
    return json;
  }

  all(): AgentCard[] {
    return this.sortedKeys.map((key) => this.cards.get(key) as AgentCard);
  }

  namespaces(): string[] {
    return [...this.byNamespace.values()].sort();
  }

  countByHealth(): Record<Health, number> {
    return {
      Healthy: this.byHealth.count('Healthy'),
      Unhealthy: this.byHealth.count('Unhealthy'),
      Unknown: this.byHealth.count('Unknown'),
    };
  }

  /**
   * One page of the cards matching `query`. Without `q` (or with a `q` of no words) pages follow
   * namespace/name order. With `q` they are ranked — score descending, then namespace/name — and carry
   * each item's score; a continue token then holds the last item's (score, key), and the next page is
   * the results ranked after it, scored against the index as it is when that page is read.
   */
  list(query: CardQuery, options: ListOptions = {}): CardPage {
    const limit = validateLimit(query.limit);
    const selector: LabelSelector = query.labelSelector ? parseLabelSelector(query.labelSelector) : [];
    const terms = query.q === undefined ? [] : queryTermsOf(query.q);
    const visible = options.visibleNamespaces;
    const fingerprint = queryFingerprint(query, visible ? [...visible].sort().join(',') : '*');
    const position = query.continue ? decodeContinue(query.continue, fingerprint) : undefined;
    const sequence = this.currentSequence;
    const matches = this.filterOf(query, selector, visible);
    const resourceVersion = formatEventId(this.epoch, sequence);
    if (terms.length > 0) {
      if (position && position.score === undefined) {
        throw new QueryError('continue: invalid token (not issued for a ranked query)', 'continue');
      }
      // The text decides the candidates and their order; the other filters only keep or drop them.
      const filtered = visible !== undefined || selector.length > 0 || Object.keys(query).some(isFilter);
      const ranked = this.search.top(terms, limit + 1, {
        accept: filtered
          ? (key) => {
              const card = this.cards.get(key);
              return card !== undefined && matches(key, card);
            }
          : undefined,
        after: position && { key: position.after, score: position.score as number },
      });
      const kept = ranked.slice(0, limit);
      const page: CardPage = {
        items: kept.map((result) => this.cards.get(result.key) as AgentCard),
        scores: kept.map((result) => result.score),
        resourceVersion,
      };
      const last = kept.at(-1);
      if (ranked.length > limit && last) {
        page.continue = encodeContinue({ after: last.key, score: last.score, sequence }, fingerprint);
      }
      return page;
    }

    const candidates = this.candidateKeys(query, selector);
    const items: AgentCard[] = [];
    let more = false;
    for (
      let at = position === undefined ? 0 : firstAfter(candidates, position.after);
      at < candidates.length;
      at++
    ) {
      const key = candidates[at]!;
      const card = this.cards.get(key);
      if (!card || !matches(key, card)) continue;
      if (items.length === limit) {
        more = true;
        break;
      }
      items.push(card);
    }
    const last = items.at(-1);
    const page: CardPage = { items, resourceVersion };
    if (more && last) page.continue = encodeContinue({ after: keyOf(last), sequence }, fingerprint);
    return page;
  }

  subscribe(listener: (event: SequencedCardEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  subscribePlain(listener: (event: CardEvent) => void): () => void {
    return this.subscribe(({ type, card }) => listener({ type, card }));
  }

  eventsSince(sequence: number): ReplayResult {
    return this.log.since(sequence, this.currentSequence);
  }

  /**
   * Every filter but `q` as one predicate on (key, card): the fields a card states are read from it,
   * skills and tags (which the card view derives) by a binary search in their index.
   */
  private filterOf(
    query: CardQuery,
    selector: LabelSelector,
    visible: ListOptions['visibleNamespaces'],
  ): (key: string, card: AgentCard) => boolean {
    const skillKeys =
      query.skill === undefined ? undefined : (this.bySkill.get(query.skill.toLowerCase()) ?? []);
    const tagKeys = query.tag === undefined ? undefined : (this.byTag.get(query.tag.toLowerCase()) ?? []);
    return (key, card) => {
      if (visible && !visible.has(namespaceOf(card))) return false;
      if (query.namespace !== undefined && namespaceOf(card) !== query.namespace) return false;
      if (query.health !== undefined && healthOf(card) !== query.health) return false;
      if (query.verified !== undefined && isSignatureVerified(card) !== query.verified) return false;
      if (selector.length > 0 && !matchesLabelSelector(selector, card.metadata.labels)) return false;
      if (skillKeys && !hasKey(skillKeys, key)) return false;
      if (tagKeys && !hasKey(tagKeys, key)) return false;
      return true;
    };
  }

  /**
   * The sorted keys worth reading for a page: the smallest list of an index some filter requires
   * (a label `in` of several values is their union), else all keys.
   */
  private candidateKeys(query: CardQuery, selector: LabelSelector): readonly string[] {
    const lists: (readonly string[] | undefined)[] = [];
    if (query.namespace !== undefined) lists.push(this.byNamespace.get(query.namespace));
    if (query.health !== undefined) lists.push(this.byHealth.get(query.health));
    if (query.verified !== undefined) lists.push(this.byVerified.get(String(query.verified)));
    if (query.skill !== undefined) lists.push(this.bySkill.get(query.skill.toLowerCase()));
    if (query.tag !== undefined) lists.push(this.byTag.get(query.tag.toLowerCase()));
    let unions: (readonly string[])[][] = [];
    for (const requirement of selector) {
      if (requirement.operator === 'exists') lists.push(this.byLabelKey.get(requirement.key));
      else if (requirement.operator === 'in') {
        const parts = requirement.values
          .map((value) => this.byLabel.get(`${requirement.key}=${value}`))
          .filter((list): list is readonly string[] => list !== undefined);
        if (parts.length <= 1) lists.push(parts[0]);
        else unions.push(parts);
      }
    }
    if (lists.some((list) => list === undefined)) return [];
    let smallest: readonly string[] = this.sortedKeys;
    for (const list of lists as (readonly string[])[]) if (list.length < smallest.length) smallest = list;
    unions = unions.filter((parts) => parts.reduce((sum, list) => sum + list.length, 0) < smallest.length);
    if (unions.length > 0) {
      const sizes = unions.map((parts) => parts.reduce((sum, list) => sum + list.length, 0));
      return unionOf(unions[sizes.indexOf(Math.min(...sizes))]!);
    }
    return smallest;
  }

  private indexValues(key: string, values: IndexedValues): void {
    this.byNamespace.add(values.namespace, key);
    this.byHealth.add(values.health, key);
    this.byVerified.add(values.verified, key);
    for (const skill of values.skills) this.bySkill.add(skill, key);
    for (const tag of values.tags) this.byTag.add(tag, key);
    for (const [label, value] of Object.entries(values.labels)) {
      this.byLabelKey.add(label, key);
      this.byLabel.add(`${label}=${value}`, key);
    }
  }

  private unindex(key: string, values: IndexedValues): void {
    this.byNamespace.remove(values.namespace, key);
    this.byHealth.remove(values.health, key);
    this.byVerified.remove(values.verified, key);
    for (const skill of values.skills) this.bySkill.remove(skill, key);
    for (const tag of values.tags) this.byTag.remove(tag, key);
    for (const [label, value] of Object.entries(values.labels)) {
      this.byLabelKey.remove(label, key);
      this.byLabel.remove(`${label}=${value}`, key);
    }
  }

  /**
   * Keeps the text index in step with a card change (`before`/`after` undefined = absent). A change
   * of status only (health, lastSeen: the prober's steady stream) leaves the text as it was.
   */
  private reindexText(
    key: string,
    before: AgentCard | undefined,
    beforeValues: IndexedValues | undefined,
    after: AgentCard | undefined,
    afterValues: IndexedValues | undefined,
  ): void {
    // Cards are immutable, so a card's document is exactly the one added for it.
    const old = before && searchDocumentOf(key, before, beforeValues?.fields);
    const next = after && searchDocumentOf(key, after, afterValues?.fields);
    if (old && next && sameDocument(old, next)) return;
    if (old) this.search.remove(old);
    if (next) this.search.add(next);
  }

  private emit(type: CardEventType, card: AgentCard, previous: AgentCard | undefined): void {
    const event: SequencedCardEvent = { type, card, sequence: ++this.currentSequence };
    if (previous) event.previous = previous;
    this.log.append(event);
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A listener's failure must not break the store or other listeners.
      }
    }
  }
}
