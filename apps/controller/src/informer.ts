import { CustomObjectsApi, Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { delayFor, jittered } from './backoff.js';
import { describeError, httpStatus } from './kubeErrors.js';
import type { Logger } from './logger.js';

/** A custom resource type an informer can follow. */
export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  kind: string;
}

export type InformerEventType = 'add' | 'update' | 'delete';
export type InformerHandler<T> = (type: InformerEventType, object: T) => void;

/**
 * - `pending`: no successful list yet;
 * - `synced`: the cache holds a complete list and follows a watch;
 * - `absent`: the resource type is not served (CRD not installed) — retried with backoff.
 */
export type InformerState = 'pending' | 'synced' | 'absent';

export interface InformerOptions<T extends KubernetesObject = KubernetesObject> {
  kubeConfig: KubeConfig;
  resource: ResourceType;
  /** Watch one namespace; undefined = all namespaces. */
  namespace?: string;
  logger: Logger;
  /** Items per list page. Default 500. */
  pageSize?: number;
  /** Reconnect backoff bounds. Default 250 ms .. 30 s. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /**
   * HTTP statuses of a first list that mean "not available here": the state
   * turns `absent` (readiness does not wait) while the informer keeps
   * retrying. Default [404] (CRD not installed).
   */
  absentOn?: readonly number[];
  /** Shrinks each object before it is cached (keep only what readers need). */
  transform?: (object: T) => T;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * A list+watch cache of one resource type (in one namespace or all), written
 * for the failure modes client-node's ListWatch leaves to the caller: it
 * reconnects after any error with jittered exponential backoff (the apiserver
 * restarting, the network), resumes watches from the last resourceVersion
 * (bookmarks keep it fresh), relists on 410 Gone and emits the differences as
 * events, and keeps retrying quietly while the CRD is not installed.
 */
export class Informer<T extends KubernetesObject = KubernetesObject> {
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
  /** Number of completed (re)lists, for tests and metrics. */
  lists = 0;

  constructor(options: InformerOptions<T>) {
    this.options = options;
    this.resource = options.resource;
    this.namespace = options.namespace;
    this.custom = options.kubeConfig.makeApiClient(CustomObjectsApi);
    this.watcher = new Watch(options.kubeConfig);
    this.logger = options.logger.child({
      informer: `${options.resource.plural}.${options.resource.group}`,
      ...(options.namespace ? { namespace: options.namespace } : {}),
    });
  }

  get state(): InformerState {
    return this.currentState;
  }

  /** True once the cache was filled by a complete list (or the type is known to be absent). */
  get hasSynced(): boolean {
    return this.currentState !== 'pending';
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

  start(): void {
    if (this.loop) return;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.watchAbort?.abort();
    this.releaseWaiters();
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
    let loggedFailure = false;
    while (!this.abort.signal.aborted) {
      try {
        if (this.resourceVersion === '') await this.relist();
        if (loggedFailure) this.logger.info('informer recovered');
        loggedFailure = false;
        failures = 0;
        await this.watchOnce();
      } catch (error) {
        if (this.abort.signal.aborted) break;
        const status = httpStatus(error);
        if (status === 410) {
          this.logger.debug('watch expired (410 Gone): relisting');
          this.resourceVersion = '';
          continue;
        }
        failures += 1;
        const absent = status !== undefined && (this.options.absentOn ?? [404]).includes(status);
        if (absent && this.currentState === 'pending') {
          this.setState('absent');
        }
        // One line per outage, not one per retry.
        if (!loggedFailure) {
          loggedFailure = true;
          this.logger[absent ? 'warn' : 'error'](
            status === 404
              ? 'resource type not served (CRD not installed?): retrying with backoff'
              : status === 403
                ? 'list/watch forbidden (RBAC?): retrying with backoff'
                : 'list/watch failed: retrying with backoff',
            { error: describeError(error) },
          );
        }
        const delay = jittered(
          delayFor(failures, this.options.backoffBaseMs ?? 250, this.options.backoffMaxMs ?? 30_000),
        );
        await sleep(delay, this.abort.signal);
      }
    }
  }

  private async relist(): Promise<void> {
    const { group, version, plural } = this.resource;
    const items: T[] = [];
    let resourceVersion = '';
    let continueToken: string | undefined;
    do {
      const page = (await (this.namespace
        ? this.custom.listNamespacedCustomObject({
            group,
            version,
            plural,
            namespace: this.namespace,
            limit: this.options.pageSize ?? 500,
            _continue: continueToken,
          })
        : this.custom.listClusterCustomObject({
            group,
            version,
            plural,
            limit: this.options.pageSize ?? 500,
            _continue: continueToken,
          }))) as { items?: T[]; metadata?: { resourceVersion?: string; continue?: string } };
      const { transform } = this.options;
      for (const item of page.items ?? []) items.push(transform ? transform(item) : item);
      resourceVersion ||= page.metadata?.resourceVersion ?? '';
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);

    const previous = this.store;
    const next = new Map<string, T>();
    for (const item of items) next.set(keyOf(item), item);
    this.store = next;
    this.resourceVersion = resourceVersion;
    this.lists += 1;
    for (const [key, old] of previous) if (!next.has(key)) this.emit('delete', old);
    for (const [key, item] of next) {
      const old = previous.get(key);
      if (!old) this.emit('add', item);
      else if (old.metadata?.resourceVersion !== item.metadata?.resourceVersion) this.emit('update', item);
    }
    this.setState('synced');
  }

  /** One watch request; resolves when the server ends it, rejects on errors (410 included). */
  private watchOnce(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let expired: unknown;
      const timeoutSeconds = 300 + Math.floor(Math.random() * 300);
      const done = (error: unknown): void => {
        this.watchAbort = undefined;
        if (expired) reject(expired);
        else if (error && !this.abort.signal.aborted) reject(error);
        else resolve();
      };
      this.watcher
        .watch(
          this.path(),
          { resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds },
          (type: string, received: T & { code?: number; message?: string }) => {
            if (type === 'ERROR') {
              expired = Object.assign(new Error(received.message ?? 'watch error'), {
                code: received.code ?? 500,
              });
              this.watchAbort?.abort();
              return;
            }
            const rv = received.metadata?.resourceVersion;
            if (type === 'BOOKMARK') {
              if (rv) this.resourceVersion = rv;
              return;
            }
            const object = this.options.transform ? this.options.transform(received) : received;
            if (type === 'ADDED' || type === 'MODIFIED') {
              const key = keyOf(object);
              const existed = this.store.has(key);
              this.store.set(key, object);
              this.emit(existed ? 'update' : 'add', object);
            } else if (type === 'DELETED') {
              const key = keyOf(object);
              const old = this.store.get(key);
              this.store.delete(key);
              this.emit('delete', old ?? object);
            }
            if (rv) this.resourceVersion = rv;
          },
          done,
        )
        .then((controller) => {
          if (this.abort.signal.aborted) controller.abort();
          else this.watchAbort = controller;
        }, done);
    });
  }

  private emit(type: InformerEventType, object: T): void {
    for (const handler of this.handlers) {
      try {
        handler(type, object);
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
}

export function keyOf(object: KubernetesObject): string {
  return `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}
