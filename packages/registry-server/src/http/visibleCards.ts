import type { AgentCard } from '@agent-registry/crds';
import type { CardQuery, CardStore, NamespaceVisibility } from '../store/types.js';

/** Every card matching `filters` in the namespaces `visible` allows, in namespace/name order, page by page. */
export function* visibleCards(
  store: CardStore,
  visible: NamespaceVisibility,
  filters: Omit<CardQuery, 'limit' | 'continue' | 'q'> = {},
): Generator<AgentCard> {
  let token: string | undefined;
  do {
    const page = store.list(
      { ...filters, limit: 1000, ...(token ? { continue: token } : {}) },
      { visibleNamespaces: visible },
    );
    yield* page.items;
    token = page.continue;
  } while (token);
}
