import type { AgentCard } from '@agent-registry/crds';
import MiniSearch from 'minisearch';
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

export function searchDocumentOf(key: string, card: AgentCard): SearchDocument {
  const skills = skillsOf(card);
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
 * The ranked full-text index of the cards: MiniSearch's BM25 over weighted fields, with prefix and
 * typo tolerance per query term as searchTerms.ts defines them. A card matches when any query term
 * does; more matched terms, rarer terms and better fields score higher.
 */
export class CardSearch {
  private readonly engine = new MiniSearch<SearchDocument>({
    fields: [...FIELDS],
    tokenize: wordsOf,
    processTerm: indexTermsOfWord,
    // Documents are removed with their indexed copy (exact statistics, no lazy clean-up during searches).
    autoVacuum: false,
  });

  add(document: SearchDocument): void {
    this.engine.add(document);
  }

  remove(document: SearchDocument): void {
    this.engine.remove(document);
  }

  /**
   * Every card matching the query terms with its score, best first, equal scores by key (none
   * when there are no terms).
   */
  search(terms: readonly QueryTerm[]): ScoredKey[] {
    if (terms.length === 0) return [];
    const byTerm = new Map<string, QueryTerm>(terms.map((term) => [term.term, term]));
    const results = this.engine.search(terms.map((term) => term.term).join(' '), {
      tokenize: (text) => text.split(' '),
      processTerm: (term) => term,
      prefix: (term) => byTerm.get(term)?.prefix ?? false,
      fuzzy: (term) => byTerm.get(term)?.fuzzy || false,
      boost: { ...FIELD_BOOSTS },
      combineWith: 'OR',
    });
    // MiniSearch returns them by score already: only runs of equal scores need ordering by key.
    const ranked = results.map((result): ScoredKey => ({ key: result.id as string, score: result.score }));
    for (let start = 0; start < ranked.length;) {
      let end = start + 1;
      while (end < ranked.length && (ranked[end] as ScoredKey).score === (ranked[start] as ScoredKey).score)
        end++;
      if (end - start > 1) {
        const run = ranked.slice(start, end).sort(compareScored);
        for (let i = 0; i < run.length; i++) ranked[start + i] = run[i] as ScoredKey;
      }
      start = end;
    }
    return ranked;
  }
}
