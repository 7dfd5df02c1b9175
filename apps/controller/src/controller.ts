import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { delimiter } from 'node:path';
import { KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { DEFAULT_MANAGED_BY } from '@agent-registry/card-generator';
import type { AgentCard } from '@agent-registry/crds';
import { CardClient, type WriteCounts } from './cardClient.js';
import type { ControllerConfig } from './config.js';
import { EndpointReadiness } from './endpointReadiness.js';
import { EventRecorder } from './events.js';
import { startHealthServer, type HealthServer } from './healthServer.js';
import { Informer, keyOf, describeError, WorkQueue } from '@agent-registry/kube-runtime';
import { LeaderElector } from './leaderElection.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type ControllerMetrics, type ReconcileResult } from './metrics.js';
import { Prober } from './prober.js';
import { createReconciler, isManaged, type ObservedState } from './reconciler.js';
import { AGENT_CARD_RESOURCE, cardKey, SOURCE_KINDS, type SourceKind } from './sources.js';
import { TRACER_NAME } from './telemetry.js';
import { WriteMemo } from './writeMemo.js';

export interface ControllerOptions {
  /** Overrides loading a kubeconfig from the configuration. */
  kubeConfig?: KubeConfig;
  logger?: Logger;
  /** Leader election identity. Default `<hostname>_<random>`. */
  identity?: string;
  /** Start the /healthz, /readyz, /metrics server. Default true. */
  httpServer?: boolean;
  /** Collect default process metrics. Default true. */
  processMetrics?: boolean;
  /** Max wait for in-flight reconciles on stop. Default 20 s. */
  shutdownTimeoutMs?: number;
  /** Value of the managed-by label. Default `agent-registry`. */
  managedBy?: string;
  /** Leader election retry period override (tests). */
  leaderRetryPeriodMs?: number;
  /** The fetch probes use (tests stand in for cluster DNS). Default: the global fetch. */
  probeFetch?: typeof fetch;
}

export interface RunningController {
  readonly identity: string;
  readonly metrics: ControllerMetrics;
  /** Base URL of the health/metrics server, when started. */
  readonly httpUrl: string | undefined;
  /** Writes issued by this instance (spec applies, status applies, deletes, events). */
  writes(): WriteCounts & { event: number };
  isLeader(): boolean;
  /** All informer caches have synced (or their CRD is absent). */
  isReady(): boolean;
  whenReady(): Promise<void>;
  /** Resolves when the work queue is empty and idle (only meaningful while leading). */
  whenIdle(): Promise<void>;
  /** Queues every known key (what the periodic resync does). */
  resync(): number;
  stop(): Promise<void>;
}

/** A kubeconfig from --kubeconfig, else in-cluster, else the default (~/.kube/config, KUBECONFIG). */
export function loadKubeConfig(config: Pick<ControllerConfig, 'kubeconfig'>): KubeConfig {
  const kubeConfig = new KubeConfig();
  // KUBECONFIG may be a list of files (a:b); client-node's default loader merges those.
  if (config.kubeconfig && !config.kubeconfig.includes(delimiter)) kubeConfig.loadFromFile(config.kubeconfig);
  else if (config.kubeconfig) kubeConfig.loadFromDefault();
  else if (process.env.KUBERNETES_SERVICE_HOST) kubeConfig.loadFromCluster();
  else kubeConfig.loadFromDefault();
  return kubeConfig;
}

/**
 * Starts the controller: informers on every replica (fast failover), work
 * queue, reconciler and prober only on the leader. Resolves once the HTTP
 * server listens (caches sync in the background; see `whenReady`).
 */
export async function startController(
  config: ControllerConfig,
  options: ControllerOptions = {},
): Promise<RunningController> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const kubeConfig = options.kubeConfig ?? loadKubeConfig(config);
  const identity = options.identity ?? `${process.env.POD_NAME || hostname()}_${randomUUID().slice(0, 8)}`;
  const managedBy = options.managedBy ?? DEFAULT_MANAGED_BY;
  const tracer = trace.getTracer(TRACER_NAME);

  // Informers: one per kind for all namespaces, or one per kind per watched namespace.
  const scopes: (string | undefined)[] = config.namespaces.length > 0 ? config.namespaces : [undefined];
  const sourceInformers = new Map<SourceKind['id'], Map<string | undefined, Informer>>();
  const cardInformers = new Map<string | undefined, Informer<AgentCard & KubernetesObject>>();
  for (const kind of SOURCE_KINDS) {
    sourceInformers.set(
      kind.id,
      new Map(
        scopes.map((ns) => [
          ns,
          new Informer({ kubeConfig, resource: kind.resource, namespace: ns, logger }),
        ]),
      ),
    );
  }
  for (const ns of scopes) {
    cardInformers.set(
      ns,
      new Informer<AgentCard & KubernetesObject>({
        kubeConfig,
        resource: AGENT_CARD_RESOURCE,
        namespace: ns,
        logger,
      }),
    );
  }
  const allInformers: Informer[] = [
    ...[...sourceInformers.values()].flatMap((byNs) => [...byNs.values()]),
    ...(cardInformers.values() as Iterable<Informer>),
  ];
  // Read by the prober only: not a source of work queue keys.
  const endpoints = new EndpointReadiness({ kubeConfig, namespaces: config.namespaces, logger });
  const cacheInformers: Informer[] = [...allInformers, ...endpoints.informers];
  const scopeOf = (namespace: string): string | undefined =>
    config.namespaces.length > 0 ? namespace : undefined;

  const state: ObservedState = {
    source: (kind, namespace, name) =>
      sourceInformers.get(kind.id)?.get(scopeOf(namespace))?.get(namespace, name),
    sourceSynced: (kind, namespace) =>
      sourceInformers.get(kind.id)?.get(scopeOf(namespace))?.hasSynced ?? false,
    card: (namespace, name) => cardInformers.get(scopeOf(namespace))?.get(namespace, name),
  };
  const managedCards = function* (): Iterable<[string, AgentCard]> {
    for (const informer of cardInformers.values()) {
      for (const card of informer.list()) if (isManaged(card, managedBy)) yield [keyOf(card), card];
    }
  };

  const metrics = createMetrics({
    processMetrics: options.processMetrics,
    countCards: () => {
      const counts = { Healthy: 0, Unhealthy: 0, Unknown: 0 };
      for (const [, card] of managedCards()) counts[card.status?.health ?? 'Unknown'] += 1;
      return counts;
    },
  });
  const client = new CardClient(kubeConfig, config.fieldManager, (kind) => metrics.writesTotal.inc({ kind }));
  const events = new EventRecorder({
    kubeConfig,
    controller: 'agent-registry.dev/controller',
    instance: identity,
    logger,
    onWrite: () => metrics.writesTotal.inc({ kind: 'event' }),
  });

  const queue = new WorkQueue({
    concurrency: config.concurrency,
    onDepthChange: (depth) => metrics.workqueueDepth.set(depth),
    onError: (key, error, retryInMs) =>
      logger.warn('reconcile failed', { key, error: describeError(error), retryInMs }),
  });
  const prober = new Prober({
    endpoints,
    ...(options.probeFetch ? { fetch: options.probeFetch } : {}),
    intervalMs: config.probeIntervalMs,
    timeoutMs: config.probeTimeoutMs,
    concurrency: config.probeConcurrency,
    clusterDomain: config.clusterDomain,
    logger,
    metrics,
    cards: managedCards,
    onChange: (key) => queue.add(key),
  });
  const specMemo = new WriteMemo();
  const statusMemo = new WriteMemo();
  for (const informer of cardInformers.values()) {
    informer.on((type, card) => {
      const key = keyOf(card);
      if (type === 'delete') {
        specMemo.forget(key);
        statusMemo.forget(key);
        return;
      }
      specMemo.observe(key, card.metadata?.resourceVersion);
      statusMemo.observe(key, card.metadata?.resourceVersion);
    });
  }
  const reconcile = createReconciler({
    specMemo,
    statusMemo,
    state,
    client,
    events,
    probeOutcome: (key, url) => prober.outcome(key, url),
    onCardDeleted: (key) => prober.forget(key),
    generateOptions: {
      clusterDomain: config.clusterDomain,
      defaultPort: config.defaultPort,
      a2aVersion: config.a2aVersion,
      managedBy,
    },
    probeIntervalMs: config.probeIntervalMs,
    logger,
  });

  const handle = (key: string) =>
    tracer.startActiveSpan('reconcile', async (span) => {
      span.setAttribute('agent_registry.key', key);
      const started = performance.now();
      let result: ReconcileResult = 'error';
      try {
        const outcome = await reconcile(key);
        result = outcome.requeueAfterMs === undefined ? 'success' : 'requeue';
        span.setAttribute('agent_registry.action', outcome.action);
        if (outcome.action !== 'none')
          logger.debug('reconciled', { key, action: outcome.action, detail: outcome.detail });
        return outcome.requeueAfterMs === undefined ? undefined : { requeueAfterMs: outcome.requeueAfterMs };
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: describeError(error) });
        throw error;
      } finally {
        span.setAttribute('agent_registry.result', result);
        metrics.reconcileTotal.inc({ result });
        metrics.reconcileDuration.observe((performance.now() - started) / 1000);
        span.end();
      }
    });

  // Every event about an agent or a card queues the card's key; the queue de-duplicates.
  for (const informer of allInformers) {
    informer.on((_type, object) => {
      const { namespace, name } = object.metadata ?? {};
      if (namespace && name) queue.add(cardKey(namespace, name));
    });
  }

  const resync = (): number => {
    const keys = new Set<string>();
    for (const informer of allInformers) for (const object of informer.list()) keys.add(keyOf(object));
    for (const key of keys) queue.add(key);
    return keys.size;
  };

  let working = false;
  let stopping = false;
  let resyncTimer: ReturnType<typeof setInterval> | undefined;
  const isReady = (): boolean => cacheInformers.every((informer) => informer.hasSynced);
  const whenReady = async (): Promise<void> => {
    await Promise.all(cacheInformers.map((informer) => informer.whenSynced()));
  };

  const startWork = async (): Promise<void> => {
    if (working || stopping) return;
    working = true;
    metrics.leader.set(1);
    await whenReady();
    if (!working || stopping) return;
    queue.start(handle);
    const keys = resync();
    prober.start();
    resyncTimer = setInterval(() => {
      const count = resync();
      logger.debug('periodic resync', { keys: count });
    }, config.resyncPeriodMs);
    resyncTimer.unref?.();
    logger.info('reconciling', {
      keys,
      namespaces: config.namespaces.length > 0 ? config.namespaces : 'all',
    });
  };
  const stopWork = async (): Promise<void> => {
    if (!working) return;
    working = false;
    metrics.leader.set(0);
    clearInterval(resyncTimer);
    queue.pause();
    await prober.stop();
  };

  for (const informer of cacheInformers) informer.start();
  whenReady().then(
    () =>
      logger.info('caches synced', {
        informers: cacheInformers.map((i) => `${i.resource.plural}.${i.resource.group}:${i.state}`),
      }),
    () => undefined,
  );

  const elector = config.leaderElect
    ? new LeaderElector({
        kubeConfig,
        leaseName: config.leaseName,
        leaseNamespace: config.leaseNamespace,
        identity,
        leaseDurationMs: config.leaseDurationMs,
        retryPeriodMs: options.leaderRetryPeriodMs,
        logger,
        onStartedLeading: () => void startWork(),
        onStoppedLeading: () => void stopWork(),
      })
    : undefined;
  metrics.leader.set(0);
  if (elector) elector.start();
  else void startWork();

  let server: HealthServer | undefined;
  if (options.httpServer ?? true) {
    server = await startHealthServer({
      host: config.httpHost,
      port: config.httpPort,
      registry: metrics.registry,
      isAlive: () => true,
      readiness: () => {
        if (stopping) return { ready: false, reason: 'shutting down' };
        const pending = cacheInformers
          .filter((i) => !i.hasSynced)
          .map((i) => `${i.resource.plural}.${i.resource.group}`);
        return pending.length === 0
          ? { ready: true }
          : { ready: false, reason: `caches not synced: ${pending.join(', ')}` };
      },
    });
    logger.info('serving /healthz, /readyz, /metrics', { url: server.url });
  }

  let stopped: Promise<void> | undefined;
  return {
    identity,
    metrics,
    httpUrl: server?.url,
    writes: () => ({ ...client.writes, event: events.emitted }),
    isLeader: () => working,
    isReady,
    whenReady,
    whenIdle: () => queue.whenIdle(),
    resync,
    stop() {
      stopped ??= (async () => {
        stopping = true;
        clearInterval(resyncTimer);
        queue.pause();
        await prober.stop();
        const drained = await queue.shutdown(options.shutdownTimeoutMs ?? 20_000);
        if (!drained) logger.warn('stopped with reconciles still in flight');
        working = false;
        await elector?.stop();
        metrics.leader.set(0);
        await Promise.all(cacheInformers.map((informer) => informer.stop()));
        await server?.close();
        logger.info('stopped');
      })();
      return stopped;
    },
  };
}
