import {
  A2A_AGENT_GROUP,
  A2A_AGENT_KIND,
  A2A_AGENT_PLURAL,
  A2A_AGENT_VERSION,
  AGENT_CARD_GROUP,
  AGENT_CARD_KIND,
  AGENT_CARD_PLURAL,
  AGENT_CARD_VERSION,
  KAGENT_AGENT_GROUP,
  KAGENT_AGENT_KIND,
  KAGENT_AGENT_PLURAL,
  KAGENT_AGENT_VERSION,
} from '@agent-registry/crds';
import type { ResourceType } from '@agent-registry/kube-runtime';

/** A kind of agent a card can be generated from. */
export interface SourceKind {
  readonly id: 'kagent' | 'a2a';
  readonly resource: ResourceType;
  readonly apiVersion: string;
}

/**
 * The source kinds, in precedence order. A card is named like its agent, so a
 * kagent Agent and an a2a.io Agent with the same namespace/name want the same
 * card: the first kind here that wants registration wins (kagent), the other
 * gets a Warning `Conflict` event and no card while both exist.
 */
export const SOURCE_KINDS: readonly SourceKind[] = [
  {
    id: 'kagent',
    resource: {
      group: KAGENT_AGENT_GROUP,
      version: KAGENT_AGENT_VERSION,
      plural: KAGENT_AGENT_PLURAL,
      kind: KAGENT_AGENT_KIND,
    },
    apiVersion: `${KAGENT_AGENT_GROUP}/${KAGENT_AGENT_VERSION}`,
  },
  {
    id: 'a2a',
    resource: {
      group: A2A_AGENT_GROUP,
      version: A2A_AGENT_VERSION,
      plural: A2A_AGENT_PLURAL,
      kind: A2A_AGENT_KIND,
    },
    apiVersion: `${A2A_AGENT_GROUP}/${A2A_AGENT_VERSION}`,
  },
];

export const AGENT_CARD_RESOURCE: ResourceType = {
  group: AGENT_CARD_GROUP,
  version: AGENT_CARD_VERSION,
  plural: AGENT_CARD_PLURAL,
  kind: AGENT_CARD_KIND,
};

export function sourceKindOf(
  apiVersion: string | undefined,
  kind: string | undefined,
): SourceKind | undefined {
  return SOURCE_KINDS.find((k) => k.apiVersion === apiVersion && k.resource.kind === kind);
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
