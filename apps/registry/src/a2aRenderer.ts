import { createHash } from 'node:crypto';
import { contentHash, toA2ACard, toCompatibleA2ACard } from '@agent-registry/a2a-translator';
import { namespaceOf, type A2AVersion, type AgentCard } from '@agent-registry/crds';
import { relativeToRegistry, RELATIVE_BASE } from './http/origin.js';

export interface RenderedA2ACard {
  /** The A2A card JSON, serialized once. */
  body: string;
  /** Strong ETag: a digest of `body`. */
  etag: string;
  /** `Last-Modified` (HTTP date): when this process first rendered the card's current content. */
  lastModified: string;
  /** The version rendered; undefined for the card both generations read (no version named). */
  version: A2AVersion | undefined;
  warnings: string[];
}

/** Content hashes → when first rendered (ms, whole seconds): one clock for every renderer of the process. */
const firstRendered = new Map<string, number>();
const MAX_REMEMBERED_CONTENTS = 50_000;

function firstRenderedAt(hash: string): number {
  let at = firstRendered.get(hash);
  if (at === undefined) {
    if (firstRendered.size >= MAX_REMEMBERED_CONTENTS)
      firstRendered.delete(firstRendered.keys().next().value as string);
    // HTTP dates have whole seconds: a later If-Modified-Since of the same second must match.
    at = Math.floor(Date.now() / 1000) * 1000;
    firstRendered.set(hash, at);
  }
  return at;
}

/** The registry URL an agent's documents live under (the A2A fallback URL of a card without endpoints). */
export const agentBaseUrl = (publicUrl: string, namespace: string, name: string): string =>
  `${publicUrl.replace(/\/+$/, '')}/agents/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;

export const wellKnownPath = (namespace: string, name: string): string =>
  `/agents/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/.well-known/agent-card.json`;

const strongEtag = (text: string): string =>
  `"${createHash('sha256').update(text).digest('base64url').slice(0, 32)}"`;

function describeWarning(warning: unknown): string {
  if (typeof warning === 'string') return warning;
  if (warning && typeof warning === 'object' && 'message' in warning) {
    const { path, message } = warning as { path?: unknown; message: unknown };
    return typeof path === 'string' ? `${path}: ${String(message)}` : String(message);
  }
  return String(warning);
}

/** The rendering for a client that names no A2A version. */
const BOTH = 'both';

/** Versions × base URLs remembered per card object before its small map starts over. */
const MAX_RENDERINGS_PER_CARD = 8;

/**
 * Renders cards to A2A JSON with the translator, caching by (card content hash,
 * version, base URL) in a bounded LRU, so a hot card is translated and
 * serialized once per change, not once per request.
 */
export class A2ARenderer {
  private readonly cache = new Map<string, RenderedA2ACard>();
  /** Cards are immutable in the index (replaced on change): their hash is memoized by identity. */
  private readonly hashes = new WeakMap<AgentCard, string>();
  /**
   * The hot path: renderings by card identity, then by (version, base URL), so a repeated request
   * builds no key strings and hashes nothing. Small per card (Host headers vary), gone with the card.
   */
  private readonly byCard = new WeakMap<AgentCard, Map<string, RenderedA2ACard>>();

  /**
   * @param signBody adds the registry's signatures to a rendered document (see http/signing.ts): it
   *   runs once per rendering, on the final bytes, so the ETag and the cache follow the signed body.
   */
  constructor(
    private readonly maxEntries = 10_000,
    private readonly signBody?: (body: string) => string,
  ) {}

  /**
   * The card in `version`, or — `undefined`, the client named none — the card clients of both
   * generations read (the 1.0 card with the 0.3 fields; see the translator's toCompatibleA2ACard).
   */
  render(card: AgentCard, version: A2AVersion | undefined, publicUrl: string): RenderedA2ACard {
    const a2aVersion = version ?? BOTH;
    // The card's URL is the agent's own endpoint; the registry URL is only a fallback for a card
    // without one (the translator's baseUrl overrides spec.endpoints[0], so it is passed only then).
    const hasEndpoint = (card.spec.endpoints?.length ?? 0) > 0;
    const recentKey = hasEndpoint ? a2aVersion : `${a2aVersion}|${publicUrl}`;
    let recent = this.byCard.get(card);
    const known = recent?.get(recentKey);
    if (known) return known;
    const rendered = this.renderUncached(card, a2aVersion, hasEndpoint, publicUrl);
    if (!recent) this.byCard.set(card, (recent = new Map()));
    if (recent.size >= MAX_RENDERINGS_PER_CARD) recent.clear();
    recent.set(recentKey, rendered);
    return rendered;
  }

  private renderUncached(
    card: AgentCard,
    a2aVersion: A2AVersion | typeof BOTH,
    hasEndpoint: boolean,
    publicUrl: string,
  ): RenderedA2ACard {
    const namespace = namespaceOf(card);
    const baseUrl = hasEndpoint ? undefined : agentBaseUrl(publicUrl, namespace, card.metadata.name);
    const key = `${this.hashOf(card)}|${a2aVersion}|${baseUrl}`;
    const cached = this.cache.get(key);
    if (cached) {
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const options = baseUrl === undefined ? {} : { baseUrl };
    const result =
      a2aVersion === BOTH ? toCompatibleA2ACard(card, options) : toA2ACard(card, { ...options, a2aVersion });
    // A card without endpoints gets the registry's URL, so only a bug leaves a card without one.
    if (!result.success)
      throw new Error(`cannot render ${card.metadata.name}: ${JSON.stringify(result.issues)}`);
    let body = JSON.stringify(result.card);
    // No trusted public origin: the fallback URL is relative to the registry, not the request's Host.
    if (baseUrl !== undefined && publicUrl === RELATIVE_BASE) body = relativeToRegistry(body);
    if (this.signBody) body = this.signBody(body);
    const rendered: RenderedA2ACard = {
      body,
      etag: strongEtag(body),
      lastModified: new Date(firstRenderedAt(this.hashOf(card))).toUTCString(),
      version: a2aVersion === BOTH ? undefined : a2aVersion,
      warnings: result.warnings.map(describeWarning),
    };
    if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, rendered);
    return rendered;
  }

  /** A strong ETag for any JSON document (the AgentCard resource itself). */
  static etagOf(body: string): string {
    return strongEtag(body);
  }

  private hashOf(card: AgentCard): string {
    const known = this.hashes.get(card);
    if (known !== undefined) return known;
    // What the A2A document is made of: identity and spec (status and server fields do not change it).
    const parts = { name: card.metadata.name, namespace: card.metadata.namespace, spec: card.spec };
    let hash: string;
    try {
      hash = String(contentHash(parts));
    } catch {
      // Not canonicalizable (e.g. a lone surrogate): plain JSON is still a faithful cache key.
      hash = createHash('sha256').update(JSON.stringify(parts)).digest('hex');
    }
    this.hashes.set(card, hash);
    return hash;
  }
}
