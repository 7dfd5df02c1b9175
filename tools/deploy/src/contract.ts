/**
 * Metric names and labels of docs/contracts.md ("Metrics"). The dashboard may only query these, the
 * prom-client default process metrics it names in DEFAULT_PROCESS_METRICS, and Prometheus' own `up`.
 */
export const CONTROLLER_METRICS = {
  agent_registry_reconcile_total: { type: 'counter', labels: ['result'] },
  agent_registry_reconcile_duration_seconds: { type: 'histogram', labels: [] },
  agent_registry_workqueue_depth: { type: 'gauge', labels: [] },
  agent_registry_probe_total: { type: 'counter', labels: ['result'] },
  agent_registry_probe_duration_seconds: { type: 'histogram', labels: [] },
  agent_registry_leader: { type: 'gauge', labels: [] },
  agent_registry_cards: { type: 'gauge', labels: ['health'] },
} as const;

export const REGISTRY_METRICS = {
  agent_registry_http_requests_total: { type: 'counter', labels: ['method', 'route', 'code'] },
  agent_registry_http_request_duration_seconds: { type: 'histogram', labels: ['method', 'route', 'code'] },
  agent_registry_cards: { type: 'gauge', labels: ['health'] },
} as const;

/** prom-client `collectDefaultMetrics()` names the dashboard uses. */
export const DEFAULT_PROCESS_METRICS = [
  'process_cpu_seconds_total',
  'process_resident_memory_bytes',
  'nodejs_eventloop_lag_p99_seconds',
] as const;

/** Labels every scraped series carries (Prometheus target labels, ServiceMonitor/kubernetes_sd relabelling). */
export const TARGET_LABELS = [
  'job',
  'instance',
  'namespace',
  'pod',
  'service',
  'container',
  'endpoint',
] as const;

type MetricSpec = { type: 'counter' | 'gauge' | 'histogram'; labels: readonly string[] };

/** Every series name the contract allows, with its labels (histograms expand to _bucket/_sum/_count). */
export function allowedSeries(): Map<string, Set<string>> {
  const series = new Map<string, Set<string>>();
  const add = (name: string, labels: readonly string[]) => {
    const set = series.get(name) ?? new Set<string>(TARGET_LABELS);
    for (const label of labels) set.add(label);
    series.set(name, set);
  };
  const metrics: Record<string, MetricSpec> = { ...CONTROLLER_METRICS, ...REGISTRY_METRICS };
  for (const [name, spec] of Object.entries(metrics)) {
    if (spec.type === 'histogram') {
      add(`${name}_bucket`, [...spec.labels, 'le']);
      add(`${name}_sum`, spec.labels);
      add(`${name}_count`, spec.labels);
    } else {
      add(name, spec.labels);
    }
  }
  for (const name of DEFAULT_PROCESS_METRICS) add(name, []);
  add('up', []);
  return series;
}
