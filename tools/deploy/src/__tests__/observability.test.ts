import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../lib/paths.mjs';
import { findObject, renderChart } from '../chart.js';
import { CONTROLLER_METRICS, REGISTRY_METRICS, allowedSeries } from '../contract.js';
import { labelValuesReferences, promqlReferences } from '../promql.js';

interface Target {
  expr?: string;
  datasource?: { uid?: string };
}
interface Panel {
  title: string;
  type: string;
  datasource?: { uid?: string };
  targets?: Target[];
  panels?: Panel[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: {
    list: { name: string; type: string; query?: string | { query: string }; datasource?: { uid?: string } }[];
  };
}

const dashboard = JSON.parse(
  readFileSync(join(repoRoot, 'deploy/grafana/agent-registry.json'), 'utf8'),
) as Dashboard;
const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]).filter((p) => p.type !== 'row');
const expressions = panels.flatMap((p) =>
  (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr ?? '' })),
);

describe('promqlReferences', () => {
  it('finds series and labels, skipping functions, keywords, strings, ranges and Grafana variables', () => {
    expect(
      promqlReferences(
        'histogram_quantile(0.99, sum by (le, route) (rate(foo_bucket{namespace=~"$namespace", code!="5.."}[$__rate_interval]))) / on (route) group_left bar offset 5m > bool 1e3',
      ),
    ).toEqual({ metrics: ['bar', 'foo_bucket'], labels: ['code', 'le', 'namespace', 'route'] });
    expect(labelValuesReferences('label_values(up{job="x"}, namespace)')).toEqual({
      metrics: ['up'],
      labels: ['job', 'namespace'],
    });
  });
});

describe('deploy/grafana/agent-registry.json', () => {
  it('has a Prometheus datasource variable that every panel and query uses', () => {
    const datasource = dashboard.templating.list.find((v) => v.type === 'datasource');
    expect(datasource).toMatchObject({ name: 'datasource', query: 'prometheus' });
    for (const panel of panels) {
      expect(panel.datasource?.uid, panel.title).toBe('${datasource}');
      for (const target of panel.targets ?? [])
        expect(target.datasource?.uid, panel.title).toBe('${datasource}');
    }
    for (const variable of dashboard.templating.list.filter((v) => v.type === 'query')) {
      expect(variable.datasource?.uid, variable.name).toBe('${datasource}');
    }
  });

  it('queries only metric names and labels of the contract', () => {
    const allowed = allowedSeries();
    const queries = [
      ...expressions.map(({ panel, expr }) => ({ where: panel, refs: promqlReferences(expr), expr })),
      ...dashboard.templating.list
        .filter((v) => v.type === 'query')
        .map((v) => {
          const query = typeof v.query === 'string' ? v.query : (v.query?.query ?? '');
          return { where: `variable ${v.name}`, refs: labelValuesReferences(query), expr: query };
        }),
    ];
    expect(queries.length).toBeGreaterThan(20);
    for (const { where, refs, expr } of queries) {
      expect(refs.metrics.length, `${where}: ${expr}`).toBeGreaterThan(0);
      for (const metric of refs.metrics) {
        expect(allowed.has(metric), `${where}: unknown metric ${metric} in ${expr}`).toBe(true);
      }
      const labels = new Set(refs.metrics.flatMap((m) => [...(allowed.get(m) ?? [])]));
      for (const label of refs.labels)
        expect(labels.has(label), `${where}: unknown label ${label} in ${expr}`).toBe(true);
    }
  });

  it('covers every metric of the contract', () => {
    const used = new Set(expressions.flatMap(({ expr }) => promqlReferences(expr).metrics));
    const metrics = { ...CONTROLLER_METRICS, ...REGISTRY_METRICS };
    for (const [name, spec] of Object.entries(metrics)) {
      const series = spec.type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
      expect(
        series.some((s) => used.has(s)),
        name,
      ).toBe(true);
    }
  });

  it('shows API latency p50 and p99 by route', () => {
    const latency = expressions.filter(({ expr }) =>
      expr.includes('agent_registry_http_request_duration_seconds_bucket'),
    );
    expect(latency.map(({ expr }) => /histogram_quantile\((0\.\d+)/.exec(expr)?.[1]).sort()).toEqual([
      '0.5',
      '0.99',
    ]);
    for (const { expr } of latency) expect(promqlReferences(expr).labels).toContain('route');
  });
});

describe('deploy/otel/collector.yaml', () => {
  interface CollectorConfig {
    receivers: Record<string, unknown>;
    processors: Record<string, unknown>;
    exporters: Record<string, unknown>;
    service: {
      pipelines: Record<string, { receivers: string[]; processors: string[]; exporters: string[] }>;
    };
  }
  const config = parse(readFileSync(join(repoRoot, 'deploy/otel/collector.yaml'), 'utf8')) as CollectorConfig;

  it('wires OTLP and Prometheus receivers through batch into debug and otlp exporters', () => {
    expect(Object.keys(config.service.pipelines).sort()).toEqual(['metrics', 'traces']);
    for (const [name, pipeline] of Object.entries(config.service.pipelines)) {
      for (const receiver of pipeline.receivers)
        expect(config.receivers, `${name}: ${receiver}`).toHaveProperty(receiver);
      for (const processor of pipeline.processors)
        expect(config.processors, `${name}: ${processor}`).toHaveProperty(processor);
      for (const exporter of pipeline.exporters)
        expect(config.exporters, `${name}: ${exporter}`).toHaveProperty(exporter);
      expect(pipeline.receivers).toContain('otlp');
      expect(pipeline.processors).toContain('batch');
      expect(pipeline.exporters.sort()).toEqual(['debug', 'otlp']);
    }
    expect(config.service.pipelines.metrics?.receivers).toContain('prometheus');
    expect(config.receivers.otlp).toMatchObject({ protocols: { http: { endpoint: '0.0.0.0:4318' } } });
  });

  it('scrapes the Services of the default chart install', async () => {
    const objects = await renderChart();
    const scrape = (
      config.receivers.prometheus as {
        config: {
          scrape_configs: {
            kubernetes_sd_configs: { role: string; namespaces: { names: string[] } }[];
            relabel_configs: { source_labels: string[]; regex?: string; action?: string }[];
          }[];
        };
      }
    ).config.scrape_configs[0]!;
    expect(scrape.kubernetes_sd_configs[0]?.namespaces.names).toEqual(['agent-registry']);
    const keep = (label: string) =>
      new RegExp(
        `^(?:${scrape.relabel_configs.find((r) => r.action === 'keep' && r.source_labels[0] === label)?.regex})$`,
      );
    for (const name of ['agent-registry-controller-metrics', 'agent-registry-registry']) {
      const service = findObject(objects, 'Service', name) as unknown as {
        metadata: { namespace: string; labels: Record<string, string> };
        spec: { ports: { name: string }[] };
      };
      expect(service.metadata.namespace).toBe('agent-registry');
      expect(
        keep('__meta_kubernetes_service_label_app_kubernetes_io_part_of').test(
          service.metadata.labels['app.kubernetes.io/part-of'] ?? '',
        ),
      ).toBe(true);
      expect(
        service.spec.ports.some((p) => keep('__meta_kubernetes_endpointslice_port_name').test(p.name)),
        name,
      ).toBe(true);
    }
  });
});
