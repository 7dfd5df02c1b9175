import type { AgentCard, Health } from '@agent-registry/crds';
import { matchesLabelSelector, parseLabelSelector, type LabelSelector } from './labelSelector.js';
import type { CardQuery } from './types.js';

export const cardKey = (namespace: string, name: string): string => `${namespace}/${name}`;
export const keyOf = (card: AgentCard): string =>
  cardKey(card.metadata.namespace ?? 'default', card.metadata.name);
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

/** Lower-cased search text of a card, built once per card version. */
export function searchTextOf(card: AgentCard): string {
  const parts = [card.metadata.name, descriptionOf(card)];
  for (const skill of skillsOf(card)) parts.push(skill.name, skill.description);
  const displayName = card.spec.publicCard?.name;
  if (typeof displayName === 'string') parts.push(displayName);
  return parts.join('\n').toLowerCase();
}

/** A query compiled once into a predicate (throws QueryError on a bad selector). */
export interface CompiledQuery {
  /** `keys`: the card's lower-cased skill ids and names and tags, when already known (the index keeps them). */
  matches(card: AgentCard, searchText?: string, keys?: SkillKeys): boolean;
}

export interface SkillKeys {
  skillKeys: readonly string[];
  tagKeys: readonly string[];
}

export function compileQuery(query: CardQuery): CompiledQuery {
  const selector: LabelSelector = query.labelSelector ? parseLabelSelector(query.labelSelector) : [];
  const q = query.q?.trim().toLowerCase() || undefined;
  const skill = query.skill?.toLowerCase();
  const tag = query.tag?.toLowerCase();
  return {
    matches(card, searchText, keys) {
      if (query.namespace !== undefined && (card.metadata.namespace ?? 'default') !== query.namespace)
        return false;
      if (query.health !== undefined && healthOf(card) !== query.health) return false;
      if (selector.length > 0 && !matchesLabelSelector(selector, card.metadata.labels)) return false;
      if (keys) {
        if (skill !== undefined && !keys.skillKeys.includes(skill)) return false;
        if (tag !== undefined && !keys.tagKeys.includes(tag)) return false;
      } else if (skill !== undefined || tag !== undefined) {
        const skills = skillsOf(card);
        if (
          skill !== undefined &&
          !skills.some((s) => s.id.toLowerCase() === skill || s.name.toLowerCase() === skill)
        ) {
          return false;
        }
        if (tag !== undefined && !skills.some((s) => s.tags.some((t) => t.toLowerCase() === tag)))
          return false;
      }
      if (q !== undefined && !(searchText ?? searchTextOf(card)).includes(q)) return false;
      return true;
    },
  };
}
