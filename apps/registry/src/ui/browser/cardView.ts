import { toA2ACard } from '@agent-registry/a2a-translator';
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

/** `spec.metadata.description`, else the stored public card's (as the registry's search reads it). */
export function descriptionOf(card: AgentCard): string {
  const fromPublicCard = card.spec.publicCard?.description;
  return card.spec.metadata?.description || (typeof fromPublicCard === 'string' ? fromPublicCard : '');
}

/** Memoized by card object: the list renders a card many times, the API replaces it on change. */
const renderedSkills = new WeakMap<AgentCard, A2ASkill[]>();

/**
 * The card's skills as its A2A form lists them, whatever the source (typed skills, capability
 * strings, a stored public card): rendered by the translator the registry itself serves cards with,
 * so the list agrees with the A2A JSON beside it. (The details pane shows the served card's own.)
 */
export function skillsOf(card: AgentCard): A2ASkill[] {
  let skills = renderedSkills.get(card);
  if (skills) return skills;
  // A card without endpoints gets the registry's URL as its A2A URL; skills do not depend on it.
  const baseUrl = `${location.origin}/agents/${encodeURIComponent(namespaceOf(card))}/${encodeURIComponent(card.metadata.name)}`;
  const result = toA2ACard(card, { baseUrl });
  skills = result.success ? (result.card.skills as A2ASkill[]) : [];
  renderedSkills.set(card, skills);
  return skills;
}
