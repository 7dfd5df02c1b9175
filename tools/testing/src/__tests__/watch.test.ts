import { CustomObjectsApi, KubernetesObjectApi, PatchStrategy, Watch } from '@kubernetes/client-node';
import { expect, it } from 'vitest';
import { integration } from '../index.js';
import { GROUP, PLURAL, validAgentCard, VERSION, type AgentCardObject } from './fixtures.js';

integration.describe('watching AgentCards', (cp) => {
  it('a watch started at a resourceVersion sees create, update and delete in order', async () => {
    const ns = await cp.createNamespace('watch');
    const custom = cp.kubeConfig.makeApiClient(CustomObjectsApi);
    const objects = KubernetesObjectApi.makeApiClient(cp.kubeConfig);

    // Something that exists before the watch's resourceVersion must not be replayed.
    await objects.create(validAgentCard('before', ns.name));
    const list = (await custom.listNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: ns.name,
      plural: PLURAL,
    })) as { metadata: { resourceVersion: string } };

    const events: { type: string; name?: string; capabilities?: unknown; resourceVersion?: string }[] = [];
    let ended: unknown = 'still running';
    const abort = await new Watch(cp.kubeConfig).watch(
      `/apis/${GROUP}/${VERSION}/namespaces/${ns.name}/${PLURAL}`,
      { resourceVersion: list.metadata.resourceVersion },
      (type, object: AgentCardObject) => {
        events.push({
          type,
          name: object.metadata?.name,
          capabilities: object.spec?.capabilities,
          resourceVersion: object.metadata?.resourceVersion,
        });
      },
      (error) => {
        ended = error;
      },
    );
    try {
      const card = validAgentCard('weather', ns.name);
      await objects.create(card);
      await objects.patch(
        { ...card, spec: { ...card.spec, capabilities: ['updated'] } },
        undefined,
        undefined,
        'watch-test',
        true,
        PatchStrategy.ServerSideApply,
      );
      await objects.delete(card);

      await expect.poll(() => events.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
      expect(events.map(({ type, name, capabilities }) => ({ type, name, capabilities }))).toEqual([
        { type: 'ADDED', name: 'weather', capabilities: card.spec.capabilities },
        { type: 'MODIFIED', name: 'weather', capabilities: ['updated'] },
        { type: 'DELETED', name: 'weather', capabilities: ['updated'] },
      ]);
      const versions = events.map((e) => BigInt(e.resourceVersion ?? '0'));
      expect(versions).toEqual([...versions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      expect(ended).toBe('still running');
    } finally {
      abort.abort();
    }
  });
});
