import { createMcpHttpHandler, type McpHttpHandler, type RegistryReader } from '@agent-registry/mcp-adapter';
import type { Principal } from '../auth/types.js';
import type { CardStore, CardEvent } from '../store/types.js';

/** The store as one principal sees it: lists filtered by namespace, invisible cards absent, events filtered. */
export function readerFor(store: CardStore, principal: Principal): RegistryReader {
  return {
    async list(query) {
      const visibleNamespaces = await principal.visibleNamespaces(store.namespaces(), 'list');
      return store.list(query, { visibleNamespaces });
    },
    async get(namespace, name) {
      return (await principal.canRead(namespace, 'get')) ? store.get(namespace, name) : undefined;
    },
    subscribe(listener) {
      let chain = Promise.resolve();
      return store.subscribe((event: CardEvent) => {
        chain = chain
          .then(async () => {
            if (await principal.canRead(event.card.metadata.namespace ?? 'default', 'list')) listener(event);
          })
          .catch(() => undefined);
      });
    },
  };
}

/**
 * MCP handlers, one per principal when auth is on (each MCP server sees only what its caller may),
 * a single shared one otherwise. Keyed by `principal.id`, which pins the visibility (a name alone is
 * not unique). Bounded; the least recently used handler is closed first. `invalidate()` drops them all
 * (the tokens file changed: a cached handler would go on serving the old principal).
 */
export class McpMount {
  private readonly handlers = new Map<string, McpHttpHandler>();

  constructor(
    private readonly store: CardStore,
    private readonly options: { publicUrl?: string; perPrincipal: boolean; maxHandlers?: number },
  ) {}

  handle(request: Request, principal: Principal): Promise<Response> {
    const key = this.options.perPrincipal ? principal.id : '*';
    let handler = this.handlers.get(key);
    if (handler) {
      this.handlers.delete(key);
    } else {
      const reader = this.options.perPrincipal ? readerFor(this.store, principal) : this.store;
      handler = createMcpHttpHandler(
        reader,
        this.options.publicUrl ? { publicUrl: this.options.publicUrl } : {},
      );
      if (this.handlers.size >= (this.options.maxHandlers ?? 100)) {
        const [oldestKey, oldest] = this.handlers.entries().next().value as [string, McpHttpHandler];
        this.handlers.delete(oldestKey);
        void oldest.close();
      }
    }
    this.handlers.set(key, handler);
    return handler.handle(request);
  }

  /** Closes every cached handler; the next request of each principal gets a fresh one. */
  async invalidate(): Promise<void> {
    if (!this.options.perPrincipal) return;
    await this.close();
  }

  async close(): Promise<void> {
    const handlers = [...this.handlers.values()];
    this.handlers.clear();
    await Promise.all(handlers.map((handler) => handler.close()));
  }
}
