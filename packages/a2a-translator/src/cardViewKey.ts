import { contentHash } from './canonical.js';
import type { ViewedCard } from './cardView.js';

/** Hashes of cards without a stated `spec.contentHash`, by card identity (cards are replaced, not mutated). */
const computed = new WeakMap<object, string>();

/**
 * The cache key of a card's views: its identity and `spec.contentHash` (the SHA-256 of its spec,
 * which the card generator and the registry's stores state), so a view is rendered once per content
 * and nothing is hashed again. A card without one (a hand-written manifest) is hashed once here.
 */
export function cardViewKey(card: ViewedCard): string {
  const identity = `${card.metadata.namespace || 'default'}/${card.metadata.name}`;
  const stated = card.spec.contentHash;
  if (stated) return `${identity}|${stated}`;
  let hash = computed.get(card);
  if (hash === undefined) {
    try {
      hash = contentHash(card.spec);
    } catch {
      // Not canonicalizable (e.g. a lone surrogate): plain JSON is still a faithful key.
      hash = `json:${JSON.stringify(card.spec)}`;
    }
    computed.set(card, hash);
  }
  return `${identity}|${hash}`;
}
