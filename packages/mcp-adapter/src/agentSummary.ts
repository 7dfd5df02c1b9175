import { cardDescriptionOf, cardSkillsOf } from '@agent-registry/a2a-translator';
import type { AgentCard, Health } from '@agent-registry/crds';
import { primaryUrl, renderA2ACard, wellKnownUrl } from './a2aCard.js';
import { cardNamespace } from './registryReader.js';

/** A compact view of one agent: enough to choose it, not the whole card. */
export interface AgentSummary {
  namespace: string;
  name: string;
  description: string;
  /** Skill names. */
  skills: string[];
  health: Health;
  /** When the agent last answered a health probe (RFC 3339), if ever. */
  lastSeen?: string;
  /** The agent's primary endpoint. */
  url?: string;
  /** Where the registry serves the agent's A2A card. */
  wellKnownUrl?: string;
}

/** A skill as the A2A card shows it (the translator's card view: one answer for every reader). */
export type { CardSkill } from '@agent-registry/a2a-translator';

export function summarizeCard(card: AgentCard, publicUrl?: string): AgentSummary {
  const namespace = cardNamespace(card);
  const url = primaryUrl(renderA2ACard(card, undefined, publicUrl).card);
  return {
    namespace,
    name: card.metadata.name,
    description: cardDescriptionOf(card),
    skills: cardSkillsOf(card).map((skill) => skill.name),
    health: card.status?.health ?? 'Unknown',
    ...(card.status?.lastSeen ? { lastSeen: card.status.lastSeen } : {}),
    ...(url ? { url } : {}),
    ...(publicUrl ? { wellKnownUrl: wellKnownUrl(publicUrl, namespace, card.metadata.name) } : {}),
  };
}

export type HealthCounts = Record<Health, number>;

/** Agent counts by health, in total and per namespace (ordered by namespace). */
export function summarizeHealth(cards: Iterable<AgentCard>): {
  total: number;
  health: HealthCounts;
  namespaces: { namespace: string; total: number; health: HealthCounts }[];
} {
  const health: HealthCounts = { Healthy: 0, Unhealthy: 0, Unknown: 0 };
  const byNamespace = new Map<string, { namespace: string; total: number; health: HealthCounts }>();
  let total = 0;
  for (const card of cards) {
    const namespace = cardNamespace(card);
    const state = card.status?.health ?? 'Unknown';
    let entry = byNamespace.get(namespace);
    if (!entry) {
      entry = { namespace, total: 0, health: { Healthy: 0, Unhealthy: 0, Unknown: 0 } };
      byNamespace.set(namespace, entry);
    }
    entry.total++;
    entry.health[state]++;
    health[state]++;
    total++;
  }
  const namespaces = [...byNamespace.values()].sort((a, b) =>
    a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0,
  );
  return { total, health, namespaces };
}
