import { namespaceOf, type AgentCard, type Health } from '@agent-registry/crds';

export const cardKey = (namespace: string, name: string): string => `${namespace}/${name}`;
export const keyOf = (card: AgentCard): string => cardKey(namespaceOf(card), card.metadata.name);
export const healthOf = (card: AgentCard): Health => card.status?.health ?? 'Unknown';

/** The card's description: `spec.metadata.description`, else the rendered public card's. */
export function descriptionOf(card: AgentCard): string {
  const fromMetadata = card.spec.metadata?.description;
  if (fromMetadata) return fromMetadata;
  const fromPublicCard = card.spec.publicCard?.description;
  return typeof fromPublicCard === 'string' ? fromPublicCard : '';
}

/** Skills as (id, name, description, tags): typed skills, else capability strings. */
export function skillsOf(
  card: AgentCard,
): { id: string; name: string; description: string; tags: string[] }[] {
  if (card.spec.skills && card.spec.skills.length > 0) {
    return card.spec.skills.map((skill) => ({
      id: skill.id,
      name: skill.name,
      description: skill.description ?? '',
      tags: skill.tags ?? [],
    }));
  }
  return (card.spec.capabilities ?? []).map((capability) => ({
    id: capability,
    name: capability,
    description: '',
    tags: [],
  }));
}

/** The display name of the rendered public card, when it has one. */
export function displayNameOf(card: AgentCard): string {
  const name = card.spec.publicCard?.name;
  return typeof name === 'string' ? name : '';
}
