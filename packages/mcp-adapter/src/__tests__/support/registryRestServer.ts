import { createServer, type ServerResponse } from 'node:http';
import type { AgentCard } from '@agent-registry/crds';
import type { CardEvent, CardQuery } from '../../registryReader.js';
import { pageOf } from './memoryRegistry.js';
import { listen, type RunningServer } from './webServer.js';

const API = '/api/v1alpha1/registry/cards';

export interface RestRegistryServer extends RunningServer {
  /** Cards served, keyed `namespace/name`. */
  cards: Map<string, AgentCard>;
  /** Adds or replaces a card and sends the change to watchers. */
  upsert(card: AgentCard): void;
  delete(namespace: string, name: string): void;
  /** Cuts every open watch stream, as a restarting proxy would. */
  dropWatches(): void;
  /** Each request seen: path with query, and the headers the reader sends. */
  requests: { url: string; authorization?: string; lastEventId?: string }[];
  readonly watchCount: number;
}

/**
 * A stand-in for the registry app's REST contract (docs/contracts.md "Registry
 * REST"): list with filters and `continue`, get, and the SSE watch with
 * monotonic ids and `Last-Event-ID` resume (without one, the stream starts with
 * ADDED for every card, as the registry's does). Requires `token` when given.
 */
export async function startRestRegistry(
  initial: AgentCard[],
  options: { token?: string } = {},
): Promise<RestRegistryServer> {
  const cards = new Map(
    initial.map((card) => [`${card.metadata.namespace ?? 'default'}/${card.metadata.name}`, card]),
  );
  const log: { id: number; event: CardEvent }[] = [];
  const watchers = new Set<ServerResponse>();
  const requests: RestRegistryServer['requests'] = [];

  const status = (res: ServerResponse, code: number, reason: string, message: string) => {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ apiVersion: 'v1', kind: 'Status', status: 'Failure', code, reason, message }));
  };
  const send = (res: ServerResponse, entry: { id: number; event: CardEvent }) =>
    res.write(`event: ${entry.event.type}\nid: ${entry.id}\ndata: ${JSON.stringify(entry.event.card)}\n\n`);
  const record = (event: CardEvent) => {
    const entry = { id: log.length + 1, event };
    log.push(entry);
    for (const res of watchers) send(res, entry);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const lastEventId = req.headers['last-event-id'];
    requests.push({
      url: `${url.pathname}${url.search}`,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      ...(typeof lastEventId === 'string' ? { lastEventId } : {}),
    });
    if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
      return status(res, 401, 'Unauthorized', 'a valid bearer token is required');
    }
    if (url.pathname === API && url.searchParams.get('watch') === 'true') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(': watching\n\n');
      if (typeof lastEventId === 'string') {
        for (const entry of log) if (entry.id > Number(lastEventId)) send(res, entry);
      } else {
        // Like the registry: without a resume point, first ADDED for every card.
        for (const card of cards.values()) send(res, { id: log.length, event: { type: 'ADDED', card } });
      }
      watchers.add(res);
      res.on('close', () => watchers.delete(res));
      return;
    }
    if (url.pathname === API) {
      const query: CardQuery = {};
      for (const key of ['q', 'skill', 'tag', 'namespace', 'labelSelector', 'continue'] as const) {
        const value = url.searchParams.get(key);
        if (value !== null) query[key] = value;
      }
      const health = url.searchParams.get('health');
      if (health !== null) query.health = health as CardQuery['health'];
      const limit = url.searchParams.get('limit');
      if (limit !== null) query.limit = Number(limit);
      let page;
      try {
        page = pageOf([...cards.values()], query);
      } catch (error) {
        return status(res, 400, 'BadRequest', (error as Error).message);
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          apiVersion: 'kagent.dev/v1alpha1',
          kind: 'AgentCardList',
          metadata: {
            ...(page.continue ? { continue: page.continue } : {}),
            resourceVersion: String(log.length),
          },
          items: page.items,
        }),
      );
      return;
    }
    const match = /^\/api\/v1alpha1\/registry\/cards\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (match) {
      const key = `${decodeURIComponent(match[1]!)}/${decodeURIComponent(match[2]!)}`;
      const card = cards.get(key);
      if (!card) return status(res, 404, 'NotFound', `agentcards "${key}" not found`);
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify(card));
    }
    status(res, 404, 'NotFound', `no route ${url.pathname}`);
  });

  const running = await listen(server);
  return {
    ...running,
    cards,
    requests,
    get watchCount() {
      return watchers.size;
    },
    upsert(card) {
      const key = `${card.metadata.namespace ?? 'default'}/${card.metadata.name}`;
      const type = cards.has(key) ? 'MODIFIED' : 'ADDED';
      cards.set(key, card);
      record({ type, card });
    },
    delete(namespace, name) {
      const card = cards.get(`${namespace}/${name}`);
      if (!card) return;
      cards.delete(`${namespace}/${name}`);
      record({ type: 'DELETED', card });
    },
    dropWatches() {
      for (const res of watchers) res.destroy();
      watchers.clear();
    },
  };
}
