import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { RequestHistogram } from './requestHistogram.js';
import type { CardStore } from './store/types.js';

/** The registry's Prometheus metrics (names and labels in docs/contracts.md), on their own prom-client Registry. */
export interface RegistryMetrics {
  readonly registry: Registry;
  observeRequest(method: string, route: string, code: number, seconds: number): void;
}

export function createMetrics(
  store: CardStore,
  { defaultMetrics = true }: { defaultMetrics?: boolean } = {},
): RegistryMetrics {
  const registry = new Registry();
  if (defaultMetrics) collectDefaultMetrics({ register: registry });
  const duration = new RequestHistogram(
    'agent_registry_http_request_duration_seconds',
    'HTTP request duration by method, matched route pattern and status code.',
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  );
  new Counter({
    name: 'agent_registry_http_requests_total',
    help: 'HTTP requests by method, matched route pattern and status code.',
    labelNames: ['method', 'route', 'code'] as const,
    registers: [registry],
    // The histogram's counts, read at scrape time: a request is counted once, in one place.
    collect() {
      this.reset();
      for (const { labels, count } of duration.counts()) this.inc(labels, count);
    },
  });
  duration.registerIn(registry);
  new Gauge({
    name: 'agent_registry_cards',
    help: 'Cards served, by health.',
    labelNames: ['health'] as const,
    registers: [registry],
    collect() {
      for (const [health, count] of Object.entries(store.countByHealth())) this.set({ health }, count);
    },
  });
  return {
    registry,
    observeRequest(method, route, code, seconds) {
      duration.observe(method, route, code, seconds);
    },
  };
}
