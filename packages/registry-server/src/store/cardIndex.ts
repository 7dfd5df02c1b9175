import { namespaceOf, type AgentCard, type Health } from '@agent-registry/crds';
import { cardKey, compileQuery, healthOf, keyOf, skillsOf, type CompiledQuery } from './cardMatcher.js';
import { CardSearch, sameDocument, searchDocumentOf, type ScoredKey } from './cardSearch.js';
import { decodeContinue, encodeContinue, queryFingerprint, type ContinuePosition } from './continueToken.js';
import { formatEventId, newEpoch } from './eventId.js';
import { queryTermsOf } from './searchTerms.js';
import { EventLog } from './eventLog.js';
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

interface Entry {
  card: AgentCard;
  /** The card as UTF-8 JSON: lists are assembled from it, and no-op updates are skipped by it. */
  json: Buffer;
  skillKeys: string[];
  tagKeys: string[];
}

/** The card keys of one indexed value, and their sorted order, kept until the set next changes. */
interface KeySet {
  keys: Set<string>;
  sorted: string[] | undefined;
}

type Index = Map<string, KeySet>;

function addTo(index: Index, value: string, key: string): void {
  let set = index.get(value);
  if (!set) index.set(value, (set = { keys: new Set(), sorted: undefined }));
  set.keys.add(key);
  set.sorted = undefined;
}

function removeFrom(index: Index, value: string, key: string): void {
  const set = index.get(value);
  if (!set) return;
  set.keys.delete(key);
  set.sorted = undefined;
  if (set.keys.size === 0) index.delete(value);
}

/** Index of the first element of the sorted `keys` greater than `after`. */
function firstAfter(keys: readonly string[], after: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((keys[mid] as string) <= after) low = mid + 1;
    else high = mid;
  }
  return low;
}

const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Whether a ranked result lies after a ranked page's last one (`position.score` is set for ranked tokens). */
const isAfter = (result: ScoredKey, position: ContinuePosition): boolean =>
  result.score < (position.score as number) ||
  (result.score === position.score && result.key > position.after);

/** Index of the first result of a ranked list after `position` (the list is in ranked order). */
function firstRankedAfter(ranked: readonly ScoredKey[], position: ContinuePosition): number {
  let low = 0;
  let high = ranked.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (isAfter(ranked[mid] as ScoredKey, position)) high = mid;
    else low = mid + 1;
  }
  return low;
}

/** Ranked text results kept between changes, by query terms: paging and repeated queries skip the search. */
const MAX_CACHED_RANKINGS = 32;
/** ... and at most this many results in all, so a few broad queries over a large registry stay cheap. */
const MAX_CACHED_RESULTS = 500_000;

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
 * The in-memory card index both stores share: cards by `namespace/name` in a
 * stable sorted order, secondary indexes by namespace, skill id/name, tag and
 * health, a ranked full-text index for `q` (cardSearch.ts), a sequence number
 * per change and a ring buffer of recent events.
 */
