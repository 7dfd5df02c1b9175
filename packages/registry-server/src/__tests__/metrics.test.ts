import { describe, expect, it } from 'vitest';
import { createMetrics } from '../metrics.js';
import type { CardStore } from '../store/types.js';

const store = { countByHealth: () => ({ Healthy: 0, Unhealthy: 0, Unknown: 0 }) } as unknown as CardStore;
const ROUTE = '/api/v1alpha1/registry/cards/:namespace/:name/a2a';

/** The value of one sample line of the exposition text, or undefined. */
function sample(text: string, line: string): number | undefined {
  const found = text.split('\n').find((candidate) => candidate.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe('request metrics', () => {
  it('a scrape counts every request recorded before it, batched or not', async () => {
    const metrics = createMetrics(store, { defaultMetrics: false });
    // 3 short of a batch, then across two batches: what a scrape reads must never lag.
    for (const requests of [3, 2 * 4096 + 5]) {
      const before = await metrics.registry.metrics();
      const counted = (text: string): number =>
        sample(text, `agent_registry_http_requests_total{method="GET",route="${ROUTE}",code="200"}`) ?? 0;
      for (let index = 0; index < requests; index++) metrics.observeRequest('GET', ROUTE, 200, 0.0002);
      const after = await metrics.registry.metrics();
      expect(counted(after) - counted(before)).toBe(requests);
    }
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
});
