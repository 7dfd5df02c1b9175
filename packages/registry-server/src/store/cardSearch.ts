import type { AgentCard } from '@agent-registry/crds';
import SearchableMap from 'minisearch/SearchableMap';
import { descriptionOf, displayNameOf, skillsOf } from './cardFields.js';
import { indexTermsOfWord, wordsOf, type QueryTerm } from './searchTerms.js';

/** What of a card is searched, by field; see FIELD_BOOSTS for their weights. */
export interface SearchDocument {
  /** `namespace/name`. */
  id: string;
  /** The resource name and the display name. */
  name: string;
  /** Skill names and ids. */
  skills: string;
  /** Skill tags. */
  tags: string;
  /** The card's description and its skills' descriptions. */
  description: string;
}

const FIELDS = ['name', 'skills', 'tags', 'description'] as const;

/** A card key with its relevance to a query. */
export interface ScoredKey {
  key: string;
  score: number;
}

/** Ranked order: higher score first, equal scores by key (namespace/name). */
export const compareScored = (a: ScoredKey, b: ScoredKey): number =>
  b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * BM25 weight of a match by field: what an agent is called and the names of what it can do say more
 * about it than its prose and its tags.
 */
export const FIELD_BOOSTS: Readonly<Record<(typeof FIELDS)[number], number>> = {
  name: 3,
  skills: 2,
  tags: 1.5,
  description: 1,
};

/** The searched text of a card; `skills` = `skillsOf(card)` when the caller has it already. */
export function searchDocumentOf(
  key: string,
  card: AgentCard,
  skills: ReturnType<typeof skillsOf> = skillsOf(card),
): SearchDocument {
  return {
    id: key,
    name: [card.metadata.name, displayNameOf(card)].join(' '),
    skills: skills.map((skill) => `${skill.name} ${skill.id}`).join(' '),
    tags: skills.flatMap((skill) => skill.tags).join(' '),
    description: [descriptionOf(card), ...skills.map((skill) => skill.description)].join(' '),
  };
}

/** Whether two documents index the same text (a status-only change of a card). */
export const sameDocument = (a: SearchDocument, b: SearchDocument): boolean =>
  a.id === b.id && FIELDS.every((field) => a[field] === b[field]);

/** Every index term of a card (all fields): what the scan in cardMatcher matches a query against. */
export function searchTermsOf(document: SearchDocument): Set<string> {
  const terms = new Set<string>();
  for (const field of FIELDS) {
    for (const word of wordsOf(document[field])) for (const term of indexTermsOfWord(word)) terms.add(term);
  }
  return terms;
}

/**
 * Postings of one index term, in one small-integer array of pairs (document id ascending, then its
 * frequency in each field, 7 bits per field packed in one integer) — 16 bytes a posting, no object
 * per posting, one array per term (most terms of a large registry occur in one or two cards) — and
 * the number of documents holding the term, per field (FIELDS order).
 */
interface Postings {
  pairs: number[];
  df0: number;
  df1: number;
  df2: number;
  df3: number;
}

type DfField = 'df0' | 'df1' | 'df2' | 'df3';
const DF: readonly DfField[] = ['df0', 'df1', 'df2', 'df3'];

const FIELD_COUNT = FIELDS.length;
const BOOSTS = FIELDS.map((field) => FIELD_BOOSTS[field]);
/** Bits of one field's term frequency in a packed posting (capped at 127: BM25 saturates long before). */
const TF_BITS = 7;
const TF_MAX = (1 << TF_BITS) - 1;
/** BM25+ parameters and the weights of prefix and typo matches, as MiniSearch defaults them. */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;

/** Pair index (of the id, even) of `id` in ascending pairs, or where it would go. */
function pairAt(pairs: readonly number[], id: number): number {
  let low = 0;
  let high = pairs.length >>> 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (pairs[mid * 2]! < id) low = mid + 1;
    else high = mid;
  }
  return low * 2;
}

