import {
  AGENT_CARD_GROUP,
  AGENT_CARD_PLURAL,
  AGENT_CARD_VERSION,
  parseAgentCard,
  type AgentCard,
} from '@agent-registry/crds';
import { CustomObjectsApi, Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { silentLogger, type Logger } from '../logger.js';
import { IndexedCardStore } from './indexedCardStore.js';
import type { StoreReadiness } from './types.js';

export interface KubernetesStoreOptions {
  kubeConfig: KubeConfig;
  /** Namespaces to watch; empty = all (one cluster-wide list+watch). */
  namespaces?: readonly string[];
  eventBufferSize?: number;
  /** Reconnect backoff bounds (exponential, ±20 % jitter). Defaults 500 ms .. 30 s. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Items per list page. Default 500. */
  pageSize?: number;
  logger?: Logger;
}

/** One list+watch: a namespace, or the whole cluster. */
interface Watched {
  namespace: string | undefined;
  /** Where the next watch resumes; '' = list first. */
  resourceVersion: string;
  /** `namespace/name` of the cards this list+watch put into the index (a relist diffs against them). */
  keys: Set<string>;
  synced: boolean;
  connected: boolean;
  lists: number;
  lastError: string | undefined;
  watch: AbortController | undefined;
  /** Resolves `start()`'s wait once the first list was attempted. */
  firstAttempt: (() => void) | undefined;
}

type WatchEvent = KubernetesObject & { code?: number; message?: string };

const cardKey = (namespace: string, name: string): string => `${namespace}/${name}`;

/** The HTTP status of a client-node error (ApiException `code`, Watch `statusCode`), if any. */
function httpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  if (typeof code === 'number') return code;
  return typeof statusCode === 'number' ? statusCode : undefined;
}

