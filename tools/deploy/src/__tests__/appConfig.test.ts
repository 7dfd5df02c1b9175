import { describe, expect, it } from 'vitest';
import { parseConfig as parseControllerConfig, helpText as controllerHelp } from '@agent-registry/controller';
import { parseConfig as parseRegistryConfig, helpText as registryHelp } from '@agent-registry/registry';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chartDir } from '../../lib/paths.mjs';
import { type ContainerSpec, objectsOfKind, podSpecOf, renderChart, type RenderedObject } from '../chart.js';

// Variables the chart sets for the runtime (downward API, OpenTelemetry SDK), not for the apps' own parsers.
const runtimeVariables = /^(POD_NAMESPACE|POD_NAME|NODE_NAME|NODE_OPTIONS|OTEL_[A-Z_]+)$/;

const valuesFiles = [undefined, 'ci/all-options-values.yaml', 'ci/minimal-values.yaml'];
const render = (valuesFile: string | undefined) =>
  renderChart(valuesFile ? { valuesFiles: [join(chartDir, valuesFile)] } : {});
const containerOf = (objects: RenderedObject[], app: string) => {
  const deployment = objectsOfKind(objects, 'Deployment').find((d) => d.metadata.name.endsWith(`-${app}`));
  if (!deployment) throw new Error(`no ${app} Deployment rendered`);
  return podSpecOf(deployment).containers[0]!;
};
/** The environment the kubelet would give the container, with the downward API resolved for a pod in `agent-registry`. */
const podEnv = (container: ContainerSpec): Record<string, string> => {
  const fieldValues: Record<string, string> = {
    'metadata.namespace': 'agent-registry',
    'metadata.name': 'pod-0',
  };
  return Object.fromEntries(
    (container.env ?? []).map((e) => {
      const fieldPath = (e.valueFrom as { fieldRef?: { fieldPath?: string } } | undefined)?.fieldRef
        ?.fieldPath;
      return [e.name, e.value ?? (fieldPath ? fieldValues[fieldPath] : undefined) ?? ''];
    }),
  );
};
/** Both apps' `--help` name each flag's variable in brackets. */
const reads = (help: string, name: string) => new RegExp(`\\[(env )?${name}\\]`).test(help);

describe.each(valuesFiles)('the apps accept the environment the chart gives them (%s)', (valuesFile) => {
  it('controller', async () => {
    const objects = await render(valuesFile);
    const container = containerOf(objects, 'controller');
    const env = podEnv(container);
    for (const name of Object.keys(env).filter((n) => !runtimeVariables.test(n))) {
      expect(reads(controllerHelp(), name), `controller does not read ${name}`).toBe(true);
    }
    expect(() => parseControllerConfig([], env)).not.toThrow();
  });

  it('registry', async () => {
    const objects = await render(valuesFile);
    const container = containerOf(objects, 'registry');
    const env = podEnv(container);
    for (const name of Object.keys(env).filter((n) => !runtimeVariables.test(n))) {
      expect(reads(registryHelp(), name), `registry does not read ${name}`).toBe(true);
    }
    // The tokens file is a mounted Secret in the pod; here any existing file stands in for it.
    const mounted = env.TOKENS_FILE ? { TOKENS_FILE: fileURLToPath(import.meta.url) } : {};
    expect(() => parseRegistryConfig([], { ...env, ...mounted }, '/')).not.toThrow();
  });
});
