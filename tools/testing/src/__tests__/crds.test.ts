import { ApiextensionsV1Api, KubernetesObjectApi } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { integration, kagentAgentCrd, readManifests, testCrdFiles } from '../index.js';
import { validAgentCard } from './fixtures.js';

integration.describe('generated CRD manifests on a real kube-apiserver', (cp) => {
  const extensions = cp.kubeConfig.makeApiClient(ApiextensionsV1Api);

  async function expectEstablished(name: string): Promise<void> {
    expect(cp.crds).toContain(name);
    const crd = await extensions.readCustomResourceDefinition({ name });
    const conditions = Object.fromEntries((crd.status?.conditions ?? []).map((c) => [c.type, c.status]));
    expect(conditions).toMatchObject({ Established: 'True', NamesAccepted: 'True' });
    // A non-structural schema would be reported here (and pruning/defaulting disabled).
    expect(conditions.NonStructuralSchema).toBeUndefined();
    for (const version of crd.spec.versions.filter((v) => v.served)) {
      expect(version.subresources?.status).toBeDefined();
    }
  }

  it.each(['agentcards.kagent.dev', 'agents.a2a.io'])('%s is established', expectEstablished);

  // kagent's own CRD comes from ../shared: without it this case is skipped by name (an error under CI).
  it.skipIf(!kagentAgentCrd().available)("agents.kagent.dev (kagent's own CRD) is established", () =>
    expectEstablished('agents.kagent.dev'),
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

  const kagent = kagentAgentCrd();
  it.skipIf(!kagent.available)("installs kagent's own Agent CRD, with its validation rules", async () => {
    if (!kagent.available) return;
    expect(testCrdFiles()).toContain(kagent.path);
    expect(readFileSync(kagent.path, 'utf8')).toContain('controller-gen.kubebuilder.io/version');
    const crd = await extensions.readCustomResourceDefinition({ name: 'agents.kagent.dev' });
    expect(crd.spec.versions.map((v) => [v.name, v.served, v.storage])).toEqual([
      ['v1alpha1', true, false],
      ['v1alpha2', true, true],
    ]);
    const ns = await cp.createNamespace('kagent-crd');
    const agent = (spec: Record<string, unknown>) => ({
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'Agent',
      metadata: { name: 'scratchpad', namespace: ns.name },
      spec,
    });
    const apply = (spec: Record<string, unknown>) =>
      KubernetesObjectApi.makeApiClient(cp.kubeConfig).create(agent(spec), undefined, 'All');
    // An open-spec stand-in accepts this; kagent's CRD does not.
    await expect(apply({ type: 'Declarative', description: 'no declarative block' })).rejects.toThrow(
      /declarative must be specified if type is Declarative/,
    );
    await expect(
      apply({ type: 'Declarative', declarative: { modelConfig: 'default', systemMessage: 'hi' } }),
    ).resolves.toMatchObject({ spec: { type: 'Declarative' } });
  });
});
