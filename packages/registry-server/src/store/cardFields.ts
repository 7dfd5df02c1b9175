import { cardDescriptionOf, cardDisplayNameOf, cardSkillsOf } from '@agent-registry/a2a-translator';
import { namespaceOf, type AgentCard, type Health } from '@agent-registry/crds';

export const cardKey = (namespace: string, name: string): string => `${namespace}/${name}`;
export const keyOf = (card: AgentCard): string => cardKey(namespaceOf(card), card.metadata.name);
export const healthOf = (card: AgentCard): Health => card.status?.health ?? 'Unknown';

/** The card's description as its A2A document states it (the translator's card view). */
export const descriptionOf = (card: AgentCard): string => cardDescriptionOf(card);

/**
 * Skills as (id, name, description, tags): the skills of the card's A2A document, whatever the
 * source (typed skills, capability strings, a stored public card) — the translator's card view, so
 * the ids MCP `list_skills` returns are the ids the `skill` filter matches.
 */
export function skillsOf(
  card: AgentCard,
): { id: string; name: string; description: string; tags: string[] }[] {
  return cardSkillsOf(card).map((skill) => ({
    id: skill.id,
    name: skill.name,
    description: skill.description ?? '',
    tags: skill.tags,
  }));
}

/** The display name of the card's A2A document, when it is not the resource name (`''` then). */
export function displayNameOf(card: AgentCard): string {
  const name = cardDisplayNameOf(card);
  return name === card.metadata.name ? '' : name;
}
