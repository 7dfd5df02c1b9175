import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { RECONCILE_RESULTS } from '@agent-registry/kube-runtime';

export type ProbeResult = 'healthy' | 'unhealthy' | 'unknown';

/** The controller's Prometheus metrics (names and labels in docs/contracts.md), on a registry of its own. */
export interface ControllerMetrics {
  readonly registry: Registry;
  readonly reconcileTotal: Counter<'result'>;
  readonly reconcileDuration: Histogram;
  readonly workqueueDepth: Gauge;
  readonly probeTotal: Counter<'result'>;
  readonly probeDuration: Histogram;
  readonly leader: Gauge;
  readonly cards: Gauge<'health'>;
  /** Writes to the apiserver by kind (apply, status, delete, event) — how idle the controller is. */
  readonly writesTotal: Counter<'kind'>;
}

export interface MetricsOptions {
  /** Counts of managed cards by health, read at scrape time. */
  countCards?: () => Partial<Record<'Healthy' | 'Unhealthy' | 'Unknown', number>>;
  /** Collect default process metrics (CPU, memory, event loop). Default true. */
  processMetrics?: boolean;
}

export function createMetrics(options: MetricsOptions = {}): ControllerMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const metrics: ControllerMetrics = {
    registry,
    reconcileTotal: new Counter({
      name: 'agent_registry_reconcile_total',
      help: 'Reconciles by result.',
      labelNames: ['result'],
      registers,
    }),
    reconcileDuration: new Histogram({
      name: 'agent_registry_reconcile_duration_seconds',
      help: 'Time to reconcile one key.',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    workqueueDepth: new Gauge({
      name: 'agent_registry_workqueue_depth',
      help: 'Keys waiting in the work queue.',
      registers,
    }),
    probeTotal: new Counter({
      name: 'agent_registry_probe_total',
      help: 'Health probes by result.',
      labelNames: ['result'],
      registers,
    }),
    probeDuration: new Histogram({
      name: 'agent_registry_probe_duration_seconds',
      help: 'Time of one health probe.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    leader: new Gauge({
      name: 'agent_registry_leader',
      help: '1 while this replica is the leader (or leader election is off), else 0.',
      registers,
    }),
    cards: new Gauge({
      name: 'agent_registry_cards',
      help: 'AgentCards managed by this controller, by health.',
      labelNames: ['health'],
      registers,
      collect() {
        if (!options.countCards) return;
        const counts = options.countCards();
        for (const health of ['Healthy', 'Unhealthy', 'Unknown'] as const)
          this.set({ health }, counts[health] ?? 0);
      },
    }),
    writesTotal: new Counter({
      name: 'agent_registry_controller_writes_total',
      help: 'Writes to the Kubernetes API by kind (apply, status, delete, event).',
      labelNames: ['kind'],
      registers,
    }),
  };
  // Export every series from the start (a counter that never moved is 0, not absent).
  for (const result of RECONCILE_RESULTS) metrics.reconcileTotal.inc({ result }, 0);
  for (const result of ['healthy', 'unhealthy', 'unknown'] as const) metrics.probeTotal.inc({ result }, 0);
  for (const kind of ['apply', 'status', 'delete', 'event'] as const) metrics.writesTotal.inc({ kind }, 0);
  return metrics;
}