/** A document's terms with their packed per-field frequencies, and its field lengths (unique words). */
function analyze(document: SearchDocument): { terms: Map<string, number>; lengths: number[] } {
  const terms = new Map<string, number>();
  const lengths: number[] = [];
  FIELDS.forEach((field, f) => {
    const words = wordsOf(document[field]);
    lengths.push(new Set(words).size);
    const shift = f * TF_BITS;
    for (const word of words) {
      for (const term of indexTermsOfWord(word)) {
        const packed = terms.get(term) ?? 0;
        if (((packed >>> shift) & TF_MAX) < TF_MAX) terms.set(term, packed + (1 << shift));
      }
    }
  });
  return { terms, lengths };
}

/**
 * The ranked full-text index of the cards: BM25+ over weighted fields (FIELD_BOOSTS), with prefix
 * and typo tolerance per query term as searchTerms.ts defines them, scored as MiniSearch scores
 * (its BM25+ parameters, prefix and typo weights, and a result's score times the number of query
 * terms it matched) — the engine the search quality benchmark was tuned on. It keeps its own compact
 * postings instead of MiniSearch's map per term and field (about 4× less memory a card), and hands
 * matches to the caller unsorted, so a page is a top-k of the matches rather than a sort of them all.
 * The vocabulary is MiniSearch's radix tree (prefix and typo lookups). A card matches when any query
 * term does.
 */
export class CardSearch {
  private readonly terms = new SearchableMap<Postings>();
  /** Card key by document id (undefined = a free id). */
  private readonly keys: (string | undefined)[] = [];
  private readonly idOf = new Map<string, number>();
  private readonly freeIds: number[] = [];
  /** Unique words per document and field: `lengths[id * FIELD_COUNT + field]`. */
  private readonly lengths: number[] = [];
  private readonly totalLengths = new Array<number>(FIELD_COUNT).fill(0);
  private documents = 0;
  /** Scratch space of a search, by document id: reset after each search, grown with the ids. */
  private scores = new Float64Array(0);
  private lastTerm = new Int32Array(0);
  private matchedTerms = new Uint16Array(0);

  get size(): number {
    return this.documents;
  }

  add(document: SearchDocument): void {
    if (this.idOf.has(document.id)) throw new Error(`CardSearch: ${document.id} is already indexed`);
    const { terms, lengths } = analyze(document);
    const id = this.freeIds.pop() ?? this.keys.length;
    this.keys[id] = document.id;
    this.idOf.set(document.id, id);
    for (let f = 0; f < FIELD_COUNT; f++) {
      this.lengths[id * FIELD_COUNT + f] = lengths[f]!;
      this.totalLengths[f]! += lengths[f]!;
    }
    this.documents++;
    for (const [term, packed] of terms) {
      let postings = this.terms.get(term);
      if (!postings) {
        // An array literal is allocated at its exact size; pushing to `[]` would reserve 17 slots.
        postings = { pairs: [id, packed], df0: 0, df1: 0, df2: 0, df3: 0 };
        this.terms.set(term, postings);
      } else {
        const { pairs } = postings;
        if (pairs[pairs.length - 2]! < id) pairs.push(id, packed);
        else pairs.splice(pairAt(pairs, id), 0, id, packed);
      }
      for (let f = 0; f < FIELD_COUNT; f++) if ((packed >>> (f * TF_BITS)) & TF_MAX) postings[DF[f]!]++;
    }
  }

  /** Removes a document; `document` must be the one added (cards are immutable, so it is). */
  remove(document: SearchDocument): void {
    const id = this.idOf.get(document.id);
    if (id === undefined) return;
    const { terms } = analyze(document);
    for (const [term, packed] of terms) {
      const postings = this.terms.get(term);
      if (!postings) continue;
      const at = pairAt(postings.pairs, id);
      if (postings.pairs[at] !== id) continue;
      postings.pairs.splice(at, 2);
      for (let f = 0; f < FIELD_COUNT; f++) {
        if ((packed >>> (f * TF_BITS)) & TF_MAX) postings[DF[f]!]--;
      }
      if (postings.pairs.length === 0) this.terms.delete(term);
    }
    for (let f = 0; f < FIELD_COUNT; f++) {
      this.totalLengths[f]! -= this.lengths[id * FIELD_COUNT + f]!;
      this.lengths[id * FIELD_COUNT + f] = 0;
    }
    this.keys[id] = undefined;
    this.idOf.delete(document.id);
    this.freeIds.push(id);
    this.documents--;
  }

