import { ApiextensionsV1Api, KubernetesObjectApi } from '@kubernetes/client-node';
import { expect, it } from 'vitest';
import { integration, readManifests, testCrdFiles } from '../index.js';
import { validAgentCard } from './fixtures.js';

integration.describe('generated CRD manifests on a real kube-apiserver', (cp) => {
  const extensions = cp.kubeConfig.makeApiClient(ApiextensionsV1Api);

  it.each(['agentcards.kagent.dev', 'agents.a2a.io', 'agents.kagent.dev'])(
    '%s is established',
    async (name) => {
      expect(cp.crds).toContain(name);
      const crd = await extensions.readCustomResourceDefinition({ name });
      const conditions = Object.fromEntries((crd.status?.conditions ?? []).map((c) => [c.type, c.status]));
      expect(conditions).toMatchObject({ Established: 'True', NamesAccepted: 'True' });
      // A non-structural schema would be reported here (and pruning/defaulting disabled).
      expect(conditions.NonStructuralSchema).toBeUndefined();
      for (const version of crd.spec.versions.filter((v) => v.served)) {
        expect(version.subresources?.status).toBeDefined();
      }
    },
  );

  it('stores every schema exactly as written in the manifests (nothing pruned on the way)', async () => {
    for (const manifest of readManifests(testCrdFiles())) {
      const name = manifest.metadata?.name ?? '';
      // kubectl returns the raw JSON; client-node's typed models would rename x-kubernetes-* keys.
      const stored = JSON.parse(await cp.kubectl(['get', 'crd', name, '-o', 'json'])) as typeof manifest & {
        spec: { versions: { name: string; schema: unknown; additionalPrinterColumns?: unknown }[] };
      };
      const expected = (manifest as typeof stored).spec.versions;
      expect(stored.spec.versions.map((v) => [v.name, v.schema, v.additionalPrinterColumns])).toEqual(
        expected.map((v) => [v.name, v.schema, v.additionalPrinterColumns]),
      );
    }
  });

  it('kubectl get ac shows the printer columns', async () => {
    const ns = await cp.createNamespace('printer');
    const crd = await extensions.readCustomResourceDefinition({ name: 'agentcards.kagent.dev' });
    const columns = (crd.spec.versions.find((v) => v.storage)?.additionalPrinterColumns ?? [])
      .filter((c) => !c.priority)
      .map((c) => c.name.toUpperCase());
    expect(columns).toEqual(expect.arrayContaining(['HEALTH', 'URL', 'AGE']));

    await KubernetesObjectApi.makeApiClient(cp.kubeConfig).create(validAgentCard('weather', ns.name));
    const output = await cp.kubectl(['get', 'ac', '-n', ns.name]);
    const [header, row] = output.trimEnd().split('\n');
    expect(header?.split(/\s+/)).toEqual(['NAME', ...columns]);
    expect(row).toMatch(/^weather\s+https:\/\/weather\.example\.com\/a2a\s+\d+s$/);

    const wide = await cp.kubectl(['get', 'agentcards.kagent.dev', '-n', ns.name, '-o', 'wide']);
    expect(wide.split('\n')[0]).toContain('A2A');
  });
});
