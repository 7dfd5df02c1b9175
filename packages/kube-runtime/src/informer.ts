import { CustomObjectsApi, Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { delayFor, jittered } from './backoff.js';
import { describeError, httpStatus } from './kubeErrors.js';
import { silentLogger, type Logger } from './logger.js';
import { sleep } from './sleep.js';

/** A resource type an informer can follow (any group served under `/apis`). */
export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  kind: string;
}

/** What an informer needs of an object: its identity and version (client-node's objects and stricter typed ones). */
export interface InformerObject {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
}

export type InformerEventType = 'add' | 'update' | 'delete';
/**
 * `key` is the object's cache key (`namespace/name`, `/name` for a cluster-scoped one): the string
 * the cache holds it by, which a handler keeping the object by the same key can keep too.
 */
export type InformerHandler<T> = (type: InformerEventType, object: T, key: string) => void;

/**
 * - `pending`: no successful list yet;
 * - `synced`: the cache holds a complete list and follows a watch;
 * - `absent`: the resource type is not served (CRD not installed) — retried with backoff.
 */
export type InformerState = 'pending' | 'synced' | 'absent';

/** Connection details, for readiness endpoints and metrics. */
export interface InformerStatus {
  state: InformerState;
  /** A watch request is currently accepted by the apiserver. */
  connected: boolean;
  /** Completed (re)lists. */
  lists: number;
  /** The error of the current outage; cleared once a watch is accepted again. */
  lastError: string | undefined;
}

export interface InformerOptions<T extends InformerObject = KubernetesObject> {
  kubeConfig: KubeConfig;
  resource: ResourceType;
  /** Watch one namespace; undefined = all namespaces. */
  namespace?: string;
  logger?: Logger;
  /** Items per list page. Default 500. */
  pageSize?: number;
  /** Reconnect backoff bounds (exponential, ±20 % jitter). Default 250 ms .. 30 s. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /**
   * HTTP statuses of a first list that mean "not available here": the state
   * turns `absent` (readiness does not wait) while the informer keeps
   * retrying. Default [404] (CRD not installed); [] keeps it `pending`.
   */
  absentOn?: readonly number[];
  /**
   * Shapes each object as the apiserver sent it before it is cached (keep only
   * what readers need, or validate). Returning undefined rejects the object:
   * it is treated as not existing (a cached version is deleted).
   */
  transform?: (object: T) => T | undefined;
}

/**
 * A list+watch cache of one resource type (in one namespace or all), written
 * for the failure modes client-node's ListWatch leaves to the caller: it
 * reconnects after any error with jittered exponential backoff (the apiserver
 * restarting, the network), resumes watches from the last resourceVersion
 * (bookmarks keep it fresh), relists page by page on 410 Gone and emits only
 * the differences as events, and keeps retrying quietly while the CRD is not
 * installed. While disconnected the cache keeps its last known state.
 */
export class Informer<T extends InformerObject = KubernetesObject> {
  readonly resource: ResourceType;
  readonly namespace: string | undefined;
  private readonly options: InformerOptions<T>;
  private readonly custom: CustomObjectsApi;
  private readonly watcher: Watch;
  private readonly logger: Logger;
  private store = new Map<string, T>();
  private resourceVersion = '';
  private handlers: InformerHandler<T>[] = [];
  private abort = new AbortController();
  private watchAbort: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private currentState: InformerState = 'pending';
  private syncWaiters: (() => void)[] = [];
  private attemptWaiters: (() => void)[] = [];
  private attempted = false;
  private connected = false;
  private lastError: string | undefined;
  /** Number of completed (re)lists. */
  lists = 0;

  constructor(options: InformerOptions<T>) {
    this.options = options;
    this.resource = options.resource;
    this.namespace = options.namespace;
    this.custom = options.kubeConfig.makeApiClient(CustomObjectsApi);
    this.watcher = new Watch(options.kubeConfig);
    this.logger = (options.logger ?? silentLogger).child({
      informer: `${options.resource.plural}.${options.resource.group}`,
      namespace: options.namespace ?? '*',
    });
  }

  get state(): InformerState {
    return this.currentState;
  }

  /** True once the cache was filled by a complete list (or the type is known to be absent). */
  get hasSynced(): boolean {
    return this.currentState !== 'pending';
  }

  get status(): InformerStatus {
    return {
      state: this.currentState,
      connected: this.connected,
      lists: this.lists,
      lastError: this.lastError,
    };
  }

  get size(): number {
    return this.store.size;
  }

  on(handler: InformerHandler<T>): void {
    this.handlers.push(handler);
  }

  get(namespace: string, name: string): T | undefined {
    return this.store.get(`${namespace}/${name}`);
  }

  list(): T[] {
    return [...this.store.values()];
  }

