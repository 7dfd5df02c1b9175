import { namespaceOf, type A2AVersion, type AgentCard } from '@agent-registry/crds';
import { toA2ACard, validateA2ACard } from '@agent-registry/a2a-translator';

/** The registry's public URL for a card's A2A document. */
export const wellKnownUrl = (publicUrl: string, namespace: string, name: string): string =>
  `${agentBaseUrl(publicUrl, namespace, name)}/.well-known/agent-card.json`;

/** The registry URL an agent's documents live under: the card URL of a card without endpoints. */
const agentBaseUrl = (publicUrl: string, namespace: string, name: string): string =>
  `${publicUrl.replace(/\/+$/, '')}/agents/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;

export interface RenderedCard {
  card: Record<string, unknown>;
  a2aVersion: A2AVersion;
  warnings: string[];
}

/** Stands in for the registry's origin when no public URL is known; rendered away as relative URLs. */
const RELATIVE_BASE = 'http://agent-registry.invalid';

/**
 * The A2A document of a card in the version asked for (default: the card's
 * own). A valid `spec.publicCard` of that version is served as stored, since
 * it is what the card's owner published; otherwise the spec is translated. A card
 * without endpoints gets the registry's URL for it, `<publicUrl>/agents/{ns}/{name}`, or that
 * path alone without a `publicUrl` — as the registry's HTTP documents do.
 */
export function renderA2ACard(card: AgentCard, a2aVersion?: A2AVersion, publicUrl?: string): RenderedCard {
  const version = a2aVersion ?? card.spec.a2aVersion;
  const stored = card.spec.publicCard;
  if (stored && version === card.spec.a2aVersion && validateA2ACard(stored, version).valid) {
    return { card: stored, a2aVersion: version, warnings: [] };
  }
  const namespace = namespaceOf(card);
  const hasEndpoint = (card.spec.endpoints?.length ?? 0) > 0;
  const base = publicUrl ?? RELATIVE_BASE;
  const result = toA2ACard(
    card,
    hasEndpoint
      ? { a2aVersion: version }
      : { a2aVersion: version, baseUrl: agentBaseUrl(base, namespace, card.metadata.name) },
  );
  if (!result.success) {
    // Only a card with neither endpoints nor a name gets here.
    const reasons = result.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    throw new Error(`agent ${namespace}/${card.metadata.name} has no valid A2A card: ${reasons}`);
  }
  let rendered = result.card as unknown as Record<string, unknown>;
  if (!hasEndpoint && base === RELATIVE_BASE) {
    rendered = JSON.parse(JSON.stringify(rendered).replaceAll(`"${RELATIVE_BASE}/`, '"/')) as Record<
      string,
      unknown
    >;
  }
  return {
    card: rendered,
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
