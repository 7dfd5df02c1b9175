import {
  AGENT_CARD_GROUP,
  AGENT_CARD_PLURAL,
  AGENT_CARD_VERSION,
  parseAgentCard,
} from '@agent-registry/crds';
import {
  CustomObjectsApi,
  makeInformer,
  type Informer,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { silentLogger, type Logger } from '../logger.js';
import { IndexedCardStore } from './indexedCardStore.js';
import type { StoreReadiness } from './types.js';

export interface KubernetesStoreOptions {
  kubeConfig: KubeConfig;
  /** Namespaces to watch; empty = all (one cluster-wide informer). */
  namespaces?: readonly string[];
  eventBufferSize?: number;
  /** Reconnect backoff bounds. Defaults 500 ms .. 30 s. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  logger?: Logger;
}

interface Watched {
  namespace: string | undefined;
  informer: Informer<KubernetesObject>;
  synced: boolean;
  backoffMs: number;
  retry: NodeJS.Timeout | undefined;
  lastError: string | undefined;
}

/**
 * An informer-backed index of `AgentCard` resources: list + watch (per
 * namespace with `namespaces`, else cluster-wide), resuming from the last
 * resourceVersion, relisting on 410 Gone and reconnecting with exponential
 * backoff. Reads never reach the apiserver, so replicas are stateless and cheap.
 */
export class KubernetesStore extends IndexedCardStore {
  private readonly watched: Watched[] = [];
  private stopped = false;
  private readonly logger: Logger;

  constructor(private readonly options: KubernetesStoreOptions) {
    super(options.eventBufferSize);
    this.logger = (options.logger ?? silentLogger).child({ component: 'kubernetes-store' });
  }

  /** Starts the informers and waits for the first successful list of each (or throws after `timeoutMs`). */
  async start(): Promise<void> {
    const api = this.options.kubeConfig.makeApiClient(CustomObjectsApi);
    const namespaces = this.options.namespaces?.length ? this.options.namespaces : [undefined];
    const base = `/apis/${AGENT_CARD_GROUP}/${AGENT_CARD_VERSION}`;
    for (const namespace of namespaces) {
      const path = namespace
        ? `${base}/namespaces/${namespace}/${AGENT_CARD_PLURAL}`
        : `${base}/${AGENT_CARD_PLURAL}`;
      const list = async (): Promise<KubernetesListObject<KubernetesObject>> => {
        const request = { group: AGENT_CARD_GROUP, version: AGENT_CARD_VERSION, plural: AGENT_CARD_PLURAL };
        const result: KubernetesListObject<KubernetesObject> = namespace
          ? await api.listNamespacedCustomObject({ ...request, namespace })
          : await api.listClusterCustomObject(request);
        return result;
      };
      const informer = makeInformer(this.options.kubeConfig, path, list);
      const watched: Watched = {
        namespace,
        informer,
        synced: false,
        backoffMs: this.options.minBackoffMs ?? 500,
        retry: undefined,
        lastError: undefined,
      };
      informer.on('add', (object) => this.upsert(object, watched));
      informer.on('update', (object) => this.upsert(object, watched));
      informer.on('delete', (object) => this.remove(object, watched));
      informer.on('error', (error) => this.onError(watched, error));
      this.watched.push(watched);
    }
    await Promise.all(this.watched.map((watched) => this.run(watched)));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(
      this.watched.map(async (watched) => {
        clearTimeout(watched.retry);
        await watched.informer.stop();
      }),
    );
  }

  private async run(watched: Watched): Promise<void> {
    if (this.stopped) return;
    watched.lastError = undefined;
    await watched.informer.start();
    // start() resolves after the list (if one was needed) and the watch request; no error = in sync.
    if (watched.lastError === undefined && !this.stopped) {
      if (!watched.synced) this.logger.info('informer synced', { namespace: watched.namespace ?? '*' });
      watched.synced = true;
      watched.backoffMs = this.options.minBackoffMs ?? 500;
    }
  }

  private onError(watched: Watched, error: unknown): void {
    if (this.stopped) return;
    watched.lastError = error instanceof Error ? error.message : String(error);
    const delay = watched.backoffMs;
    watched.backoffMs = Math.min(delay * 2, this.options.maxBackoffMs ?? 30_000);
    this.logger.warn('watch failed; reconnecting', {
      namespace: watched.namespace ?? '*',
      delayMs: delay,
      error,
    });
    clearTimeout(watched.retry);
    watched.retry = setTimeout(() => void this.run(watched), delay);
    watched.retry.unref();
  }

  private upsert(object: KubernetesObject, watched: Watched): void {
    watched.backoffMs = this.options.minBackoffMs ?? 500;
    const parsed = parseAgentCard(object);
    if (!parsed.success) {
      const { namespace = 'default', name = '' } = object.metadata ?? {};
      this.logger.warn('ignoring an invalid AgentCard', {
        namespace,
        name,
        issues: parsed.issues.slice(0, 10),
      });
      this.index.delete(namespace, name);
      return;
    }
    const card = parsed.value;
    // managedFields are noise for readers and large; drop them from what the API serves.
    delete card.metadata.managedFields;
    this.index.upsert(card);
  }

  private remove(object: KubernetesObject, watched: Watched): void {
    watched.backoffMs = this.options.minBackoffMs ?? 500;
    this.index.delete(object.metadata?.namespace ?? 'default', object.metadata?.name ?? '');
  }

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
          ...(watched.lastError ? { lastError: watched.lastError } : {}),
        })),
      },
    };
  }
}
