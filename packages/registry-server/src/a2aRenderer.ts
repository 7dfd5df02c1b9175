import { createHash } from 'node:crypto';
import { agentUrl, cardViewKey, viewCard, wellKnownPath } from '@agent-registry/a2a-translator';
import type { A2AVersion, AgentCard } from '@agent-registry/crds';
import { RELATIVE_BASE } from './http/origin.js';
import { lruGet } from './lruGet.js';

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
  agentUrl(publicUrl, namespace, name);

export { wellKnownPath };

const strongEtag = (text: string): string =>
  `"${createHash('sha256').update(text).digest('base64url').slice(0, 32)}"`;

/** The rendering for a client that names no A2A version. */
const BOTH = 'both';

/** Versions × base URLs remembered per card object before its small map starts over. */
const MAX_RENDERINGS_PER_CARD = 8;

/**
 * The HTTP bytes of the translator's card view (`viewCard`, which owns what a card says: version,
 * stored public card, fallback URL), cached by (the view's key from `spec.contentHash`, version,
 * base URL) in a bounded LRU, so a hot card is rendered and serialized once per change, not once
 * per request. One instance per app: the Hono routes and the fast path share it.
 */
export class A2ARenderer {
  private readonly cache = new Map<string, RenderedA2ACard>();
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
    const registryUrl = publicUrl === RELATIVE_BASE ? undefined : publicUrl;
    const contentKey = cardViewKey(card);
    const key = `${contentKey}|${a2aVersion}|${hasEndpoint ? '' : (registryUrl ?? '')}`;
    const cached = lruGet(this.cache, key);
    if (cached) return cached;
    const version = a2aVersion === BOTH ? undefined : a2aVersion;
    const view = viewCard(card, { version, registryUrl });
    let body = JSON.stringify(view.card);
    if (this.signBody) body = this.signBody(body);
    const rendered: RenderedA2ACard = {
      body,
      etag: strongEtag(body),
      lastModified: new Date(firstRenderedAt(contentKey)).toUTCString(),
      version,
      warnings: view.warnings,
    };
    if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, rendered);
    return rendered;
  }

  /** A strong ETag for any JSON document (the AgentCard resource itself). */
  static etagOf(body: string): string {
    return strongEtag(body);
  }
}
