import type { AgentCard, Health } from '@agent-registry/crds';

/** Filters and paging of a card list: the query of `GET {REGISTRY_API_BASE}/cards`. */
export interface CardQuery {
  /** Free text over names, skills, tags and descriptions: results are ranked by relevance. */
  q?: string;
  /** A skill id or name (as the card's A2A document lists its skills). */
  skill?: string;
  /** A skill tag. */
  tag?: string;
  namespace?: string;
  health?: Health;
  /** Whether a publisher signature on the card verified (its `SignatureVerified` condition is True). */
  verified?: boolean;
  /** Kubernetes label selector syntax. */
  labelSelector?: string;
  limit?: number;
  /** The opaque token of the previous page. */
  continue?: string;
}

export interface CardPage {
  items: AgentCard[];
  /** With `q`: the relevance of each item (aligned with `items`), which come best first. */
  scores?: number[];
  continue?: string;
}

export type CardEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export type CardEvent = { type: CardEventType; card: AgentCard };

/**
 * The registry's read contract. The registry's own stores implement it, so does
 * {@link createHttpRegistryReader} over REST; the MCP adapter and the web catalog read through it.
 * Each method may answer synchronously or with a promise.
 */
export interface RegistryReader {
  list(query: CardQuery): Promise<CardPage> | CardPage;
  get(namespace: string, name: string): Promise<AgentCard | undefined> | AgentCard | undefined;
  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe?(listener: (event: CardEvent) => void): () => void;
}

/**
 * Every card matching `query`, following `continue` tokens. Stops at `maxItems`, so a huge
 * registry cannot make one call unbounded.
 */
export async function listAll(
  registry: RegistryReader,
  query: Omit<CardQuery, 'continue' | 'limit'>,
  maxItems: number,
): Promise<{ items: AgentCard[]; truncated: boolean }> {
  const items: AgentCard[] = [];
  let token: string | undefined;
  do {
    const page = await registry.list({
      ...query,
      limit: Math.min(1000, maxItems - items.length),
      continue: token,
    });
    items.push(...page.items);
    token = page.continue;
  } while (token && items.length < maxItems);
  return { items: items.slice(0, maxItems), truncated: Boolean(token) || items.length > maxItems };
}
