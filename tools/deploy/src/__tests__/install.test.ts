import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installCrds, integration } from '@agent-registry/testing';
import { beforeAll, expect, it } from 'vitest';
import { chartCrdsDir, chartDir, manifestsDir } from '../../lib/paths.mjs';
import { parseObjects, renderChart, type RenderedObject } from '../chart.js';
import { kubectlName, kubectlWithObjects, uniqueSuffix } from '../cluster.js';

const serviceMonitorCrd = fileURLToPath(
  new URL('../../fixtures/servicemonitors.monitoring.coreos.com.yaml', import.meta.url),
);
const FIELD_MANAGER = 'deploy-tests';

integration.describe('rendered manifests on the real apiserver', (cp) => {
  /** Server-side dry-run apply; resolves with the applied names (`kubectl -o name`). */
  async function dryRun(objects: readonly RenderedObject[]): Promise<string[]> {
    const output = await kubectlWithObjects(
      cp,
      ['apply', '--server-side', '--dry-run=server', '--field-manager', FIELD_MANAGER, '-o', 'name'],
      objects,
    );
    return output.trim().split('\n').sort();
  }

  beforeAll(async () => {
    // The Prometheus Operator is not part of the control plane: install a minimal ServiceMonitor CRD.
    await installCrds(cp.kubeConfig, [serviceMonitorCrd]);
  });

  it('installs the chart CRDs for real and they become Established', async () => {
    const output = await cp.kubectl([
      'apply',
      '--server-side',
      '--force-conflicts',
      '--field-manager',
      FIELD_MANAGER,
      '-f',
      chartCrdsDir,
    ]);
    expect(output).toMatch(/agentcards\.kagent\.dev serverside-applied/);
    expect(output).toMatch(/agents\.a2a\.io serverside-applied/);
    const waited = await cp.kubectl([
      'wait',
      '--for=condition=Established',
      '--timeout=30s',
      'crd/agentcards.kagent.dev',
      'crd/agents.a2a.io',
    ]);
    expect(waited.match(/condition met/g)).toHaveLength(2);
  });

  it('accepts every object rendered with default values (server-side dry-run)', async () => {
    const namespace = (await cp.createNamespace('install-default')).name;
    const objects = await renderChart({
      namespace,
      values: { fullnameOverride: `default-${uniqueSuffix()}` },
    });
    expect(await dryRun(objects)).toEqual(objects.map(kubectlName).sort());
  });

  it.each(['all-options-values.yaml', 'minimal-values.yaml'])(
    'accepts every object rendered with ci/%s (server-side dry-run)',
    async (file) => {
      const namespace = (await cp.createNamespace('install-ci')).name;
      const watched = [
        (await cp.createNamespace('install-ci-a')).name,
        (await cp.createNamespace('install-ci-b')).name,
      ];
      const objects = await renderChart({
        namespace,
        valuesFiles: [join(chartDir, 'ci', file)],
        // Roles go into the watched namespaces, which must exist: use fresh ones instead of team-a/team-b.
        args: file.startsWith('all-options') ? ['--set', `watchNamespaces={${watched.join(',')}}`] : [],
      });
      expect(await dryRun(objects)).toEqual(objects.map(kubectlName).sort());
      if (file.startsWith('all-options')) {
        expect(objects.filter((o) => o.kind === 'ServiceMonitor')).toHaveLength(2);
        expect(
          objects.filter((o) => o.kind === 'Role' && watched.includes(o.metadata.namespace ?? '')),
        ).toHaveLength(4);
      }
    },
  );

  it('accepts deploy/manifests (Namespace applied for real, the rest dry-run)', async () => {
    const objects = parseObjects(readFileSync(join(manifestsDir, 'agent-registry.yaml'), 'utf8'));
    const [namespace, ...rest] = objects;
    expect(namespace?.kind).toBe('Namespace');
    await kubectlWithObjects(cp, ['apply', '--server-side', '--field-manager', FIELD_MANAGER], [namespace!]);
    expect(await dryRun(rest)).toEqual(rest.map(kubectlName).sort());

    const crds = await cp.kubectl([
      'apply',
      '--server-side',
      '--force-conflicts',
      '--dry-run=server',
      '-o',
      'name',
      '-f',
      join(manifestsDir, 'crds'),
    ]);
    expect(crds.trim().split('\n').sort()).toEqual([
      'customresourcedefinition.apiextensions.k8s.io/agentcards.kagent.dev',
      'customresourcedefinition.apiextensions.k8s.io/agents.a2a.io',
    ]);
  });

  it('rejects a broken manifest (the dry-run is a real check)', async () => {
    const namespace = (await cp.createNamespace('install-broken')).name;
    const objects = await renderChart({
      namespace,
      values: { fullnameOverride: `broken-${uniqueSuffix()}` },
    });
    const deployment = structuredClone(objects.find((o) => o.kind === 'Deployment')!) as RenderedObject & {
      spec: { template: { spec: { containers: { securityContext: { runAsUser: unknown } }[] } } };
    };
    deployment.spec.template.spec.containers[0]!.securityContext.runAsUser = -1;
    await expect(dryRun([deployment])).rejects.toThrow(/runAsUser/);
  });
});
