import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { KubeConfig } from '@kubernetes/client-node';
import { trace } from '@opentelemetry/api';
import { Prober } from '@agent-registry/agent-prober';
import { createLogger } from '@agent-registry/app-shell';
import { DEFAULT_MANAGED_BY } from '@agent-registry/card-generator';
import { jkuKeys, loadVerificationKeys } from '@agent-registry/card-signing';
import {
  EventRecorder,
  keyOf,
  LeaderElector,
  loadKubeConfig,
  OwnWrites,
  ReconcileLoop,
  reuseConnections,
  startHealthServer,
  WriteMemo,
  type HealthServer,
  type Logger,
} from '@agent-registry/kube-runtime';
import { Caches } from './caches.js';
import { CardClient, type WriteCounts } from './cardClient.js';
import type { ControllerConfig } from './config.js';
import { createMetrics, type ControllerMetrics } from './metrics.js';
import { createReconciler } from './reconciler.js';
import { serviceReadinessPreflight } from './serviceReadiness.js';
import { cardKey } from './sources.js';
import { TRACER_NAME } from './tracing.js';

export interface ControllerOptions {
  /** Overrides loading a kubeconfig from the configuration. */
  kubeConfig?: KubeConfig;
  /** Default: JSON lines on stderr at the configured level. */
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

/**
 * Starts the controller: informers on every replica (fast failover), the
 * reconcile loop and the prober only on the leader. Resolves once the HTTP
 * server listens (caches sync in the background; see `whenReady`).
 */
export async function startController(
  config: ControllerConfig,
  options: ControllerOptions = {},
): Promise<RunningController> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  // Keep-alive connections for every client below: client-node alone pays a TLS handshake per request.
  const kubeConfig = reuseConnections(options.kubeConfig ?? loadKubeConfig(config.kubeconfig));
  const identity = options.identity ?? `${process.env.POD_NAME || hostname()}_${randomUUID().slice(0, 8)}`;
  const managedBy = options.managedBy ?? DEFAULT_MANAGED_BY;

  // Read (and refused, naming the file) at start: a mounted Secret that changes needs a restart.
  const jku =
    config.trustedJkuOrigins.length > 0 ? jkuKeys({ allowedOrigins: config.trustedJkuOrigins }) : undefined;
  const signatureTrust =
    config.trustedJwksFiles.length > 0 || jku
      ? {
          keys: config.trustedJwksFiles.length > 0 ? await loadVerificationKeys(config.trustedJwksFiles) : [],
          jku,
        }
      : undefined;
  const caches = new Caches({ kubeConfig, namespaces: config.namespaces, managedBy, logger });
  const metrics = createMetrics({
    processMetrics: options.processMetrics,
    countCards: () => {
      const counts = { Healthy: 0, Unhealthy: 0, Unknown: 0 };
      for (const [, card] of caches.managedCards()) counts[card.status?.health ?? 'Unknown'] += 1;
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
  const prober = new Prober({
    preflight: serviceReadinessPreflight(caches.endpoints, config.clusterDomain),
    ...(options.probeFetch ? { fetch: options.probeFetch } : {}),
    intervalMs: config.probeIntervalMs,
    timeoutMs: config.probeTimeoutMs,
    concurrency: config.probeConcurrency,
    logger,
    tracer: trace.getTracer(TRACER_NAME),
    onProbed: (_key, outcome, seconds) => {
      metrics.probeTotal.inc({ result: outcome.health.toLowerCase() });
      metrics.probeDuration.observe(seconds);
    },
    cards: () => caches.managedCards(),
    // The prober never writes: the reconciler writes the status, reading the outcome back.
    onChange: (key) => loop.add(key),
  });

  // Writes the card cache has not shown yet: every card event moves or ends them.
  const specMemo = new WriteMemo();
  const statusMemo = new WriteMemo();
  for (const informer of caches.cards) {
    informer.on((type, card) => {
      const key = keyOf(card);
      for (const memo of [specMemo, statusMemo]) {
        if (type === 'delete') memo.forget(key);
        else memo.observe(key, card.metadata?.resourceVersion);
      }
    });
  }
  // The resourceVersions of the reconciler's own writes: their watch events need no reconcile (see below). While
  // a key is reconciled its card events are held: the echo of a write often arrives before the write's response.
  const ownWrites = new OwnWrites();
  const holdingEchoes =
    (reconcile: ReturnType<typeof createReconciler>) =>
    async (key: string): ReturnType<typeof reconcile> => {
      ownWrites.begin(key);
      try {
        return await reconcile(key);
      } finally {
        if (ownWrites.end(key)) loop.add(key);
      }
    };
  const loop = new ReconcileLoop({
    reconcile: holdingEchoes(
      createReconciler({
        specMemo,
        statusMemo,
        ownWrites,
        state: caches.state,
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
        ...(signatureTrust && { signatureTrust }),
        logger,
      }),
    ),
    concurrency: config.concurrency,
    tracer: trace.getTracer(TRACER_NAME),
    attributePrefix: 'agent_registry',
    logger,
    onDepthChange: (depth) => metrics.workqueueDepth.set(depth),
    onReconciled: (result, seconds) => {
      metrics.reconcileTotal.inc({ result });
      metrics.reconcileDuration.observe(seconds);
    },
  });

  // Every event about an agent or a card queues the card's key (the queue de-duplicates) — except the echo of
  // the reconciler's own card write, when no other reconcile of the key began since: it would find the state it
  // wrote. At scale that is two of the three reconciles of every new card.
  const cardInformers = new Set<unknown>(caches.cards);
  for (const informer of caches.keyInformers) {
    const ofCards = cardInformers.has(informer);
    informer.on((type, object) => {
      const { namespace, name, resourceVersion } = object.metadata ?? {};
      if (!namespace || !name) return;
      const key = cardKey(namespace, name);
      if (ofCards && type === 'delete') ownWrites.forget(key);
      else if (ofCards && ownWrites.handled(key, resourceVersion)) return;
      loop.add(key);
    });
  }
  const resync = (): number => {
    const keys = caches.keys();
    for (const key of keys) loop.add(key);
    return keys.size;
  };

  let working = false;
  let stopping = false;
  let resyncTimer: ReturnType<typeof setInterval> | undefined;
  const startWork = async (): Promise<void> => {
    if (working || stopping) return;
    working = true;
    metrics.leader.set(1);
    await caches.whenSynced();
    if (!working || stopping) return;
    loop.start();
    const keys = resync();
    prober.start();
    resyncTimer = setInterval(
      () => logger.debug('periodic resync', { keys: resync() }),
      config.resyncPeriodMs,
    );
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
    loop.pause();
    await prober.stop();
  };

  caches.start();
  caches.whenSynced().then(
    () =>
      logger.info('caches synced', {
        informers: caches.all.map((i) => `${i.resource.plural}.${i.resource.group}:${i.state}`),
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
        const pending = caches.pending();
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
    isReady: () => caches.synced,
    whenReady: () => caches.whenSynced(),
    whenIdle: () => loop.whenIdle(),
    resync,
    stop() {
      stopped ??= (async () => {
        stopping = true;
        clearInterval(resyncTimer);
        loop.pause();
        await prober.stop();
        const drained = await loop.shutdown(options.shutdownTimeoutMs ?? 20_000);
        if (!drained) logger.warn('stopped with reconciles still in flight');
        working = false;
        await elector?.stop();
        metrics.leader.set(0);
        await caches.stop();
        await server?.close();
        logger.info('stopped');
      })();
      return stopped;
    },
  };
}