  /** Resolves when {@link hasSynced} (or the informer stops). */
  whenSynced(): Promise<void> {
    if (this.hasSynced || this.abort.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /** Resolves once the first list succeeded or failed (or the informer stops): startup need not wait longer. */
  whenAttempted(): Promise<void> {
    if (this.attempted || this.abort.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => this.attemptWaiters.push(resolve));
  }

  start(): void {
    if (this.loop) return;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.watchAbort?.abort();
    this.releaseWaiters();
    this.markAttempted();
    await this.loop;
  }

  private path(): string {
    const { group, version, plural } = this.resource;
    return this.namespace
      ? `/apis/${group}/${version}/namespaces/${this.namespace}/${plural}`
      : `/apis/${group}/${version}/${plural}`;
  }

  private async run(): Promise<void> {
    let failures = 0;
    let outage = false;
    while (!this.abort.signal.aborted) {
      try {
        if (this.resourceVersion === '') await this.relist();
        this.markAttempted();
        await this.watchOnce(() => {
          // A watch was accepted: the connection is back.
          failures = 0;
          this.lastError = undefined;
          if (outage) this.logger.info('watch reconnected', { lists: this.lists });
          outage = false;
        });
      } catch (error) {
        this.connected = false;
        if (this.abort.signal.aborted) break;
        const status = httpStatus(error);
        if (status === 410) {
          this.logger.info('watch expired (410 Gone): relisting');
          this.resourceVersion = '';
          continue;
        }
        failures += 1;
        this.lastError = describeError(error);
        const absent = status !== undefined && (this.options.absentOn ?? [404]).includes(status);
        if (absent && this.currentState === 'pending') this.setState('absent');
        this.markAttempted();
        // One line per outage, not one per retry.
        if (!outage) {
          outage = true;
          this.logger[absent ? 'warn' : 'error'](
            status === 404
              ? 'resource type not served (CRD not installed?): retrying with backoff'
              : status === 403
                ? 'list/watch forbidden (RBAC?): retrying with backoff'
                : 'list/watch failed: retrying with backoff',
            { error: this.lastError },
          );
        }
        const delay = jittered(
          delayFor(failures, this.options.backoffBaseMs ?? 250, this.options.backoffMaxMs ?? 30_000),
        );
        await sleep(delay, this.abort.signal);
      }
    }
  }

  /** A paged list; the cache then changes (and emits) only where the cluster differs from it. */
  private async relist(): Promise<void> {
    const { group, version, plural } = this.resource;
    const { transform } = this.options;
    const next = new Map<string, T>();
    let resourceVersion = '';
    let continueToken: string | undefined;
    do {
      const paging = {
        group,
        version,
        plural,
        limit: this.options.pageSize ?? 500,
        _continue: continueToken,
      };
      const page = (await (this.namespace
        ? this.custom.listNamespacedCustomObject({ ...paging, namespace: this.namespace })
        : this.custom.listClusterCustomObject(paging))) as {
        items?: T[];
        metadata?: { resourceVersion?: string; continue?: string };
      };
      for (const item of page.items ?? []) {
        const object = transform ? transform(item) : item;
        if (object) next.set(keyOf(object), object);
      }
      resourceVersion ||= page.metadata?.resourceVersion ?? '';
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);

    const previous = this.store;
    this.store = next;
    this.resourceVersion = resourceVersion;
    this.lists += 1;
    if (this.lists === 1) this.logger.info('initial list done', { objects: next.size });
    for (const [key, old] of previous) if (!next.has(key)) this.emit('delete', old, key);
    for (const [key, item] of next) {
      const old = previous.get(key);
      if (!old) this.emit('add', item, key);
      else if (old.metadata?.resourceVersion !== item.metadata?.resourceVersion) {
        this.emit('update', item, key);
      }
    }
    this.setState('synced');
  }

  /** One watch request; resolves when it ends, rejects on errors (an in-stream 410 included). */
  private watchOnce(onConnected: () => void): Promise<void> {
    // The server ends the watch after 5–10 min; the client-side deadline also replaces a silently dead connection.
    const timeoutSeconds = 300 + Math.floor(Math.random() * 300);
    return new Promise<void>((resolve, reject) => {
      let failure: unknown;
      let ended = false;
      const deadline = setTimeout(() => this.watchAbort?.abort(), (timeoutSeconds + 30) * 1000);
      deadline.unref();
      const done = (error: unknown): void => {
        if (ended) return;
        ended = true;
        clearTimeout(deadline);
        this.watchAbort = undefined;
        this.connected = false;
        if (failure) reject(failure);
        else if (error && !this.abort.signal.aborted && (error as Error).name !== 'AbortError') reject(error);
        else resolve();
      };
      this.watcher
        .watch(
          this.path(),
          { resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds },
          (type: string, received: T & { code?: number; message?: string }) => {
            if (type === 'ERROR') {
              failure = Object.assign(new Error(received.message ?? 'watch error'), {
                code: received.code ?? 500,
              });
              this.watchAbort?.abort();
              return;
            }
            const rv = received.metadata?.resourceVersion;
            if (type === 'ADDED' || type === 'MODIFIED') this.apply(received);
            else if (type === 'DELETED') this.delete(keyOf(received));
            if (rv) this.resourceVersion = rv;
          },
          done,
        )
        .then((controller) => {
          if (ended) return;
          this.watchAbort = controller;
          this.connected = true;
          onConnected();
          if (this.abort.signal.aborted) controller.abort();
        }, done);
    });
  }

  private apply(received: T): void {
    const { transform } = this.options;
    const object = transform ? transform(received) : received;
    const key = keyOf(received);
    if (!object) return this.delete(key);
    const existed = this.store.has(key);
    this.store.set(key, object);
    this.emit(existed ? 'update' : 'add', object, key);
  }

  private delete(key: string): void {
    const old = this.store.get(key);
    if (!old) return; // never cached (or rejected by the transform): nothing to delete
    this.store.delete(key);
    this.emit('delete', old, key);
  }

  private emit(type: InformerEventType, object: T, key: string): void {
    for (const handler of this.handlers) {
      try {
        handler(type, object, key);
      } catch (error) {
        this.logger.error('informer handler threw', { error });
      }
    }
  }

  private setState(state: InformerState): void {
    if (this.currentState === state) return;
    this.currentState = state;
    if (state !== 'pending') this.releaseWaiters();
  }

  private releaseWaiters(): void {
    const waiters = this.syncWaiters;
    this.syncWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private markAttempted(): void {
    if (this.attempted) return;
    this.attempted = true;
    const waiters = this.attemptWaiters;
    this.attemptWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

export function keyOf(object: InformerObject): string {
  return `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}
