import { isSignatureVerified, namespaceOf, type AgentCard } from '@agent-registry/crds';
import { fieldsOf, healthOf, keyOf, type CardFields } from './cardFields.js';
import { searchDocumentOf, searchTermsOf } from './cardSearch.js';
import { matchesLabelSelector, parseLabelSelector, type LabelSelector } from './labelSelector.js';
import { queryTermsOf, termMatches, type QueryTerm } from './searchTerms.js';
import type { CardQuery } from './types.js';

// A card's key lives in cardFields.ts; re-exported for the matcher's importers, which key what they match.
export { keyOf } from './cardFields.js';

/** The search terms of a card (its fields when the caller has them already). */
export const cardSearchTermsOf = (card: AgentCard, fields: CardFields = fieldsOf(card)): Set<string> =>
  searchTermsOf(searchDocumentOf(keyOf(card), card, fields));

/** Whether a card with these search terms matches `q`: some query term matches some card term. */
export function matchesText(queryTerms: readonly QueryTerm[], cardTerms: ReadonlySet<string>): boolean {
  for (const query of queryTerms) {
    if (cardTerms.has(query.term)) return true;
    if (!query.prefix && query.fuzzy === 0) continue;
    for (const term of cardTerms) if (termMatches(query, term)) return true;
  }
  return false;
}

/** A query compiled once into a predicate (throws QueryError on a bad selector). */
export interface CompiledQuery {
  /**
   * `searchTerms`: the card's search terms, and `keys` its lower-cased skill ids and names and tags,
   * when already known (the index keeps them). `q` matches as the ranked index does (see searchTerms.ts).
   */
  matches(card: AgentCard, searchTerms?: ReadonlySet<string>, keys?: SkillKeys): boolean;
  /** Whether the query has text to rank by. */
  readonly ranked: boolean;
}

export interface SkillKeys {
  skillKeys: readonly string[];
  tagKeys: readonly string[];
}

export function compileQuery(query: CardQuery): CompiledQuery {
  const selector: LabelSelector = query.labelSelector ? parseLabelSelector(query.labelSelector) : [];
  const queryTerms = query.q === undefined ? [] : queryTermsOf(query.q);
  // `q` with no word in it (only punctuation or spaces) filters nothing, like an absent `q`.
  const q = queryTerms.length > 0 ? queryTerms : undefined;
  const skill = query.skill?.toLowerCase();
  const tag = query.tag?.toLowerCase();
  return {
    ranked: q !== undefined,
    matches(card, searchTerms, keys) {
      // A card's fields are a rendering of it: worked out at most once per call, for skills and text.
      let fields: CardFields | undefined;
      if (query.namespace !== undefined && namespaceOf(card) !== query.namespace) return false;
      if (query.health !== undefined && healthOf(card) !== query.health) return false;
      if (query.verified !== undefined && isSignatureVerified(card) !== query.verified) return false;
      if (selector.length > 0 && !matchesLabelSelector(selector, card.metadata.labels)) return false;
      if (keys) {
        if (skill !== undefined && !keys.skillKeys.includes(skill)) return false;
        if (tag !== undefined && !keys.tagKeys.includes(tag)) return false;
      } else if (skill !== undefined || tag !== undefined) {
        const { skills } = (fields ??= fieldsOf(card));
        if (
          skill !== undefined &&
          !skills.some((s) => s.id.toLowerCase() === skill || s.name.toLowerCase() === skill)
        ) {
          return false;
        }
        if (tag !== undefined && !skills.some((s) => s.tags.some((t) => t.toLowerCase() === tag)))
          return false;
      }
      if (q !== undefined && !matchesText(q, searchTerms ?? cardSearchTermsOf(card, fields))) return false;
      return true;
    },
  };
}
