import { cardDescriptionOf, cardSkillsOf } from '@agent-registry/a2a-translator';
import { namespaceOf, type AgentCard, type Health } from '@agent-registry/crds';
import type { A2ASkill, CardRef } from './api.js';

export const refOf = (card: AgentCard): CardRef => ({
  namespace: namespaceOf(card),
  name: card.metadata.name,
});
export const keyOf = (ref: CardRef): string => `${ref.namespace}/${ref.name}`;
export const sameCard = (a: CardRef | null, b: CardRef): boolean =>
  a !== null && a.namespace === b.namespace && a.name === b.name;

export const healthOf = (card: AgentCard): Health => card.status?.health ?? 'Unknown';

/** The card's description as its A2A document states it (the translator's card view). */
export const descriptionOf = (card: AgentCard): string => cardDescriptionOf(card);

/**
 * The card's skills as its A2A form lists them, whatever the source (typed skills, capability
 * strings, a stored public card): the translator's card view, the one the registry serves and
 * searches by, so the list agrees with the A2A JSON beside it.
 */
export const skillsOf = (card: AgentCard): A2ASkill[] => cardSkillsOf(card);