export class CardIndex {
  private readonly entries = new Map<string, Entry>();
  private sortedKeys: string[] = [];
  private readonly byNamespace: Index = new Map();
  private readonly bySkill: Index = new Map();
  private readonly byTag: Index = new Map();
  private readonly byHealth: Index = new Map();
  private readonly search = new CardSearch();
  /** Ranked text results by query terms, valid until the next change (emptied on every change). */
  private readonly rankings = new Map<string, ScoredKey[]>();
  private cachedResults = 0;
  /** Each stored card's `json`, by identity: a list page finds them without building keys. */
  private readonly jsonByCard = new WeakMap<AgentCard, Buffer>();
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
    return this.entries.size;
  }

  get(namespace: string, name: string): AgentCard | undefined {
    return this.entries.get(cardKey(namespace, name))?.card;
  }

  /** Adds or replaces a card; returns false when nothing changed. */
  upsert(card: AgentCard): boolean {
    const key = keyOf(card);
    const json = Buffer.from(JSON.stringify(card));
    const existing = this.entries.get(key);
    if (existing?.json.equals(json)) return false;
    if (existing) this.unindex(key, existing);
    else this.sortedKeys.splice(firstAfter(this.sortedKeys, key), 0, key);
    const entry = this.entryOf(card, json);
    this.entries.set(key, entry);
    this.jsonByCard.set(card, json);
    this.indexEntry(key, entry);
    this.reindexText(key, existing?.card, card);
    this.emit(existing ? 'MODIFIED' : 'ADDED', card, existing?.card);
    return true;
  }

  delete(namespace: string, name: string): boolean {
    const key = cardKey(namespace, name);
    const existing = this.entries.get(key);
    if (!existing) return false;
    this.unindex(key, existing);
    this.entries.delete(key);
    this.reindexText(key, existing.card, undefined);
    this.sortedKeys.splice(firstAfter(this.sortedKeys, key) - 1, 1);
    this.emit('DELETED', existing.card, existing.card);
    return true;
  }

  /** Makes the index hold exactly `cards` (a relist), emitting only the differences. */
  replaceAll(cards: Iterable<AgentCard>): void {
    const wanted = new Map<string, AgentCard>();
    for (const card of cards) wanted.set(keyOf(card), card);
    for (const key of [...this.sortedKeys]) {
      if (!wanted.has(key)) {
        const card = this.entries.get(key)?.card;
        if (card) this.delete(namespaceOf(card), card.metadata.name);
      }
    }
    for (const card of wanted.values()) this.upsert(card);
  }

  /** `JSON.stringify(card)` as UTF-8, made once when the card was stored (cards are never mutated). */
  serialized(card: AgentCard): Buffer {
    return this.jsonByCard.get(card) ?? Buffer.from(JSON.stringify(card));
  }

  all(): AgentCard[] {
    return this.sortedKeys.map((key) => (this.entries.get(key) as Entry).card);
  }

  namespaces(): string[] {
    return [...this.byNamespace.keys()].sort();
  }

  countByHealth(): Record<Health, number> {
    return {
      Healthy: this.byHealth.get('Healthy')?.keys.size ?? 0,
      Unhealthy: this.byHealth.get('Unhealthy')?.keys.size ?? 0,
      Unknown: this.byHealth.get('Unknown')?.keys.size ?? 0,
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
    const compiled = compileQuery(query);
    const visible = options.visibleNamespaces;
    const fingerprint = queryFingerprint(query, visible ? [...visible].sort().join(',') : '*');
    const position = query.continue ? decodeContinue(query.continue, fingerprint) : undefined;
    const sequence = this.currentSequence;
    const isVisible = (entry: Entry) => !visible || visible.has(namespaceOf(entry.card));
    if (compiled.ranked) {
      if (position && position.score === undefined) {
        throw new QueryError('continue: invalid token (not issued for a ranked query)', 'continue');
      }
      return this.listRanked(query, limit, isVisible, position, fingerprint, sequence);
    }

    const candidates = this.candidateKeys(query);
    let start = position === undefined ? 0 : firstAfter(candidates, position.after);
    const items: AgentCard[] = [];
    let more = false;
    for (; start < candidates.length; start++) {
      const entry = this.entries.get(candidates[start] as string);
      if (!entry) continue;
      if (!isVisible(entry)) continue;
      if (!compiled.matches(entry.card, undefined, entry)) continue;
      if (items.length === limit) {
        more = true;
        break;
      }
      items.push(entry.card);
    }
    const last = items.at(-1);
    const page: CardPage = { items, resourceVersion: formatEventId(this.epoch, sequence) };
    if (more && last) page.continue = encodeContinue({ after: keyOf(last), sequence }, fingerprint);
    return page;
  }

  private listRanked(
    query: CardQuery,
    limit: number,
    isVisible: (entry: Entry) => boolean,
    position: ContinuePosition | undefined,
    fingerprint: string,
    sequence: number,
  ): CardPage {
    // The text decides the candidates and their order; the other filters only keep or drop them.
    const filters: CompiledQuery = compileQuery({ ...query, q: undefined });
    const ranked = this.ranking(query.q as string);
    const items: AgentCard[] = [];
    const scores: number[] = [];
    let last: ScoredKey | undefined;
    let more = false;
    for (let i = position ? firstRankedAfter(ranked, position) : 0; i < ranked.length; i++) {
      const result = ranked[i] as ScoredKey;
      const entry = this.entries.get(result.key);
      if (!entry || !isVisible(entry) || !filters.matches(entry.card, undefined, entry)) continue;
      if (items.length === limit) {
        more = true;
        break;
      }
      items.push(entry.card);
      scores.push(result.score);
      last = result;
    }
    const page: CardPage = { items, scores, resourceVersion: formatEventId(this.epoch, sequence) };
    if (more && last) {
      page.continue = encodeContinue({ after: last.key, score: last.score, sequence }, fingerprint);
    }
    return page;
  }

  /** Every card matching `q`'s terms, in ranked order: from the cache while nothing changed. */
  private ranking(q: string): ScoredKey[] {
    const terms = queryTermsOf(q);
    const cacheKey = JSON.stringify(terms);
    const cached = this.rankings.get(cacheKey);
    if (cached) {
      this.rankings.delete(cacheKey);
      this.rankings.set(cacheKey, cached);
      return cached;
    }
    const ranked = this.search.search(terms);
    while (
      this.rankings.size > 0 &&
      (this.rankings.size >= MAX_CACHED_RANKINGS || this.cachedResults + ranked.length > MAX_CACHED_RESULTS)
    ) {
      const [oldestKey, oldest] = this.rankings.entries().next().value as [string, ScoredKey[]];
      this.rankings.delete(oldestKey);
      this.cachedResults -= oldest.length;
    }
    if (ranked.length <= MAX_CACHED_RESULTS) {
      this.rankings.set(cacheKey, ranked);
      this.cachedResults += ranked.length;
    }
    return ranked;
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

  /** The sorted keys worth scanning: the smallest applicable secondary index, else all. */
  private candidateKeys(query: CardQuery): readonly string[] {
    const sets: (KeySet | undefined)[] = [];
    if (query.namespace !== undefined) sets.push(this.byNamespace.get(query.namespace));
    if (query.health !== undefined) sets.push(this.byHealth.get(query.health));
    if (query.skill !== undefined) sets.push(this.bySkill.get(query.skill.toLowerCase()));
    if (query.tag !== undefined) sets.push(this.byTag.get(query.tag.toLowerCase()));
    if (sets.length === 0) return this.sortedKeys;
    if (sets.some((set) => set === undefined)) return [];
    const smallest = (sets as KeySet[]).reduce((a, b) => (b.keys.size < a.keys.size ? b : a));
    return (smallest.sorted ??= [...smallest.keys].sort(compareKeys));
  }

  private entryOf(card: AgentCard, json: Buffer): Entry {
    const skills = skillsOf(card);
    const skillKeys = new Set<string>();
    const tagKeys = new Set<string>();
    for (const skill of skills) {
      skillKeys.add(skill.id.toLowerCase());
      skillKeys.add(skill.name.toLowerCase());
      for (const tag of skill.tags) tagKeys.add(tag.toLowerCase());
    }
    return { card, json, skillKeys: [...skillKeys], tagKeys: [...tagKeys] };
  }

  private indexEntry(key: string, entry: Entry): void {
    addTo(this.byNamespace, namespaceOf(entry.card), key);
    addTo(this.byHealth, healthOf(entry.card), key);
    for (const skill of entry.skillKeys) addTo(this.bySkill, skill, key);
    for (const tag of entry.tagKeys) addTo(this.byTag, tag, key);
  }

  private unindex(key: string, entry: Entry): void {
    removeFrom(this.byNamespace, namespaceOf(entry.card), key);
    removeFrom(this.byHealth, healthOf(entry.card), key);
    for (const skill of entry.skillKeys) removeFrom(this.bySkill, skill, key);
    for (const tag of entry.tagKeys) removeFrom(this.byTag, tag, key);
  }

  /**
   * Keeps the text index in step with a card change (`before`/`after` undefined = absent). A change
   * of status only (health, lastSeen: the prober's steady stream) leaves the text, and so every
   * score and cached ranking, as it was; any change of text invalidates the cached rankings, whose
   * scores depend on every card.
   */
  private reindexText(key: string, before: AgentCard | undefined, after: AgentCard | undefined): void {
    // Cards are immutable, so a card's document is exactly the one added for it.
    const old = before && searchDocumentOf(key, before);
    const next = after && searchDocumentOf(key, after);
    if (old && next && sameDocument(old, next)) return;
    if (old) this.search.remove(old);
    if (next) this.search.add(next);
    this.rankings.clear();
    this.cachedResults = 0;
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
