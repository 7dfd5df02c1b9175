import type { A2AVersion, AgentCard } from '@agent-registry/crds';
import { toA2ACard, validateA2ACard } from '@agent-registry/a2a-translator';

/** The registry's public URL for a card's A2A document. */
export const wellKnownUrl = (publicUrl: string, namespace: string, name: string): string =>
  `${publicUrl.replace(/\/+$/, '')}/agents/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/.well-known/agent-card.json`;

export interface RenderedCard {
  card: Record<string, unknown>;
  a2aVersion: A2AVersion;
  warnings: string[];
}

/**
 * The A2A document of a card in the version asked for (default: the card's
 * own). A valid `spec.publicCard` of that version is served as stored, since
 * it is what the card's owner published; otherwise the spec is translated.
 */
export function renderA2ACard(card: AgentCard, a2aVersion?: A2AVersion): RenderedCard {
  const version = a2aVersion ?? card.spec.a2aVersion;
  const stored = card.spec.publicCard;
  if (stored && version === card.spec.a2aVersion && validateA2ACard(stored, version).valid) {
    return { card: stored, a2aVersion: version, warnings: [] };
  }
  const result = toA2ACard(card, { a2aVersion: version });
  return {
    card: result.card as unknown as Record<string, unknown>,
    a2aVersion: version,
    warnings: result.warnings.map((warning) => `${warning.path}: ${warning.message}`),
  };
}

/** The primary URL of a rendered card in either A2A version. */
export function primaryUrl(card: Record<string, unknown>): string | undefined {
  if (typeof card.url === 'string' && card.url !== '') return card.url;
  const interfaces = card.supportedInterfaces;
  if (Array.isArray(interfaces) && interfaces.length > 0) {
    const first = interfaces[0] as { url?: unknown };
    if (typeof first.url === 'string' && first.url !== '') return first.url;
  }
  return undefined;
}
