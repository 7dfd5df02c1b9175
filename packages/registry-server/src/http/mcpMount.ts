import { namespaceOf } from '@agent-registry/crds';
import {
  createMcpHttpHandler,
  type CardRenderer,
  type McpHttpHandler,
  type RegistryReader,
} from '@agent-registry/mcp-adapter';
import type { Principal } from '../auth/types.js';
import type { CardStore, CardEvent } from '../store/types.js';
import { status, statusResponse } from './status.js';

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
            if (await principal.canRead(namespaceOf(event.card), 'list')) listener(event);
          })
          .catch(() => undefined);
      });
    },
  };
}

/**
 * MCP handlers, one per principal when auth is on (each MCP server sees only what its caller may),
 * a single shared one otherwise. Keyed by `principal.id`, which pins the visibility (a name alone is
 * not unique). Bounded; room is made by closing a handler without sessions, else 429. `invalidate()` drops them all
 * (the tokens file changed: a cached handler would go on serving the old principal).
 */
export class McpMount {
  private readonly handlers = new Map<string, McpHttpHandler>();

  constructor(
    private readonly store: CardStore,
    private readonly options: {
      publicUrl?: string;
      /** The links' base URL from a session's initialize request when `publicUrl` is unset. */
      publicUrlFor?: (request: Request) => string | undefined;
      perPrincipal: boolean;
      maxHandlers?: number;
      /** Sessions per client (see `handle`): one client cannot close another's. Default 10. */
      maxSessionsPerClient?: number;
      /** The REST routes' renderer, so MCP serves the same (signed) cards. */
      renderCard?: CardRenderer;
    },
  ) {}

  /** `client` bounds sessions: the principal with auth on, the client address without. */
  handle(request: Request, principal: Principal, client: string): Promise<Response> {
    const key = this.options.perPrincipal ? principal.id : '*';
    let handler = this.handlers.get(key);
    if (handler) {
      this.handlers.delete(key);
    } else {
      const reader = this.options.perPrincipal ? readerFor(this.store, principal) : this.store;
      handler = createMcpHttpHandler(reader, {
        ...(this.options.publicUrl ? { publicUrl: this.options.publicUrl } : {}),
        publicUrlFor: this.options.publicUrlFor ?? (() => undefined),
        maxSessionsPerClient: this.options.maxSessionsPerClient ?? 10,
        ...(this.options.renderCard ? { renderCard: this.options.renderCard } : {}),
      });
      if (this.handlers.size >= (this.options.maxHandlers ?? 100)) {
        // Room is made only from principals without an open session: never by ending another's.
        const idle = [...this.handlers].find(([, candidate]) => candidate.sessionCount === 0);
        if (!idle) {
          void handler.close();
          return Promise.resolve(
            statusResponse(
              status(429, 'TooManyRequests', 'too many principals hold MCP sessions; retry later'),
              { 'retry-after': '30' },
            ),
          );
        }
        this.handlers.delete(idle[0]);
        void idle[1].close();
      }
    }
    this.handlers.set(key, handler);
    return handler.handle(request, { client });
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
