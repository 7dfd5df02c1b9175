import {
  cardDescriptionOf,
  cardDisplayNameOf,
  cardSkillsOf,
  type ViewedCard,
} from '@agent-registry/a2a-translator';
import { namespaceOf, type AgentCard, type Health } from '@agent-registry/crds';

export const cardKey = (namespace: string, name: string): string => `${namespace}/${name}`;
export const keyOf = (card: AgentCard): string => cardKey(namespaceOf(card), card.metadata.name);
export const healthOf = (card: AgentCard): Health => card.status?.health ?? 'Unknown';

/**
 * What the index reads of a card's A2A document, in one flat array: its description, its display
 * name, then four entries per skill (id, name, description or `''`, tags).
 */
type CardFields = readonly (string | readonly string[])[];

/** Cards are replaced, not mutated, by every store: their fields are kept by identity while they live. */
const fieldsByCard = new WeakMap<AgentCard, CardFields>();

function fieldsOf(card: AgentCard): CardFields {
  const known = fieldsByCard.get(card);
  if (known) return known;
  // The translator memoizes its view by the object it is given, with arrays left room to grow
  // (about 1 KB a card, for as long as the card lives). It reads only metadata and spec: given a
  // wrapper that lives for this call only, its memo goes with the wrapper, and the card keeps this
  // compact copy (exact-size arrays) instead.
  const viewed: ViewedCard = { metadata: card.metadata, spec: card.spec };
  const skills = cardSkillsOf(viewed);
  const flat = new Array<string | readonly string[]>(2 + skills.length * 4);
  flat[0] = cardDescriptionOf(viewed);
  flat[1] = cardDisplayNameOf(viewed);
  skills.forEach((skill, at) => {
    flat[2 + at * 4] = skill.id;
    flat[3 + at * 4] = skill.name;
    flat[4 + at * 4] = skill.description ?? '';
    flat[5 + at * 4] = skill.tags.slice();
  });
  fieldsByCard.set(card, flat);
  return flat;
}

/**
 * Works out now what the index will read of a card (its A2A document's skills, description and
 * name), e.g. while a load's parsing threads are busy, rather than when the card is indexed.
 */
export function prepareCardFields(card: AgentCard): void {
  fieldsOf(card);
}

/** The card's description as its A2A document states it (the translator's card view). */
export const descriptionOf = (card: AgentCard): string => fieldsOf(card)[0] as string;

/**
 * Skills as (id, name, description, tags): the skills of the card's A2A document, whatever the
 * source (typed skills, capability strings, a stored public card) — the translator's card view, so
 * the ids MCP `list_skills` returns are the ids the `skill` filter matches.
 */
export function skillsOf(
  card: AgentCard,
): { id: string; name: string; description: string; tags: string[] }[] {
  const fields = fieldsOf(card);
  const skills = new Array<{ id: string; name: string; description: string; tags: string[] }>(
    (fields.length - 2) / 4,
  );
  for (let at = 0; at < skills.length; at++) {
    skills[at] = {
      id: fields[2 + at * 4] as string,
      name: fields[3 + at * 4] as string,
      description: fields[4 + at * 4] as string,
      tags: fields[5 + at * 4] as string[],
    };
  }
  return skills;
}

/** The display name of the card's A2A document, when it is not the resource name (`''` then). */
export function displayNameOf(card: AgentCard): string {
  const name = fieldsOf(card)[1] as string;
  return name === card.metadata.name ? '' : name;
}
