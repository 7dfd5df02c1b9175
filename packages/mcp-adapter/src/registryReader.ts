import { namespaceOf, type AgentCard } from '@agent-registry/crds';

// The read contract lives in @agent-registry/registry-client; re-exported here for compatibility.
export {
  listAll,
  type CardEvent,
  type CardPage,
  type CardQuery,
  type RegistryReader,
} from '@agent-registry/registry-client';

/** The namespace a card lives in; cluster tooling treats a missing one as `default`. */
export const cardNamespace = (card: AgentCard): string => namespaceOf(card);
