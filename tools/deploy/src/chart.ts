import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { helmTemplate } from '../lib/helm.mjs';
import { chartDir } from '../lib/paths.mjs';

/** A rendered Kubernetes object (loosely typed: tests read paths they know). */
export interface RenderedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

/** Parses multi-document YAML; empty documents are dropped, YAML errors throw. */
export function parseObjects(yaml: string): RenderedObject[] {
  return parseAllDocuments(yaml).flatMap((doc) => {
    if (doc.errors.length > 0) throw new Error(`invalid YAML: ${doc.errors[0]?.message}`);
    const value: unknown = doc.toJS();
    return value === null || value === undefined ? [] : [value as RenderedObject];
  });
}

export interface RenderOptions {
  release?: string;
  namespace?: string;
  /** Values files (absolute paths). */
  valuesFiles?: string[];
  /** `--set` / `--set-string` style overrides as raw helm arguments. */
  args?: string[];
  /** Values as an object, written to a temporary values file. */
  values?: Record<string, unknown>;
}

/** `helm template` of charts/agent-registry; resolves with the YAML. */
export async function renderChartYaml(options: RenderOptions = {}): Promise<string> {
  const dir = options.values ? mkdtempSync(join(tmpdir(), 'agent-registry-values-')) : undefined;
  try {
    const args = (options.valuesFiles ?? []).flatMap((file) => ['-f', file]);
    if (dir) {
      const file = join(dir, 'values.json');
      writeFileSync(file, JSON.stringify(options.values));
      args.push('-f', file);
    }
    return await helmTemplate({
      chart: chartDir,
      release: options.release ?? 'agent-registry',
      namespace: options.namespace ?? 'agent-registry',
      args: [...args, ...(options.args ?? [])],
    });
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

/** `helm template` of charts/agent-registry, parsed. */
export async function renderChart(options: RenderOptions = {}): Promise<RenderedObject[]> {
  return parseObjects(await renderChartYaml(options));
}

/** The one object of that kind and name; throws with the available ones otherwise. */
export function findObject(objects: readonly RenderedObject[], kind: string, name: string): RenderedObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) {
    const available = objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ');
    throw new Error(`no ${kind}/${name} in the rendered chart; have: ${available}`);
  }
  return found;
}

export function objectsOfKind(objects: readonly RenderedObject[], kind: string): RenderedObject[] {
  return objects.filter((o) => o.kind === kind);
}

export interface ContainerSpec {
  name: string;
  image: string;
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  securityContext?: Record<string, unknown>;
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  ports?: { name: string; containerPort: number }[];
  resources?: Record<string, unknown>;
}

export interface PodSpec {
  serviceAccountName?: string;
  securityContext?: Record<string, unknown>;
  containers: ContainerSpec[];
}

/** The pod template spec of a Deployment. */
export function podSpecOf(deployment: RenderedObject): PodSpec {
  return (deployment as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
}

/** Environment of a container as name → value (valueFrom entries map to their JSON). */
export function envOf(container: ContainerSpec): Record<string, string> {
  return Object.fromEntries(
    (container.env ?? []).map((e) => [e.name, e.value ?? JSON.stringify(e.valueFrom)]),
  );
}
