import fc from 'fast-check';
import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../metrics.js';
import type { CardStore } from '../store/types.js';

const store = { countByHealth: () => ({ Healthy: 0, Unhealthy: 0, Unknown: 0 }) } as unknown as CardStore;
const ROUTE = '/api/v1alpha1/registry/cards/:namespace/:name/a2a';
const LABEL_NAMES = ['method', 'route', 'code'] as const;
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The value of one sample line of the exposition text, or undefined. */
function sample(text: string, line: string): number | undefined {
  const found = text.split('\n').find((candidate) => candidate.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

/** prom-client's own Counter and Histogram under the registry's names: the exposition ours must equal. */
function promClientReference() {
  const registry = new Registry();
  const requests = new Counter({
    name: 'agent_registry_http_requests_total',
    help: 'HTTP requests by method, matched route pattern and status code.',
    labelNames: LABEL_NAMES,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'agent_registry_http_request_duration_seconds',
    help: 'HTTP request duration by method, matched route pattern and status code.',
    labelNames: LABEL_NAMES,
    buckets: BUCKETS,
    registers: [registry],
  });
  return {
    registry,
    observe(method: string, route: string, code: number, seconds: number) {
      const labels = { method, route, code: String(code) };
      requests.inc(labels);
      duration.observe(labels, seconds);
    },
  };
}

/** The request series of an exposition, without the cards gauge. */
const requestLines = (text: string): string =>
  text
    .split('\n')
    .filter((line) => line.includes('agent_registry_http_'))
    .join('\n');

const request = fc.record({
  method: fc.constantFrom('GET', 'HEAD', 'POST'),
  route: fc.constantFrom(ROUTE, '/healthz', '/api/v1alpha1/registry/cards'),
  code: fc.constantFrom(200, 304, 404, 500),
  // Bucket bounds themselves included: a value on a bound belongs to that bucket (le = "less or equal").
  seconds: fc.oneof(fc.constantFrom(...BUCKETS, 0, 20), fc.double({ min: 0, max: 30, noNaN: true })),
});

describe('request metrics', () => {
  it('expose what prom-client’s own Counter and Histogram expose for the same requests', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(request, { maxLength: 40 }), { minLength: 1, maxLength: 3 }),
        async (rounds) => {
          const metrics = createMetrics(store, { defaultMetrics: false });
          const reference = promClientReference();
          // Scrapes between rounds: a scrape reads everything recorded before it and changes nothing.
          for (const round of rounds) {
            for (const { method, route, code, seconds } of round) {
              metrics.observeRequest(method, route, code, seconds);
              reference.observe(method, route, code, seconds);
            }
            expect(requestLines(await metrics.registry.metrics())).toBe(
              requestLines(await reference.registry.metrics()),
            );
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps each label set, bucket and sum apart', async () => {
    const metrics = createMetrics(store, { defaultMetrics: false });
    metrics.observeRequest('GET', ROUTE, 200, 0.0002);
    metrics.observeRequest('GET', ROUTE, 200, 0.003);
    metrics.observeRequest('HEAD', ROUTE, 304, 0.02);
    const text = await metrics.registry.metrics();
    const get = `method="GET",route="${ROUTE}",code="200"`;
    const head = `method="HEAD",route="${ROUTE}",code="304"`;
    expect(sample(text, `agent_registry_http_request_duration_seconds_bucket{le="0.0005",${get}}`)).toBe(1);
    expect(sample(text, `agent_registry_http_request_duration_seconds_bucket{le="0.005",${get}}`)).toBe(2);
    expect(sample(text, `agent_registry_http_request_duration_seconds_sum{${get}}`)).toBeCloseTo(0.0032, 12);
    expect(sample(text, `agent_registry_http_request_duration_seconds_count{${get}}`)).toBe(2);
    expect(sample(text, `agent_registry_http_request_duration_seconds_bucket{le="0.01",${head}}`)).toBe(0);
    expect(sample(text, `agent_registry_http_request_duration_seconds_count{${head}}`)).toBe(1);
    expect(sample(text, `agent_registry_http_requests_total{${head}}`)).toBe(1);
  });

  it('a registry reset starts every series again', async () => {
    const metrics = createMetrics(store, { defaultMetrics: false });
    metrics.observeRequest('GET', ROUTE, 200, 0.0002);
    metrics.registry.resetMetrics();
    expect(requestLines(await metrics.registry.metrics())).not.toContain(ROUTE);
    metrics.observeRequest('GET', ROUTE, 200, 0.0002);
    expect(
      sample(
        await metrics.registry.metrics(),
        `agent_registry_http_requests_total{method="GET",route="${ROUTE}",code="200"}`,
      ),
    ).toBe(1);
  });
});
