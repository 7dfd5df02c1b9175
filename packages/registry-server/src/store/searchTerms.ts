import { stemmer } from 'stemmer';
import { eng as ENGLISH_STOP_WORDS } from 'stopword';

/**
 * How card text and `q` become search terms — one definition for the ranked index (MiniSearch) and
 * for the scan that filters watch events, so both select the same cards.
 *
 * Text is split on anything but letters and digits and lower-cased. A card's text is indexed as each
 * word and, when different, its Porter stem ("releases" → "releas"); a query word is looked up by its
 * stem, so "rolled back releases" finds "roll back a release", while a half-typed word still
 * prefix-matches the whole indexed word ("vulnerab" → "vulnerabilities"). English stop words are
 * dropped from queries (not from cards), unless the query has nothing else.
 */

const WORD = /[\p{L}\p{N}]+/gu;
const STOP_WORDS: ReadonlySet<string> = new Set(ENGLISH_STOP_WORDS);
/** Query words shorter than this match whole words only (no prefix): "a", "k". */
const MIN_PREFIX_LENGTH = 2;
/** Typo tolerance: one edit from 4 characters, two from 8; shorter words must be spelled right. */
const fuzzyDistanceOf = (term: string): number => (term.length >= 8 ? 2 : term.length >= 4 ? 1 : 0);
/** Longest word considered (longer ones are cut): bounds the cost of typo tolerance. */
const MAX_WORD_LENGTH = 64;

export function wordsOf(text: string): string[] {
  const words = text.toLowerCase().match(WORD) ?? [];
  for (let i = 0; i < words.length; i++) {
    if (words[i]!.length > MAX_WORD_LENGTH) words[i] = words[i]!.slice(0, MAX_WORD_LENGTH);
  }
  return words;
}

const DIGITS = /^\d+$/;

/** Stems by word: a registry's vocabulary is small next to its text, and stemming is the cost of indexing. */
const stems = new Map<string, string>();
// Bounded well below a large registry's vocabulary (ids and numbers are mostly unique words): ~100 bytes an entry.
const MAX_REMEMBERED_STEMS = 20_000;

function stemOf(word: string): string {
  // No suffix rule applies to digits; ids and numbers, mostly unique, would only flush the memo.
  if (DIGITS.test(word)) return word;
  let stem = stems.get(word);
  if (stem === undefined) {
    if (stems.size >= MAX_REMEMBERED_STEMS) stems.clear();
    stem = stemmer(word) || word;
    stems.set(word, stem);
  }
  return stem;
}

/** The index terms of one word of card text: the word and its stem. */
export function indexTermsOfWord(word: string): string[] {
  const stem = stemOf(word);
  return stem === word ? [word] : [word, stem];
}

/** A query word as looked up: exact term, prefix and allowed edit distance. */
export interface QueryTerm {
  term: string;
  prefix: boolean;
  /** Largest edit (Levenshtein) distance to an indexed term; 0 = none. */
  fuzzy: number;
}

/** The query's terms, in order, without duplicates; empty when `q` has no word at all. */
export function queryTermsOf(q: string): QueryTerm[] {
  const words = wordsOf(q);
  const meaningful = words.filter((word) => !STOP_WORDS.has(word));
  const chosen = meaningful.length > 0 ? meaningful : words;
  const seen = new Set<string>();
  const terms: QueryTerm[] = [];
  for (const word of chosen) {
    const term = stemOf(word);
    if (seen.has(term)) continue;
    seen.add(term);
    terms.push({ term, prefix: term.length >= MIN_PREFIX_LENGTH, fuzzy: fuzzyDistanceOf(term) });
  }
  return terms;
}

/** Whether an indexed term answers a query term, as the index decides it (exact, prefix or typo). */
export function termMatches(query: QueryTerm, indexed: string): boolean {
  if (indexed === query.term) return true;
  if (query.prefix && indexed.startsWith(query.term)) return true;
  return query.fuzzy > 0 && withinEditDistance(query.term, indexed, query.fuzzy);
}

/** Levenshtein distance of `a` and `b` is at most `max` (banded dynamic programming). */
export function withinEditDistance(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return false;
    previous = current;
  }
  return previous[b.length]! <= max;
}
