import type { AgentCard } from '@agent-registry/crds';
import SearchableMap from 'minisearch/SearchableMap';
import { fieldsOf, type CardFields } from './cardFields.js';
import { lruGet } from '../lruGet.js';
import { indexTermsOfWord, wordsOf, type QueryTerm } from './searchTerms.js';
import { compareScored, KthLargest, TopResults, type ScoredKey } from './topResults.js';

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

/** The searched text of a card; `fields` = `fieldsOf(card)` when the caller has them already. */
export function searchDocumentOf(
  key: string,
  card: AgentCard,
  { description, displayName, skills }: CardFields = fieldsOf(card),
): SearchDocument {
  return {
    id: key,
    name: [card.metadata.name, displayName].join(' '),
    skills: skills.map((skill) => `${skill.name} ${skill.id}`).join(' '),
    tags: skills.flatMap((skill) => skill.tags).join(' '),
    description: [description, ...skills.map((skill) => skill.description ?? '')].join(' '),
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
  /** The largest frequency of the term in a document, per field, packed as in pairs (never lowered). */
  tfMax: number;
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
/** Postings from which a list's contributions are kept between searches (baseContributionsOf). */
const BASE_CACHE_MIN = 1024;
/** Postings of the shortest list from which a query of a few lists is read card by card (topByWalk)… */
const WALK_LIST_MIN = 1024;
/** …and the most lists it walks side by side. */
const WALK_MAX_LISTS = 6;
/** Postings from which index terms of a query term holding the same are scored as one (mergeSameLists). */
const MERGE_MIN = 64;
/** Lists remembered as holding the same postings as others or not (samePostings). */
const SAME_POSTINGS_KNOWN = 4096;
/** Kept contributions in all, 8 bytes each: the long lists of a few dozen common words at 100,000 cards. */
const BASE_CACHE_POSTINGS = 1 << 20;
const K1 = BM25.k + 1;
const BASE = BM25.k * (1 - BM25.b);

/** Lists of at least this many postings are read by impact group on a first page (topByImpact). */
const IMPACT_LIST_MIN = 2048;
/** Queries expanding to more lists are not read in impact order: a card met costs a search in each. */
const IMPACT_MAX_LISTS = 16;
/** A list whose groups would hold fewer postings than this on average is not grouped. */
const IMPACT_GROUP_MIN = 4;
/** Cards met between two checks of the stopping rule. */
const IMPACT_CHUNK = 16;
/**
 * Binary search steps an impact-ordered page may take per posting of its lists before it gives up
 * for the plain passes (which read each posting once).
 */
const IMPACT_WORK_PER_POSTING = 1;

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

/** Per field, the larger of two packed frequencies. */
function fieldMaxima(a: number, b: number): number {
  let packed = 0;
  for (let f = 0; f < FIELD_COUNT; f++) {
    const shift = f * TF_BITS;
    packed |= Math.max((a >>> shift) & TF_MAX, (b >>> shift) & TF_MAX) << shift;
  }
  return packed;
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
 * postings instead of MiniSearch's map per term and field (about 4× less memory a card), and a page
 * is the top k of the matches (see top) rather than a sort of them all.
 * The vocabulary is MiniSearch's radix tree (prefix and typo lookups). A card matches when any query
 * term does.
 */
export class CardSearch {
  private readonly terms = new SearchableMap<Postings>();
  /** Impact groups of the long posting lists a first page has read (see impactGroupsOf), dropped when a list changes. */
  private readonly impact = new Map<Postings, ImpactGroups | null>();
  /** Lists of at least this many postings are grouped by impact (see impactGroupsOf)… */
  private readonly impactListMin: number;
  /** …unless their groups would hold fewer postings than this on average. */
  private readonly impactGroupMin: number;
  /** Lists of at least this many postings keep their contributions between searches (baseContributionsOf)… */
  private readonly baseCacheMin: number;
  /** …up to this many postings in all. */
  private readonly baseCachePostings: number;
  /** Queries whose every list has this many postings or more, and few lists, are read card by card (topByWalk). */
  private readonly walkListMin: number;
  /** Index terms of a query term holding the same postings, this many or more, are scored as one (mergeSameLists). */
  private readonly mergeMin: number;
  /** Card key by document id (undefined = a free id). */
  private readonly keys: (string | undefined)[] = [];
  private readonly idOf = new Map<string, number>();
  private readonly freeIds: number[] = [];
  /**
   * Unique words per document and field: `lengths[id * FIELD_COUNT + field]` (2 bytes each, not the
   * 8 of an array's: past 65,535 words a field is counted as that long, where BM25+ has long saturated).
   */
  private lengths = new Uint16Array(1024);
  private readonly totalLengths = new Array<number>(FIELD_COUNT).fill(0);
  private documents = 0;
  /** Weight-1 contributions of recently read long lists, valid until the index changes. */
  private readonly baseContributions = new Map<Postings, Float64Array>();
  private baseContributionsHeld = 0;
  /** Whether two lists hold the same postings, as found by searches since the index changed. */
  private readonly samePostingsKnown = new Map<Postings, Map<Postings, boolean>>();
  /** Scratch space of a search, by document id: reset after each search, grown with the ids. */
  private scores = new Float64Array(0);
  private lastTerm = new Int32Array(0);
  private matchedTerms = new Uint16Array(0);
  /** Whether a document passed the caller's filter: 0 not asked yet, 1 yes, 2 no. */
  private acceptance = new Uint8Array(0);

  /**
   * The options are the fields of the same names: lowered by tests so small indexes take those paths
   * too; `mergeMin: Infinity` only to compare the scores with each list scored alone.
   */
  constructor(
    options: {
      impactListMin?: number;
      impactGroupMin?: number;
      baseCacheMin?: number;
      baseCachePostings?: number;
      mergeMin?: number;
      walkListMin?: number;
    } = {},
  ) {
    this.impactListMin = options.impactListMin ?? IMPACT_LIST_MIN;
    this.impactGroupMin = options.impactGroupMin ?? IMPACT_GROUP_MIN;
    this.baseCacheMin = options.baseCacheMin ?? BASE_CACHE_MIN;
    this.baseCachePostings = options.baseCachePostings ?? BASE_CACHE_POSTINGS;
    this.mergeMin = options.mergeMin ?? MERGE_MIN;
    this.walkListMin = options.walkListMin ?? WALK_LIST_MIN;
  }

  get size(): number {
    return this.documents;
  }

  add(document: SearchDocument): void {
    if (this.idOf.has(document.id)) throw new Error(`CardSearch: ${document.id} is already indexed`);
    const { terms, lengths } = analyze(document);
    const id = this.freeIds.pop() ?? this.keys.length;
    this.keys[id] = document.id;
    this.idOf.set(document.id, id);
    if ((id + 1) * FIELD_COUNT > this.lengths.length) {
      const grown = new Uint16Array(Math.max((id + 1) * FIELD_COUNT, this.lengths.length * 2));
      grown.set(this.lengths);
      this.lengths = grown;
    }
    for (let f = 0; f < FIELD_COUNT; f++) {
      const length = Math.min(lengths[f]!, 0xffff);
      this.lengths[id * FIELD_COUNT + f] = length;
      this.totalLengths[f]! += length;
    }
    this.documents++;
    this.forgetSearchState();
    for (const [term, packed] of terms) {
      let postings = this.terms.get(term);
      if (!postings) {
        // An array literal is allocated at its exact size; pushing to `[]` would reserve 17 slots.
        postings = { pairs: [id, packed], tfMax: 0, df0: 0, df1: 0, df2: 0, df3: 0 };
        this.terms.set(term, postings);
      } else {
        const { pairs } = postings;
        if (this.impact.size > 0) this.impact.delete(postings);
        if (pairs[pairs.length - 2]! < id) pairs.push(id, packed);
        else pairs.splice(pairAt(pairs, id), 0, id, packed);
      }
      postings.tfMax = fieldMaxima(postings.tfMax, packed);
      for (let f = 0; f < FIELD_COUNT; f++) if ((packed >>> (f * TF_BITS)) & TF_MAX) postings[DF[f]!]++;
    }
  }

  /**
   * Gives each posting list back the room it was grown by (an array grown one push at a time keeps
   * up to half again its length spare): after a bulk load, about 40 % of the index's memory.
   */
  compact(): void {
    for (const [, postings] of this.terms) postings.pairs = postings.pairs.slice();
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
      if (this.impact.size > 0) this.impact.delete(postings);
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
    this.forgetSearchState();
  }

  /**
   * The best `capacity` cards matching the query terms (any term), best first, equal scores by key:
   * only cards `accept` keeps, and only those ranked after `after` when given (a continue token's
   * last result). Scores depend on every card, so they hold until the next change.
   *
   * Query terms are read rarest first, each as a pass over its postings adding to per-card scores.
   * Once the best scores so far show that a card not yet seen could not reach the page even with the
   * most every remaining term can add (MaxScore), the remaining, common terms — "agent", "team" —
   * only complete the scores of the cards already seen, by a binary search per card where that is
   * cheaper than reading the whole list; cards that cannot reach the page are dropped on the way.
   * Scores are summed in the same order either way, so a page and the pages after it agree.
   */
  top(terms: readonly QueryTerm[], capacity: number, options: TopOptions = {}): ScoredKey[] {
    if (terms.length === 0 || this.documents === 0 || capacity <= 0) return [];
    const { accept, after } = options;
    this.growScratch();
    const { scores, lastTerm, matchedTerms, acceptance } = this;
    const plan = this.plan(terms);
    if (after === undefined && Number.isFinite(capacity)) {
      const page = this.topByImpact(plan, capacity, accept);
      if (page) return page;
    }
    if (Number.isFinite(capacity)) {
      const page = this.topByWalk(plan, capacity, accept, after);
      if (page) return page;
    }
    const touched: number[] = [];
    // Set once no unseen card can reach the page: the seen cards still worth completing.
    let candidates: number[] | undefined;
    // Pruning needs a page to fill, and a first page: a later one is not the top of the scores.
    const prunable = Number.isFinite(capacity) && after === undefined;
    const accepted = (id: number): boolean => {
      if (!accept) return true;
      if (acceptance[id] === 0) acceptance[id] = accept(this.keys[id]!) ? 1 : 2;
      return acceptance[id] === 1;
    };
    for (let index = 0; index < plan.length; index++) {
      const term = plan[index]!;
      const mark = index + 1;
      const remaining = plan.length - index;
      if (prunable && index > 0 && (candidates !== undefined || term.postings > touched.length)) {
        let restBound = 0;
        for (let later = index; later < plan.length; later++) restBound += this.boundOf(plan[later]!);
        const floor = this.floorOf(candidates ?? touched, capacity, accepted);
        if (candidates === undefined && exceeds(floor, restBound * remaining)) candidates = touched;
        if (candidates !== undefined) {
          candidates = candidates.filter(
            (id) => !exceeds(floor, (scores[id]! + restBound) * (matchedTerms[id]! + remaining)),
          );
        }
      }
      for (const [postings, fields] of term.lists) {
        if (candidates) this.scoreCandidates(postings, fields, mark, candidates);
        else this.scoreAll(postings, fields, mark, touched);
      }
    }
    const top = new TopResults(capacity);
    const kept = candidates ?? touched;
    let floor = -Infinity;
    for (let i = 0; i < kept.length; i++) {
      const id = kept[i]!;
      const score = scores[id]! * matchedTerms[id]!;
      // Cheapest first: most matches of a broad query score below the page kept so far.
      if (score < floor) continue;
      const result = { key: this.keys[id]!, score };
      if (after && compareScored(result, after) <= 0) continue;
      if (!accepted(id)) continue;
      top.offer(result);
      floor = top.floor;
    }
    for (let i = 0; i < touched.length; i++) {
      const id = touched[i]!;
      scores[id] = 0;
      lastTerm[id] = 0;
      matchedTerms[id] = 0;
      acceptance[id] = 0;
    }
    return top.sorted();
  }

  /**
   * A first page read in impact order (the Threshold Algorithm), or undefined when the query is not
   * of that kind or the reading grows past what the plain passes would cost (then nothing is kept).
   * Each long list is read by impact groups, the group that can add most first (impactGroupsOf);
   * short lists are read whole first. A card met the first time is scored completely at once, by a
   * binary search in every list, its contributions summed in plan order as the passes sum them, so
   * its score is the very number a full ranking gives it. The reading stops once the page is full
   * and its last score beats the most a card not met yet could reach: the current group's bound of
   * every list, times the number of query terms still being read.
   */
  private topByImpact(
    plan: readonly TermPlan[],
    capacity: number,
    accept: TopOptions['accept'],
  ): ScoredKey[] | undefined {
    const cursors: ImpactCursor[] = [];
    let postings = 0;
    let stepsPerCard = 0;
    // Query terms with a long list: with two or more, the page's cards are those scoring well on
    // several, which impact order meets late (each list's best cards are rarely the others').
    let longTerms = 0;
    for (const term of plan) {
      if (term.lists.some(([list]) => list.pairs.length >>> 1 >= this.impactListMin)) longTerms++;
    }
    if (longTerms !== 1) return undefined;
    plan.forEach((term, index) => {
      for (const [list, fields] of term.lists) {
        const count = list.pairs.length >>> 1;
        postings += count;
        stepsPerCard += Math.log2(count + 1);
        // A long list too varied to group is read whole, as a short one.
        const groups = count >= this.impactListMin ? this.impactGroupsOf(list) : undefined;
        cursors.push({ list, fields, term: index, level: 0, groups, order: [], next: 0, at: 0, end: 0 });
      }
    });
    if (cursors.length > IMPACT_MAX_LISTS) return undefined;
    const { keys, lastTerm: met } = this;
    const metIds: number[] = [];
    const top = new TopResults(capacity);
    const budget = postings * IMPACT_WORK_PER_POSTING;
    let work = 0;
    const meet = (id: number): void => {
      if (met[id] !== 0) return;
      met[id] = 1;
      metIds.push(id);
      work += stepsPerCard;
      let score = 0;
      let matched = 0;
      let lastMatched = -1;
      for (let c = 0; c < cursors.length; c++) {
        const { list, fields, term } = cursors[c]!;
        const at = pairAt(list.pairs, id);
        if (list.pairs[at] !== id) continue;
        score += this.contribution(fields, id, list.pairs[at + 1]!);
        if (term !== lastMatched) {
          lastMatched = term;
          matched++;
        }
      }
      const result = { key: keys[id]!, score: score * matched };
      if (result.score < top.floor || (accept && !accept(result.key))) return;
      top.offer(result);
    };
    const finish = (page: ScoredKey[] | undefined): ScoredKey[] | undefined => {
      for (let i = 0; i < metIds.length; i++) met[metIds[i]!] = 0;
      return page;
    };
    for (const cursor of cursors) {
      const { pairs } = cursor.list;
      if (cursor.groups) {
        this.startImpactOrder(cursor, cursor.groups);
        continue;
      }
      for (let i = 0; i < pairs.length && work <= budget; i += 2) meet(pairs[i]!);
      if (work > budget) return finish(undefined);
    }
    for (;;) {
      let reachable = 0;
      let terms = 0;
      let lastTerm = -1;
      let best: ImpactCursor | undefined;
      for (const cursor of cursors) {
        if (cursor.level === 0) continue;
        reachable += cursor.level;
        if (cursor.term !== lastTerm) {
          lastTerm = cursor.term;
          terms++;
        }
        if (!best || cursor.level > best.level) best = cursor;
      }
      // Every list read through: every match was met.
      if (!best) break;
      if (top.last !== undefined && exceeds(top.floor, reachable * terms)) break;
      const ids = best.groups!.ids;
      const stop = Math.min(best.end, best.at + IMPACT_CHUNK);
      for (let i = best.at; i < stop; i++) meet(ids[i]!);
      best.at = stop;
      if (stop === best.end) this.nextImpactGroup(best);
      if (work > budget) return finish(undefined);
    }
    return finish(top.sorted());
  }

  /**
   * A page read card by card, or undefined when the query is not of that kind: the query's lists
   * walked side by side in card order, each card scored completely when met (its contributions in
   * plan order, as the passes sum them) and offered to the page at once, with nothing kept per card
   * to fill and clear. Once the page is full, the query terms that could not bring a card to it
   * without the others — the most they can add, times their number, below the page's last score —
   * stop leading the walk (MaxScore): only cards of the other lists are met, and those lists are
   * read just to complete them. For a query of common words ("summarize logs", each in a quarter of
   * the cards), the page is made of cards holding both, and one list leads. For a few lists, the
   * shortest of them long (with a rare word, the passes skip more).
   */
  private topByWalk(
    plan: readonly TermPlan[],
    capacity: number,
    accept: TopOptions['accept'],
    after: ScoredKey | undefined,
  ): ScoredKey[] | undefined {
    let listCount = 0;
    for (const term of plan) {
      listCount += term.lists.length;
      if (term.lists.some(([list]) => list.pairs.length >>> 1 < this.walkListMin)) return undefined;
    }
    if (listCount > WALK_MAX_LISTS) return undefined;
    // Only once the query qualifies: kept contributions are built for the lists it will read.
    const lists: (readonly number[])[] = [];
    const weights: FieldWeights[] = [];
    const bases: (Float64Array | undefined)[] = [];
    const termOf: number[] = [];
    plan.forEach((term, index) => {
      for (const [list, fields] of term.lists) {
        lists.push(list.pairs);
        weights.push(fields);
        bases.push(this.baseContributionsOf(list, fields));
        termOf.push(index);
      }
    });
    const count = lists.length;
    const at = new Int32Array(count);
    // Whether a list leads the walk; all do until the page is full.
    const leads = new Uint8Array(count).fill(1);
    // Query terms by the most they can add, least first: the ones that stop leading first.
    const byBound = plan.map((term, index) => ({ index, bound: this.boundOf(term) }));
    byBound.sort((a, b) => a.bound - b.bound);
    let allBounds = 0;
    for (const { bound } of byBound) allBounds += bound;
    const top = new TopResults(capacity);
    const { keys } = this;
    let floor = -Infinity;
    for (;;) {
      let id = Infinity;
      for (let l = 0; l < count; l++) {
        if (leads[l] === 0) continue;
        const pairs = lists[l]!;
        if (at[l]! < pairs.length && pairs[at[l]!]! < id) id = pairs[at[l]!]!;
      }
      if (id === Infinity) break;
      let score = 0;
      let matched = 0;
      let lastTerm = -1;
      for (let l = 0; l < count; l++) {
        const pairs = lists[l]!;
        let position = at[l]!;
        while (position < pairs.length && pairs[position]! < id) position += 2;
        if (pairs[position] !== id) {
          at[l] = position;
          continue;
        }
        at[l] = position + 2;
        score += this.postingContribution(weights[l]!, bases[l], pairs, position);
        if (termOf[l] !== lastTerm) {
          lastTerm = termOf[l]!;
          matched++;
        }
      }
      score *= matched;
      if (score < floor) continue;
      const result = { key: keys[id]!, score };
      if (after && compareScored(result, after) <= 0) continue;
      if (accept && !accept(result.key)) continue;
      top.offer(result);
      if (top.floor === floor) continue;
      floor = top.floor;
      // The terms a card could hold without the others and still not reach the page stop leading.
      let bounds = 0;
      let following = 0;
      while (following < byBound.length) {
        const next = bounds + byBound[following]!.bound;
        if (!exceeds(floor, next * (following + 1))) break;
        bounds = next;
        following++;
      }
      if (following === byBound.length) break;
      for (let f = 0; f < following; f++) {
        const term = byBound[f]!.index;
        for (let l = 0; l < count; l++) if (termOf[l] === term) leads[l] = 0;
      }
      // A card missing any one term cannot reach the page either (the terms' bounds but the least,
      // times one term fewer): only cards holding them all are left to meet.
      if (count === plan.length && exceeds(floor, (allBounds - byBound[0]!.bound) * (count - 1))) {
        this.walkCardsHoldingAll(lists, weights, bases, at, top, after, accept);
        break;
      }
    }
    return top.sorted();
  }

  /**
   * The rest of topByWalk once only cards holding every list can reach the page (one list a query
   * term): the lists leapfrog each other to the next card they all hold — the ids between are
   * passed over without being met — and each such card is scored as topByWalk scores it.
   */
  private walkCardsHoldingAll(
    lists: readonly (readonly number[])[],
    weights: readonly FieldWeights[],
    bases: readonly (Float64Array | undefined)[],
    at: Int32Array,
    top: TopResults,
    after: ScoredKey | undefined,
    accept: TopOptions['accept'],
  ): void {
    const count = lists.length;
    let id = 0;
    for (;;) {
      // Each list in turn to its first card at or after `id`, which rises to it: once every list
      // in a row stayed at `id`, they all hold that card.
      let settled = 0;
      for (let l = 0; settled < count; l = l + 1 === count ? 0 : l + 1) {
        const pairs = lists[l]!;
        let position = at[l]!;
        while (position < pairs.length && pairs[position]! < id) position += 2;
        at[l] = position;
        if (position >= pairs.length) return;
        if (pairs[position] === id) settled++;
        else {
          id = pairs[position]!;
          settled = 1;
        }
      }
      let score = 0;
      for (let l = 0; l < count; l++) {
        const position = at[l]!;
        score += this.postingContribution(weights[l]!, bases[l], lists[l]!, position);
        at[l] = position + 2;
      }
      score *= count;
      id++;
      if (score < top.floor) continue;
      const result = { key: this.keys[id - 1]!, score };
      if (after && compareScored(result, after) <= 0) continue;
      if (accept && !accept(result.key)) continue;
      top.offer(result);
    }
  }

  /** What each impact group's cards get from the list, with this query's weights. */
  private groupContributions(groups: ImpactGroups, fields: FieldWeights): Float64Array {
    const values = new Float64Array(groups.packed.length);
    for (let g = 0; g < values.length; g++) {
      values[g] = this.contribution(fields, groups.ids[groups.starts[g]!]!, groups.packed[g]!);
    }
    return values;
  }

  /** Sets a cursor on a long list's first impact group: the groups by contribution, largest first, for this query's weights. */
  private startImpactOrder(cursor: ImpactCursor, groups: ImpactGroups): void {
    const bounds = this.groupContributions(groups, cursor.fields);
    cursor.groups = groups;
    cursor.bounds = bounds;
    cursor.order = Array.from(bounds.keys()).sort((a, b) => bounds[b]! - bounds[a]! || a - b);
    cursor.next = 0;
    this.nextImpactGroup(cursor);
  }

  /** Moves a cursor to its next impact group; level 0 once the list is read through. */
  private nextImpactGroup(cursor: ImpactCursor): void {
    const { groups, order, bounds } = cursor;
    if (cursor.next >= order.length) {
      cursor.level = 0;
      return;
    }
    const group = order[cursor.next++]!;
    cursor.at = groups!.starts[group]!;
    cursor.end = groups!.starts[group + 1]!;
    cursor.level = bounds![group]!;
  }

  /**
   * A long list's postings grouped by what they add to a score: by packed frequencies and the
   * lengths of the fields holding the term, so every card of a group gets the very same contribution
   * (computed once for the group, with its first card's lengths). Built when a search reads the list,
   * kept until the list changes (add, remove): 4 bytes a posting. Undefined (and remembered) for a
   * list whose cards vary too much for groups to save work.
   */
  private impactGroupsOf(postings: Postings): ImpactGroups | undefined {
    const built = this.impact.get(postings);
    if (built !== undefined) return built ?? undefined;
    const { pairs } = postings;
    const { lengths } = this;
    const count = pairs.length >>> 1;
    const groupOf = new Int32Array(count);
    const indexOf = new Map<string, number>();
    const packedOf: number[] = [];
    const sizes: number[] = [];
    for (let p = 0; p < count; p++) {
      const id = pairs[p * 2]!;
      const packed = pairs[p * 2 + 1]!;
      const at = id * FIELD_COUNT;
      let key = `${packed}`;
      for (let f = 0; f < FIELD_COUNT; f++) {
        key += ((packed >>> (f * TF_BITS)) & TF_MAX) !== 0 ? `:${lengths[at + f]}` : ':';
      }
      let group = indexOf.get(key);
      if (group === undefined) {
        group = sizes.length;
        if (group * this.impactGroupMin > count) {
          this.impact.set(postings, null);
          return undefined;
        }
        indexOf.set(key, group);
        packedOf.push(packed);
        sizes.push(0);
      }
      sizes[group]!++;
      groupOf[p] = group;
    }
    const starts = new Int32Array(sizes.length + 1);
    for (let g = 0; g < sizes.length; g++) starts[g + 1] = starts[g]! + sizes[g]!;
    const fill = starts.slice(0, sizes.length);
    const ids = new Int32Array(count);
    for (let p = 0; p < count; p++) ids[fill[groupOf[p]!]!++] = pairs[p * 2]!;
    const groups: ImpactGroups = { ids, starts, packed: Int32Array.from(packedOf) };
    this.impact.set(postings, groups);
    return groups;
  }

  /** Every card matching the query terms with its score, best first, equal scores by key. */
  search(terms: readonly QueryTerm[]): ScoredKey[] {
    return this.top(terms, Infinity);
  }

  /** Scratch space by document id, as large as the ids. */
  private growScratch(): void {
    const capacity = this.keys.length;
    if (this.scores.length >= capacity) return;
    const size = Math.max(capacity, this.scores.length * 2, 1024);
    this.scores = new Float64Array(size);
    this.lastTerm = new Int32Array(size);
    this.matchedTerms = new Uint16Array(size);
    this.acceptance = new Uint8Array(size);
  }

  /**
   * Each query term's index terms (exact, prefix, typo) with their weights, its number of postings
   * and the most it can add to a card's score; rarest first (query order among equals).
   */
  private plan(terms: readonly QueryTerm[]): TermPlan[] {
    const plan = terms.map((query): TermPlan => {
      const lists = this.mergeSameLists(this.expand(query)).map(
        ([list, weight]): [Postings, FieldWeights] => [list, this.fieldWeights(list, weight)],
      );
      let postings = 0;
      for (const [list] of lists) postings += list.pairs.length >>> 1;
      return { lists, postings, bound: undefined };
    });
    return plan.sort((a, b) => a.postings - b.postings);
  }

  /** The most a term of the plan can add to one card's score (an upper bound), computed once. */
  private boundOf(term: TermPlan): number {
    if (term.bound === undefined) {
      term.bound = 0;
      for (const [postings, fields] of term.lists) term.bound += listBound(postings, fields);
    }
    return term.bound;
  }

  /**
   * The `capacity`-th best score so far among accepted cards (-Infinity when fewer): a lower bound of
   * the page's last score, since the terms still to read can only add to a card's score.
   */
  private floorOf(touched: readonly number[], capacity: number, accepted: (id: number) => boolean): number {
    const { scores, matchedTerms } = this;
    const best = new KthLargest(capacity);
    for (const id of touched) {
      const score = scores[id]! * matchedTerms[id]!;
      if (best.wouldKeep(score) && accepted(id)) best.offer(score);
    }
    return best.value;
  }

  /**
   * One entry for index terms of a query term holding the very same postings, with their weights
   * added: a word and its stem ("summarize", "summar") are usually held by the same cards, and one
   * pass then scores both. A posting adds its weight-1 contribution times the weights' sum. Only
   * lists of `mergeMin` postings or more: a short one costs little to score alone, and a word
   * matching a thousand index terms ("13" → 130, 1300...) would cost more to compare.
   */
  private mergeSameLists(found: [Postings, number][]): [Postings, number][] {
    if (found.length < 2) return found;
    const merged: [Postings, number][] = [];
    // Lists that may hold the same postings (same size, first card and statistics) by signature.
    const alike = new Map<string, number[]>();
    for (const [list, weight] of found) {
      const { pairs } = list;
      if (pairs.length < this.mergeMin * 2) {
        merged.push([list, weight]);
        continue;
      }
      const signature = `${pairs.length}:${pairs[0]}:${list.tfMax}:${list.df0}:${list.df1}:${list.df2}:${list.df3}`;
      const candidates = alike.get(signature);
      const same = candidates?.find((at) => this.samePostings(merged[at]![0], list));
      if (same !== undefined) {
        merged[same]![1] += weight;
        continue;
      }
      if (candidates) candidates.push(merged.length);
      else alike.set(signature, [merged.length]);
      merged.push([list, weight]);
    }
    return merged;
  }

  /** Whether two lists of the same size hold the same postings (remembered until the index changes). */
  private samePostings(a: Postings, b: Postings): boolean {
    let known = this.samePostingsKnown.get(a);
    const same = known?.get(b);
    if (same !== undefined) return same;
    const { pairs } = a;
    const other = b.pairs;
    let equal = pairs.length === other.length;
    for (let i = 0; i < pairs.length && equal; i++) equal = pairs[i] === other[i];
    // Bounded: an index that does not change meets ever more pairs of lists.
    if (this.samePostingsKnown.size >= SAME_POSTINGS_KNOWN) this.samePostingsKnown.clear();
    if (!known) this.samePostingsKnown.set(a, (known = new Map()));
    known.set(b, equal);
    return equal;
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
   * BM25+ of one index term, by field: `factor` = boost · idf (0 when no document has the term
   * there) and `slope` = k·b / the field's average length, so that a posting adds, at weight 1,
   * Σ factor · (d + tf·(k+1) / (tf + k·(1−b) + slope · length)); then the weight of the match.
   */
  private fieldWeights(postings: Postings, weight: number): FieldWeights {
    const fields = new Float64Array(FIELD_COUNT * 2 + 1);
    for (let f = 0; f < FIELD_COUNT; f++) {
      const holding = postings[DF[f]!];
      fields[f] =
        holding === 0 ? 0 : BOOSTS[f]! * Math.log(1 + (this.documents - holding + 0.5) / (holding + 0.5));
      fields[FIELD_COUNT + f] = (BM25.k * BM25.b) / (this.totalLengths[f]! / this.documents);
    }
    fields[WEIGHT] = weight;
    return fields;
  }

  /** What one posting adds to its document's score: its weight-1 contribution times the match's weight. */
  private contribution(fields: FieldWeights, id: number, packed: number): number {
    return fields[WEIGHT]! * this.baseContribution(fields, id, packed);
  }

  /**
   * What the posting at `at` of a list's pairs adds: its weight-1 contribution kept in `base` (from
   * baseContributionsOf) or worked out now, times the match's weight.
   */
  private postingContribution(
    fields: FieldWeights,
    base: Float64Array | undefined,
    pairs: readonly number[],
    at: number,
  ): number {
    return (
      fields[WEIGHT]! * (base ? base[at >>> 1]! : this.baseContribution(fields, pairs[at]!, pairs[at + 1]!))
    );
  }

  /**
   * What one posting adds at weight 1 (the fields unrolled: this is the inner loop). It depends on
   * the index as a whole (document count, average lengths), not on the query: long lists keep theirs
   * between searches (baseContributionsOf).
   */
  private baseContribution(fields: FieldWeights, id: number, packed: number): number {
    const lengths = this.lengths;
    const at = id * FIELD_COUNT;
    let sum = 0;
    let tf = packed & TF_MAX;
    if (tf !== 0) sum += fields[0]! * (BM25.d + (tf * K1) / (tf + BASE + fields[4]! * lengths[at]!));
    tf = (packed >>> TF_BITS) & TF_MAX;
    if (tf !== 0) sum += fields[1]! * (BM25.d + (tf * K1) / (tf + BASE + fields[5]! * lengths[at + 1]!));
    tf = (packed >>> (2 * TF_BITS)) & TF_MAX;
    if (tf !== 0) sum += fields[2]! * (BM25.d + (tf * K1) / (tf + BASE + fields[6]! * lengths[at + 2]!));
    tf = (packed >>> (3 * TF_BITS)) & TF_MAX;
    if (tf !== 0) sum += fields[3]! * (BM25.d + (tf * K1) / (tf + BASE + fields[7]! * lengths[at + 3]!));
    return sum;
  }

  /**
   * Each posting's weight-1 contribution, of a list long enough to be worth keeping them for the
   * next searches (undefined otherwise): reading one number instead of working out BM25+ is most of
   * what scores a common word ("agent", "logs"). Kept, least recently used first, up to
   * BASE_CACHE_POSTINGS in all, until the index changes (which changes them all).
   */
  private baseContributionsOf(postings: Postings, fields: FieldWeights): Float64Array | undefined {
    const { pairs } = postings;
    const count = pairs.length >>> 1;
    if (count < this.baseCacheMin) return undefined;
    const cache = this.baseContributions;
    let base = lruGet(cache, postings);
    if (base) return base;
    base = new Float64Array(count);
    for (let i = 0; i < count; i++) base[i] = this.baseContribution(fields, pairs[i * 2]!, pairs[i * 2 + 1]!);
    for (const [oldest, values] of cache) {
      if (this.baseContributionsHeld + count <= this.baseCachePostings) break;
      cache.delete(oldest);
      this.baseContributionsHeld -= values.length;
    }
    cache.set(postings, base);
    this.baseContributionsHeld += count;
    return base;
  }

  /** Forgets what searches kept (contributions, equal lists): the index changed. */
  private forgetSearchState(): void {
    if (this.samePostingsKnown.size !== 0) this.samePostingsKnown.clear();
    if (this.baseContributions.size === 0) return;
    this.baseContributions.clear();
    this.baseContributionsHeld = 0;
  }

  /** Adds one index term's contribution to the scores of all its documents. */
  private scoreAll(postings: Postings, fields: FieldWeights, mark: number, touched: number[]): void {
    const { pairs } = postings;
    const { scores, lastTerm, matchedTerms } = this;
    const base = this.baseContributionsOf(postings, fields);
    for (let i = 0; i < pairs.length; i += 2) {
      const id = pairs[i]!;
      scores[id] = scores[id]! + this.postingContribution(fields, base, pairs, i);
      if (lastTerm[id] !== mark) {
        if (lastTerm[id] === 0) touched.push(id);
        lastTerm[id] = mark;
        matchedTerms[id] = matchedTerms[id]! + 1;
      }
    }
  }

  /**
   * Adds one index term's contribution to the candidates' scores only: a binary search per candidate
   * when that reads less than the postings, else one pass skipping the rest.
   */
  private scoreCandidates(
    postings: Postings,
    fields: FieldWeights,
    mark: number,
    candidates: readonly number[],
  ): void {
    const { pairs } = postings;
    const { scores, lastTerm, matchedTerms } = this;
    const count = pairs.length >>> 1;
    // `at`: the posting's index in pairs (of its id).
    const add = (id: number, at: number, base: Float64Array | undefined): void => {
      scores[id] = scores[id]! + this.postingContribution(fields, base, pairs, at);
      if (lastTerm[id] !== mark) {
        lastTerm[id] = mark;
        matchedTerms[id] = matchedTerms[id]! + 1;
      }
    };
    if (candidates.length * Math.log2(count + 1) < count) {
      for (const id of candidates) {
        const at = pairAt(pairs, id);
        if (pairs[at] === id) add(id, at, undefined);
      }
      return;
    }
    const base = this.baseContributionsOf(postings, fields);
    // Dropped cards are completed too, harmlessly: only the candidates are read afterwards.
    for (let i = 0; i < pairs.length; i += 2) {
      const id = pairs[i]!;
      if (lastTerm[id] !== 0) add(id, i, base);
    }
  }
}

/**
 * Per field (FIELDS order) the BM25+ factor, then per field the length slope, then the weight of the
 * match (exact, prefix, typo): see fieldWeights.
 */
type FieldWeights = Float64Array;
const WEIGHT = FIELD_COUNT * 2;

interface TermPlan {
  /** Its index terms with their BM25+ weights by field (fieldWeights). */
  lists: [Postings, FieldWeights][];
  /** Postings of all its lists. */
  postings: number;
  /** The most the term can add to one card's score (an upper bound), once computed. */
  bound: number | undefined;
}

/** A long list's postings by impact group (impactGroupsOf). */
interface ImpactGroups {
  /** Document ids, group after group. */
  ids: Int32Array;
  /** Where each group starts in ids, and the end. */
  starts: Int32Array;
  /** Each group's packed frequencies (the same for all its postings). */
  packed: Int32Array;
}

/** A list being read by topByImpact: short lists are read at once (level 0), long ones by impact group. */
interface ImpactCursor {
  list: Postings;
  fields: FieldWeights;
  /** Its query term's index in the plan. */
  term: number;
  /** The most a card not met yet can get from this list: the current group's bound; 0 when read through. */
  level: number;
  groups: ImpactGroups | undefined;
  /** Each group's bound for this query, and the groups in reading order (best bound first). */
  bounds?: Float64Array;
  order: number[];
  /** Next group in order; position and end of the current group in groups.ids. */
  next: number;
  at: number;
  end: number;
}

export interface TopOptions {
  /** Keeps a card by key (the query's other filters); every card when absent. */
  accept?: (key: string) => boolean;
  /** Only results ranked after this one (compareScored). */
  after?: ScoredKey;
}

/**
 * Whether a floor score is beyond what a card can reach: with room for rounding, since the bound and
 * the scores are sums of the same terms in different orders.
 */
const exceeds = (floor: number, reachable: number): boolean => reachable * (1 + 1e-9) + 1e-12 < floor;

/**
 * The most one index term can add to a card's score: each field's largest frequency, in the
 * shortest field a card holding the term can have (one word).
 */
function listBound(postings: Postings, fields: FieldWeights): number {
  let bound = 0;
  for (let f = 0; f < FIELD_COUNT; f++) {
    const tf = (postings.tfMax >>> (f * TF_BITS)) & TF_MAX;
    if (tf > 0) bound += fields[f]! * (BM25.d + (tf * K1) / (tf + BASE + fields[FIELD_COUNT + f]!));
  }
  return fields[WEIGHT]! * bound;
}