/** A short description of a client-node error, without its (large) response body. */
function describeError(error: unknown): string {
  const status = httpStatus(error);
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  return status === undefined ? message : `HTTP ${status}: ${message}`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * An index of `AgentCard` resources kept by list + watch (per namespace with
 * `namespaces`, else cluster-wide), written with client-node's `Watch` because
 * its `ListWatch` stops at the first error. A dropped watch resumes from the
 * last resourceVersion (bookmarks keep it fresh); 410 Gone relists, and a relist
 * changes the index only where the cluster differs (no events for unchanged
 * cards); any other failure reconnects with jittered exponential backoff. While
 * disconnected the last known state keeps being served (and the store stays
 * ready). Reads never reach the apiserver, so replicas are stateless and cheap.
 */
export class KubernetesStore extends IndexedCardStore {
  private readonly watched: Watched[] = [];
  private readonly abort = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private readonly logger: Logger;
  private readonly api: CustomObjectsApi;
  private readonly watcher: Watch;

  constructor(private readonly options: KubernetesStoreOptions) {
    super(options.eventBufferSize);
    this.logger = (options.logger ?? silentLogger).child({ component: 'kubernetes-store' });
    this.api = options.kubeConfig.makeApiClient(CustomObjectsApi);
    this.watcher = new Watch(options.kubeConfig);
  }

  /** Starts a list+watch per namespace and resolves once each attempted its first list (see `readiness()`). */
  async start(): Promise<void> {
    const namespaces = this.options.namespaces?.length ? this.options.namespaces : [undefined];
    const attempted: Promise<void>[] = [];
    for (const namespace of namespaces) {
      const watched: Watched = {
        namespace,
        resourceVersion: '',
        keys: new Set(),
        synced: false,
        connected: false,
        lists: 0,
        lastError: undefined,
        watch: undefined,
        firstAttempt: undefined,
      };
      attempted.push(new Promise((resolve) => (watched.firstAttempt = resolve)));
      this.watched.push(watched);
      this.loops.push(this.run(watched));
    }
    await Promise.all(attempted);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    for (const watched of this.watched) watched.watch?.abort();
    await Promise.all(this.loops);
  }

  private async run(watched: Watched): Promise<void> {
    const scope = { namespace: watched.namespace ?? '*' };
    const minMs = this.options.minBackoffMs ?? 500;
    const maxMs = this.options.maxBackoffMs ?? 30_000;
    let delayMs = minMs;
    let outage = false;
    while (!this.abort.signal.aborted) {
      try {
        if (watched.resourceVersion === '') await this.relist(watched);
        watched.firstAttempt?.();
        await this.watchOnce(watched, () => {
          // A watch was accepted: the connection is back.
          delayMs = minMs;
          watched.lastError = undefined;
          if (outage) this.logger.info('watch reconnected', { ...scope, lists: watched.lists });
          outage = false;
        });
      } catch (error) {
        watched.connected = false;
        if (this.abort.signal.aborted) break;
        if (httpStatus(error) === 410) {
          this.logger.info('watch expired (410 Gone): relisting', scope);
          watched.resourceVersion = '';
          continue;
        }
        watched.lastError = describeError(error);
        watched.firstAttempt?.();
        // One line per outage, not one per retry.
        if (!outage)
          this.logger.warn('list/watch failed: retrying with backoff', {
            ...scope,
            error: watched.lastError,
          });
        outage = true;
        await sleep(Math.round(delayMs * (0.8 + 0.4 * Math.random())), this.abort.signal);
        delayMs = Math.min(delayMs * 2, maxMs);
      }
    }
  }

  /** A paged list; the index then changes only where the cluster differs from it. */
  private async relist(watched: Watched): Promise<void> {
    const request = { group: AGENT_CARD_GROUP, version: AGENT_CARD_VERSION, plural: AGENT_CARD_PLURAL };
    const items: KubernetesObject[] = [];
    let resourceVersion = '';
    let continueToken: string | undefined;
    do {
      const paging = { limit: this.options.pageSize ?? 500, _continue: continueToken };
      const page = (await (watched.namespace
        ? this.api.listNamespacedCustomObject({ ...request, ...paging, namespace: watched.namespace })
        : this.api.listClusterCustomObject({ ...request, ...paging }))) as {
        items?: KubernetesObject[];
        metadata?: { resourceVersion?: string; continue?: string };
      };
      items.push(...(page.items ?? []));
      resourceVersion ||= page.metadata?.resourceVersion ?? '';
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);

    const listed = new Set(
      items.map((item) => cardKey(item.metadata?.namespace ?? 'default', item.metadata?.name ?? '')),
    );
    for (const key of [...watched.keys]) {
      if (listed.has(key)) continue;
      const [namespace = '', name = ''] = key.split('/');
      this.remove(watched, namespace, name);
    }
    // upsert() emits nothing for a card whose content did not change.
    for (const item of items) this.upsert(watched, item);
    watched.resourceVersion = resourceVersion;
    watched.lists += 1;
    if (!watched.synced)
      this.logger.info('initial list done', { namespace: watched.namespace ?? '*', cards: listed.size });
    watched.synced = true;
  }

  /** One watch request: resolves when it ends, rejects on errors (an in-stream 410 included). */
  private watchOnce(watched: Watched, onConnected: () => void): Promise<void> {
    const { namespace } = watched;
    const base = `/apis/${AGENT_CARD_GROUP}/${AGENT_CARD_VERSION}`;
    const path = namespace
      ? `${base}/namespaces/${namespace}/${AGENT_CARD_PLURAL}`
      : `${base}/${AGENT_CARD_PLURAL}`;
    // The server ends the watch after 5–10 min; the client-side limit also replaces a silently dead connection.
    const timeoutSeconds = 300 + Math.floor(Math.random() * 300);
    return new Promise<void>((resolve, reject) => {
      let failure: unknown;
      let ended = false;
      const deadline = setTimeout(() => watched.watch?.abort(), (timeoutSeconds + 30) * 1000);
      deadline.unref();
      const done = (error: unknown): void => {
        if (ended) return;
        ended = true;
        clearTimeout(deadline);
        watched.watch = undefined;
        watched.connected = false;
        if (failure) reject(failure);
        else if (error && !this.abort.signal.aborted && (error as Error).name !== 'AbortError') reject(error);
        else resolve();
      };
      const onEvent = (type: string, object: WatchEvent): void => {
        if (type === 'ERROR') {
          failure = Object.assign(new Error(object.message ?? 'watch error'), { code: object.code ?? 500 });
          watched.watch?.abort();
          return;
        }
        if (type === 'ADDED' || type === 'MODIFIED') this.upsert(watched, object);
        else if (type === 'DELETED') {
          this.remove(watched, object.metadata?.namespace ?? 'default', object.metadata?.name ?? '');
        }
        const resourceVersion = object.metadata?.resourceVersion;
        if (resourceVersion) watched.resourceVersion = resourceVersion;
      };
      this.watcher
        .watch(
          path,
          { resourceVersion: watched.resourceVersion, allowWatchBookmarks: true, timeoutSeconds },
          onEvent,
          done,
        )
        .then((controller) => {
          if (ended) return;
          watched.watch = controller;
          watched.connected = true;
          onConnected();
          if (this.abort.signal.aborted) controller.abort();
        }, done);
    });
  }

  private upsert(watched: Watched, object: KubernetesObject): void {
    const parsed = parseAgentCard(object);
    if (!parsed.success) {
      const { namespace = 'default', name = '' } = object.metadata ?? {};
      this.logger.warn('ignoring an invalid AgentCard', {
        namespace,
        name,
        issues: parsed.issues.slice(0, 10),
      });
      this.remove(watched, namespace, name);
      return;
    }
    const card: AgentCard = parsed.value;
    // managedFields are noise for readers and large; drop them from what the API serves.
    delete card.metadata.managedFields;
    watched.keys.add(cardKey(card.metadata.namespace ?? 'default', card.metadata.name));
    this.index.upsert(card);
  }

  private remove(watched: Watched, namespace: string, name: string): void {
    watched.keys.delete(cardKey(namespace, name));
    this.index.delete(namespace, name);
  }

  /**
   * Ready once every list+watch completed its first list. A later disconnect
   * does not make the store unready: it serves the last known state (as a
   * cache should, so an apiserver restart does not take every replica out of
   * service) and shows `connected: false` and `lastError` in the details.
   */
  readiness(): StoreReadiness {
    const ready = this.watched.length > 0 && this.watched.every((watched) => watched.synced);
    return {
      ready,
      details: {
        store: 'kubernetes',
        cards: this.index.size,
        informers: this.watched.map((watched) => ({
          namespace: watched.namespace ?? '*',
          synced: watched.synced,
          connected: watched.connected,
          lists: watched.lists,
          ...(watched.lastError ? { lastError: watched.lastError } : {}),
        })),
      },
    };
  }
}
