import tls from 'node:tls';
import { CustomObjectsApi, VersionApi, type KubernetesObject } from '@kubernetes/client-node';
import { integration } from '@agent-registry/testing';
import { afterEach, expect, it, vi } from 'vitest';
import { reuseConnections } from '../connectionReuse.js';
import { Informer } from '../informer.js';

// The project's own a2a.io Agent CRD, always installed in the shared control plane.
const agents = { group: 'a2a.io', version: 'v1', plural: 'agents', kind: 'Agent' };

/** Counts the TLS connections this process opens while `work` runs (https.Agent connects through tls.connect). */
async function connectionsOpenedBy(work: () => Promise<unknown>): Promise<number> {
  const connect = vi.spyOn(tls, 'connect');
  try {
    await work();
    return connect.mock.calls.length;
  } finally {
    connect.mockRestore();
  }
}

integration.describe('reuseConnections (shared control plane)', (cp) => {
  const informers: Informer[] = [];
  afterEach(async () => {
    await Promise.all(informers.splice(0).map((informer) => informer.stop()));
  });

  it('client-node alone opens a connection per request; through the view, requests share one', async () => {
    const plain = cp.kubeConfig.makeApiClient(VersionApi);
    const reused = reuseConnections(cp.kubeConfig).makeApiClient(VersionApi);
    const tenRequests = async (api: VersionApi): Promise<void> => {
      for (let i = 0; i < 10; i += 1) expect((await api.getCode()).major).toBeTruthy();
    };

    // What the view is for: if client-node starts reusing connections itself, this says so.
    expect(await connectionsOpenedBy(() => tenRequests(plain))).toBe(10);
    expect(await connectionsOpenedBy(() => tenRequests(reused))).toBe(1);
    // Already connected: nothing new.
    expect(await connectionsOpenedBy(() => tenRequests(reused))).toBe(0);
  });

  it('parallel requests open at most one connection each, reused by the next round', async () => {
    const api = reuseConnections(cp.kubeConfig).makeApiClient(VersionApi);
    const round = (): Promise<unknown> => Promise.all(Array.from({ length: 6 }, () => api.getCode()));
    const first = await connectionsOpenedBy(round);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(6);
    expect(await connectionsOpenedBy(round)).toBe(0);
  });

  it('serves lists, writes and watches (an informer) through the view; the kubeconfig itself is unchanged', async () => {
    const ns = (await cp.createNamespace('connection-reuse')).name;
    const kubeConfig = reuseConnections(cp.kubeConfig);
    expect(kubeConfig.getCurrentCluster()).toEqual(cp.kubeConfig.getCurrentCluster());
    const custom = kubeConfig.makeApiClient(CustomObjectsApi);
    const informer = new Informer({ kubeConfig, resource: agents, namespace: ns });
    informers.push(informer);
    const seen: string[] = [];
    informer.on((type, object: KubernetesObject) => seen.push(`${type} ${object.metadata?.name}`));
    informer.start();
    await informer.whenSynced();
    await custom.createNamespacedCustomObject({
      ...agents,
      namespace: ns,
      body: {
        apiVersion: `${agents.group}/${agents.version}`,
        kind: agents.kind,
        metadata: { name: 'a', namespace: ns },
        spec: { description: 'a' },
      },
    });
    await expect.poll(() => seen, { timeout: 10_000, interval: 25 }).toEqual(['add a']);
    // The original still builds an agent per request (client-node's behaviour), untouched by the view.
    expect(
      await connectionsOpenedBy(async () => {
        const plain = cp.kubeConfig.makeApiClient(VersionApi);
        await plain.getCode();
        await plain.getCode();
      }),
    ).toBe(2);
  });
});