  /**
   * Calls `each` once per card matching the query terms, with its score, in no particular order
   * (none when there are no terms). Scores depend on every card, so they hold until the next change.
   */
  forEachMatch(terms: readonly QueryTerm[], each: (key: string, score: number) => void): void {
    if (terms.length === 0 || this.documents === 0) return;
    const capacity = this.keys.length;
    if (this.scores.length < capacity) {
      const size = Math.max(capacity, this.scores.length * 2, 1024);
      this.scores = new Float64Array(size);
      this.lastTerm = new Int32Array(size);
      this.matchedTerms = new Uint16Array(size);
    }
    const { scores, lastTerm, matchedTerms } = this;
    const touched: number[] = [];
    const averages = this.totalLengths.map((total) => total / this.documents);
    terms.forEach((query, index) => {
      const mark = index + 1;
      for (const [postings, weight] of this.expand(query)) {
        this.score(postings, weight, mark, averages, touched);
      }
    });
    for (const id of touched) {
      each(this.keys[id]!, scores[id]! * matchedTerms[id]!);
      scores[id] = 0;
      lastTerm[id] = 0;
      matchedTerms[id] = 0;
    }
  }

  /** Every card matching the query terms with its score, best first, equal scores by key. */
  search(terms: readonly QueryTerm[]): ScoredKey[] {
    const results: ScoredKey[] = [];
    this.forEachMatch(terms, (key, score) => results.push({ key, score }));
    return results.sort(compareScored);
  }

  /** The index terms answering one query term, with their weights: exact 1, then prefix, then typo matches. */
  private expand(query: QueryTerm): [Postings, number][] {
    const found: [Postings, number][] = [];
    const exact = this.terms.get(query.term);
    if (exact) found.push([exact, 1]);
    const length = query.term.length;
    if (query.prefix) {
      for (const [term, postings] of this.terms.atPrefix(query.term)) {
        const distance = term.length - length;
        if (distance === 0) continue;
        found.push([postings, (PREFIX_WEIGHT * term.length) / (term.length + 0.3 * distance)]);
      }
    }
    if (query.fuzzy > 0) {
      for (const [term, [postings, distance]] of this.terms.fuzzyGet(query.term, query.fuzzy)) {
        // Exact and prefix matches were counted above, as their kind.
        if (distance === 0 || (query.prefix && term.startsWith(query.term))) continue;
        found.push([postings, (FUZZY_WEIGHT * term.length) / (term.length + distance)]);
      }
    }
    return found;
  }

  /**
   * Adds one index term's BM25+ contribution to the scores of its documents: one pass over its
   * postings, every field of a posting at once (the per-field factors are computed first).
   */
  private score(
    postings: Postings,
    weight: number,
    mark: number,
    averages: number[],
    touched: number[],
  ): void {
    const { pairs } = postings;
    const { scores, lastTerm, matchedTerms, lengths } = this;
    const { k, b, d } = BM25;
    // Per field: weight · boost · idf (0 when no document has the term there), and k·b / average length.
    const factors: number[] = [];
    const slopes: number[] = [];
    for (let f = 0; f < FIELD_COUNT; f++) {
      const holding = postings[DF[f]!];
      factors.push(
        holding === 0
          ? 0
          : weight * BOOSTS[f]! * Math.log(1 + (this.documents - holding + 0.5) / (holding + 0.5)),
      );
      slopes.push((k * b) / averages[f]!);
    }
    const base = k * (1 - b);
    for (let i = 0; i < pairs.length; i += 2) {
      const id = pairs[i]!;
      const packed = pairs[i + 1]!;
      const at = id * FIELD_COUNT;
      let sum = 0;
      for (let f = 0; f < FIELD_COUNT; f++) {
        const tf = (packed >>> (f * TF_BITS)) & TF_MAX;
        if (tf === 0) continue;
        sum += factors[f]! * (d + (tf * (k + 1)) / (tf + base + slopes[f]! * lengths[at + f]!));
      }
      scores[id] = scores[id]! + sum;
      if (lastTerm[id] !== mark) {
        if (lastTerm[id] === 0) touched.push(id);
        lastTerm[id] = mark;
        matchedTerms[id] = matchedTerms[id]! + 1;
      }
    }
  }
}
