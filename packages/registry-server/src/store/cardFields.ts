import { freshCardSummary, type CardSkill } from '@agent-registry/a2a-translator';
import { namespaceOf, type AgentCard, type Health } from '@agent-registry/crds';

export const cardKey = (namespace: string, name: string): string => `${namespace}/${name}`;
export const keyOf = (card: AgentCard): string => cardKey(namespaceOf(card), card.metadata.name);
export const healthOf = (card: AgentCard): Health => card.status?.health ?? 'Unknown';

/** What the index reads of a card's A2A document. */
export interface CardFields {
  /** `''` when the document has none. */
  description: string;
  /** The document's name when it is not the resource name, else `''`. */
  displayName: string;
  /**
   * The skills of the card's A2A document, whatever the source (typed skills, capability strings, a
   * stored public card) — the translator's card view, so the ids MCP `list_skills` returns are the
   * ids the `skill` filter matches.
   */
  skills: CardSkill[];
}

/**
 * The card's fields, worked out afresh: a rendering of its A2A document (a few µs), so a caller
 * reads them once per change of a card. Nothing keeps them: a table of every card's fields would
 * cost the index ≈ 0.37 KB a card (100,000 cards: 37 MB, measured) for what it reads only when a
 * card comes or goes.
 */
export function fieldsOf(card: AgentCard): CardFields {
  const summary = freshCardSummary(card);
  return {
    description: summary.description,
    displayName: summary.displayName === card.metadata.name ? '' : summary.displayName,
    skills: summary.skills,
  };
}
