import { CustomObjectsApi, type KubernetesObject } from '@kubernetes/client-node';
import { integration } from '@agent-registry/testing';
import { afterEach, expect, it } from 'vitest';
import { Informer, type InformerEventType, type InformerOptions } from '../informer.js';

// The project's own a2a.io Agent CRD, always installed in the shared control plane (kagent's comes from ../shared).
const agents = { group: 'a2a.io', version: 'v1', plural: 'agents', kind: 'Agent' };
const eventually = { timeout: 10_000, interval: 25 };

const agent = (namespace: string, name: string, labels: Record<string, string> = {}) => ({
  apiVersion: `${agents.group}/${agents.version}`,
  kind: agents.kind,
  metadata: { name, namespace, labels },
  spec: { description: name },
});

integration.describe('Informer (shared control plane)', (cp) => {
  const custom = cp.kubeConfig.makeApiClient(CustomObjectsApi);
  const running: Informer[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((informer) => informer.stop()));
  });

  function startInformer(options: Partial<InformerOptions> & Pick<InformerOptions, 'resource'>) {
    const informer = new Informer({
      kubeConfig: cp.kubeConfig,
      backoffBaseMs: 20,
      backoffMaxMs: 200,
      ...options,
    });
    const events: string[] = [];
    /** Every event's key, as `type key`. */
    const keys: string[] = [];
    informer.on((type: InformerEventType, object: KubernetesObject, key: string) => {
      events.push(`${type} ${object.metadata?.name}`);
      keys.push(`${type} ${key}`);
    });
    running.push(informer);
    informer.start();
    return { informer, events, keys };
  }

  const create = (namespace: string, name: string, labels?: Record<string, string>) =>
    custom.createNamespacedCustomObject({ ...agents, namespace, body: agent(namespace, name, labels) });
  const label = (namespace: string, name: string, value: string) =>
    custom.patchNamespacedCustomObject({
      ...agents,
      namespace,
      name,
      body: [{ op: 'add', path: '/metadata/labels', value: { state: value } }],
    });

  it('lists page by page, then follows adds, updates and deletes through its watch', async () => {
    const ns = (await cp.createNamespace('informer')).name;
    for (const name of ['a', 'b', 'c', 'd', 'e']) await create(ns, name);
    const { informer, events, keys } = startInformer({ resource: agents, namespace: ns, pageSize: 2 });
    await informer.whenSynced();
    expect(informer.state).toBe('synced');
    expect(
      informer
        .list()
        .map((object) => object.metadata?.name)
        .sort(),
    ).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(events.sort()).toEqual(['add a', 'add b', 'add c', 'add d', 'add e']);
    await expect.poll(() => informer.status, eventually).toMatchObject({ connected: true, lists: 1 });
    expect(informer.status.lastError).toBeUndefined();

    events.length = 0;
    await create(ns, 'f');
    await label(ns, 'a', 'changed');
    await custom.deleteNamespacedCustomObject({ ...agents, namespace: ns, name: 'b' });
    await expect.poll(() => events, eventually).toEqual(['add f', 'update a', 'delete b']);
    // Handlers get each object's cache key (namespace/name), from the list and from the watch.
    expect(keys.slice(0, 5).sort()).toEqual(['a', 'b', 'c', 'd', 'e'].map((name) => `add ${ns}/${name}`));
    expect(keys.slice(5)).toEqual([`add ${ns}/f`, `update ${ns}/a`, `delete ${ns}/b`]);
    expect(informer.get(ns, 'a')?.metadata?.labels).toEqual({ state: 'changed' });
    expect(informer.get(ns, 'b')).toBeUndefined();
    expect(informer.size).toBe(5);
  });

  it('treats objects its transform rejects as absent, and deletes a cached one that becomes rejected', async () => {
    const ns = (await cp.createNamespace('informer-transform')).name;
    await create(ns, 'kept');
    await create(ns, 'rejected', { state: 'invalid' });
    const { informer, events } = startInformer({
      resource: agents,
      namespace: ns,
      transform: (object) =>
        object.metadata?.labels?.state === 'invalid'
          ? undefined
          : { ...object, metadata: { ...object.metadata, managedFields: undefined } },
    });
    await informer.whenSynced();
    expect(informer.list().map((object) => object.metadata?.name)).toEqual(['kept']);
    expect(informer.get(ns, 'kept')?.metadata?.managedFields).toBeUndefined();
    expect(events).toEqual(['add kept']);

    await label(ns, 'kept', 'invalid');
    await expect.poll(() => events, eventually).toEqual(['add kept', 'delete kept']);
    // A rejected object's deletion is no event: it was never cached.
    await custom.deleteNamespacedCustomObject({ ...agents, namespace: ns, name: 'rejected' });
    await create(ns, 'later');
    await expect.poll(() => events, eventually).toEqual(['add kept', 'delete kept', 'add later']);
  });

  it('reports a type that is not served as absent and keeps retrying', async () => {
    const missing = { group: 'missing.example.com', version: 'v1', plural: 'things', kind: 'Thing' };
    const { informer } = startInformer({ resource: missing });
    await informer.whenSynced();
    expect(informer.state).toBe('absent');
    expect(informer.list()).toEqual([]);
    expect(informer.status).toMatchObject({ connected: false, lists: 0 });
    expect(informer.status.lastError).toMatch(/^HTTP 404/);
  });

  it('with absentOn [] stays pending on a missing type, but startup can stop waiting after the first attempt', async () => {
    const missing = { group: 'missing.example.com', version: 'v1', plural: 'others', kind: 'Other' };
    const { informer } = startInformer({ resource: missing, absentOn: [] });
    await informer.whenAttempted();
    expect(informer.state).toBe('pending');
    expect(informer.hasSynced).toBe(false);
    expect(informer.status.lastError).toMatch(/^HTTP 404/);
  });
});
