import {
  A2A_AGENT_RESOURCE,
  AGENT_CARD_RESOURCE,
  KAGENT_AGENT_RESOURCE,
  type ResourceDescriptor,
} from '@agent-registry/crds';

/** A kind of agent a card can be generated from. */
export interface SourceKind {
  readonly id: 'kagent' | 'a2a';
  readonly resource: ResourceDescriptor;
}

/**
 * The source kinds, in precedence order. A card is named like its agent, so a
 * kagent Agent and an a2a.io Agent with the same namespace/name want the same
 * card: the first kind here that wants registration wins (kagent), the other
 * gets a Warning `Conflict` event and no card while both exist.
 */
export const SOURCE_KINDS: readonly SourceKind[] = [
  { id: 'kagent', resource: KAGENT_AGENT_RESOURCE },
  { id: 'a2a', resource: A2A_AGENT_RESOURCE },
];

export { AGENT_CARD_RESOURCE };

export function sourceKindOf(
  apiVersion: string | undefined,
  kind: string | undefined,
): SourceKind | undefined {
  return SOURCE_KINDS.find((k) => k.resource.apiVersion === apiVersion && k.resource.kind === kind);
}

/** Work queue keys are the card's `namespace/name` (shared by the agents that may generate it). */
export function cardKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function parseCardKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  if (slash <= 0 || slash === key.length - 1) throw new Error(`malformed key "${key}" (want namespace/name)`);
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
