import { viewCard, wellKnownPath } from '@agent-registry/a2a-translator';
import type { A2AVersion, AgentCard } from '@agent-registry/crds';

/** The registry's public URL for a card's A2A document. */
export const wellKnownUrl = (publicUrl: string, namespace: string, name: string): string =>
  `${publicUrl.replace(/\/+$/, '')}${wellKnownPath(namespace, name)}`;

export interface RenderedCard {
  card: Record<string, unknown>;
  /** The version of `card`; undefined for the card both generations read (no version named). */
  a2aVersion: A2AVersion | undefined;
  warnings: string[];
}

/**
 * Renders a card's A2A document: {@link renderA2ACard} by default; a host registry passes its own
 * (e.g. one that adds its signatures) so MCP serves what its REST routes serve.
 */
export type CardRenderer = (
  card: AgentCard,
  a2aVersion: A2AVersion | undefined,
  publicUrl: string | undefined,
) => RenderedCard;

/**
 * The A2A document of a card, as the registry's REST routes serve it: the translator's card view
 * (`viewCard`) decides the version, when the stored public card is served and the fallback URL.
 */
export function renderA2ACard(card: AgentCard, a2aVersion?: A2AVersion, publicUrl?: string): RenderedCard {
  const view = viewCard(card, { version: a2aVersion, registryUrl: publicUrl });
  return { card: view.card, a2aVersion: view.version, warnings: view.warnings };
}

/** The primary URL of a rendered card in either A2A version. */
export function primaryUrl(card: Record<string, unknown>): string | undefined {
  if (typeof card.url === 'string' && card.url !== '') return card.url;
  const interfaces = card.supportedInterfaces;
  const first: unknown = Array.isArray(interfaces) ? interfaces[0] : undefined;
  if (typeof first === 'object' && first !== null && 'url' in first) {
    if (typeof first.url === 'string' && first.url !== '') return first.url;
  }
  return undefined;
}
