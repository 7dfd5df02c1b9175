import { readFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { CoreV1Api, CustomObjectsApi, KubeConfig, Watch } from '@kubernetes/client-node';
import {
  installCrds,
  integration,
  startControlPlane,
  testCrdFiles,
  type ControlPlane,
} from '@agent-registry/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { KubernetesStore } from '../store/kubernetesStore.js';
import type { CardEvent } from '../store/types.js';

const group = { group: 'kagent.dev', version: 'v1alpha1', plural: 'agentcards' };
const NAMESPACE = 'resilience';

const agentCard = (name: string, description = `Card ${name}`) => ({
  apiVersion: 'kagent.dev/v1alpha1',
  kind: 'AgentCard',
  metadata: { name, namespace: NAMESPACE },
  spec: {
    endpoints: [`https://${name}.example.com/a2a`],
    metadata: { description },
    capabilities: ['testing'],
  },
});

/**
 * A TCP proxy in front of the apiserver (TLS passes through): `cut()` resets
 * every connection and refuses new ones — a network partition for the store
 * only, while the test keeps writing through its own direct client.
 */
interface Partition {
  kubeConfig: KubeConfig;
  cut(): void;
  heal(): void;
  close(): Promise<void>;
}

async function partitionable(cp: ControlPlane): Promise<Partition> {
  const upstream = new URL(cp.server);
  const sockets = new Set<Socket>();
  let isCut = false;
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const server: Server = createServer((client) => {
    track(client);
    if (isCut) return void client.destroy();
    const target = connect(Number(upstream.port), upstream.hostname);
    track(target);
    client.pipe(target).pipe(client);
    client.on('error', () => target.destroy());
    target.on('error', () => client.destroy());
    client.on('close', () => target.destroy());
    target.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [
      {
        name: 'proxied',
        server: `https://127.0.0.1:${port}`,
        caData: readFileSync(cp.caCertPath).toString('base64'),
      },
    ],
    users: [{ name: 'admin', token: cp.token }],
    contexts: [{ name: 'proxied', cluster: 'proxied', user: 'admin' }],
    currentContext: 'proxied',
  });
  return {
    kubeConfig,
    cut() {
      isCut = true;
      for (const socket of sockets) socket.destroy();
    },
    heal() {
      isCut = false;
    },
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

interface Harness {
  cp: ControlPlane;
  custom: CustomObjectsApi;
  partition: Partition;
  store: KubernetesStore;
  events: string[];
}

async function harness(binaries: ControlPlane['binaries'], apiServerArgs: string[], cards: string[]) {
  const cp = await startControlPlane({ binaries, apiServerArgs });
  await installCrds(cp.kubeConfig, testCrdFiles());
  await cp.kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NAMESPACE } } });
  const custom = cp.kubeConfig.makeApiClient(CustomObjectsApi);
  for (const name of cards) {
    await custom.createNamespacedCustomObject({ ...group, namespace: NAMESPACE, body: agentCard(name) });
  }
  const partition = await partitionable(cp);
  const store = new KubernetesStore({
    kubeConfig: partition.kubeConfig,
    logger: silentLogger,
    minBackoffMs: 50,
    maxBackoffMs: 500,
  });
  const events: string[] = [];
  store.subscribe((event: CardEvent) => events.push(`${event.type} ${event.card.metadata.name}`));
  await store.start();
  return { cp, custom, partition, store, events } satisfies Harness;
}

const informer = (store: KubernetesStore) =>
  (store.readiness().details as { informers: { connected: boolean; lists: number; lastError?: string }[] })
    .informers[0]!;
const description = (store: KubernetesStore, name: string) =>
  store.get(NAMESPACE, name)?.spec.metadata?.description;
const eventually = { timeout: 5000, interval: 25 };

async function stopHarness(h: Harness | undefined): Promise<void> {
  await h?.store.stop();
  await h?.partition.close();
  await h?.cp.stop();
}

integration.describe('Kubernetes store: reconnect and resume (own control plane)', (shared) => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness(shared.binaries, [], ['alpha', 'bravo', 'charlie']);
  }, 60_000);
  afterAll(() => stopHarness(h));

  it('is ready with the cards that exist when it starts', async () => {
    expect(h.store.readiness()).toMatchObject({ ready: true, details: { cards: 3 } });
    expect(h.events.sort()).toEqual(['ADDED alpha', 'ADDED bravo', 'ADDED charlie']);
    await expect.poll(() => informer(h.store).connected, eventually).toBe(true);
    expect(informer(h.store).lists).toBe(1);
  });

  it('keeps serving (and stays ready) while the apiserver restarts, then follows every change again', async () => {
    h.events.length = 0;
    const restarting = h.cp.restartApiServer();
    // kube-apiserver may hold open watches during its graceful shutdown (up to the 5 s SIGKILL grace).
    await expect.poll(() => informer(h.store).connected, { timeout: 15_000, interval: 25 }).toBe(false);
    // Disconnected: the last known state is served and the store stays ready.
    expect(h.store.readiness().ready).toBe(true);
    expect(h.store.size).toBe(3);
    await restarting;

    await h.custom.createNamespacedCustomObject({ ...group, namespace: NAMESPACE, body: agentCard('delta') });
    await expect.poll(() => h.store.get(NAMESPACE, 'delta') !== undefined, eventually).toBe(true);
    await h.custom.patchNamespacedCustomObject({
      ...group,
      namespace: NAMESPACE,
      name: 'alpha',
      body: [{ op: 'replace', path: '/spec/metadata/description', value: 'After restart' }],
    });
    await expect.poll(() => description(h.store, 'alpha'), eventually).toBe('After restart');
    await h.custom.deleteNamespacedCustomObject({ ...group, namespace: NAMESPACE, name: 'bravo' });
    await expect.poll(() => h.store.get(NAMESPACE, 'bravo'), eventually).toBeUndefined();

    // Whether it resumed or relisted after the restart, unchanged cards produced no events.
    expect(h.events).toEqual(['ADDED delta', 'MODIFIED alpha', 'DELETED bravo']);
    expect(informer(h.store)).toMatchObject({ connected: true });
    expect(informer(h.store).lastError).toBeUndefined();
  });

  it('resumes a dropped watch from its resourceVersion: no relist, only the real changes', async () => {
    await expect.poll(() => informer(h.store).connected, eventually).toBe(true);
    const listsBefore = informer(h.store).lists;
    h.events.length = 0;

    h.partition.cut();
    await expect.poll(() => informer(h.store).lastError, eventually).toBeDefined();
    expect(h.store.readiness().ready).toBe(true);
    h.partition.heal();
    await expect.poll(() => informer(h.store).connected, eventually).toBe(true);

    await h.custom.patchNamespacedCustomObject({
      ...group,
      namespace: NAMESPACE,
      name: 'charlie',
      body: [{ op: 'replace', path: '/spec/metadata/description', value: 'After the drop' }],
    });
    await expect.poll(() => description(h.store, 'charlie'), eventually).toBe('After the drop');
    expect(h.events).toEqual(['MODIFIED charlie']);
    expect(informer(h.store).lists).toBe(listsBefore);
    expect(h.store.all().map((card) => card.metadata.name)).toEqual(['alpha', 'charlie', 'delta']);
  });
});

/** Resolves to true once a watch from `resourceVersion` is answered 410 Gone (its revision was compacted). */
function isGone(kubeConfig: KubeConfig, resourceVersion: string): Promise<boolean> {
  return new Promise((resolve) => {
    let gone = false;
    const path = `/apis/${group.group}/${group.version}/namespaces/${NAMESPACE}/${group.plural}`;
    void new Watch(kubeConfig)
      .watch(
        path,
        { resourceVersion },
        (type, object: { code?: number }) => {
          if (type === 'ERROR' && object.code === 410) gone = true;
        },
        (error: unknown) => resolve(gone || (error as { statusCode?: number } | null)?.statusCode === 410),
      )
      .then((controller) => setTimeout(() => controller.abort(), 500));
  });
}

integration.describe('Kubernetes store: 410 Gone after compaction (own control plane)', (shared) => {
  let h: Harness;
  beforeAll(async () => {
    // Watches go to etcd (no watch cache), and etcd is compacted every second: an old resourceVersion expires fast.
    h = await harness(
      shared.binaries,
      ['--watch-cache=false', '--etcd-compaction-interval=1s'],
      ['xray', 'yankee', 'zulu'],
    );
  }, 60_000);
  afterAll(() => stopHarness(h));

  it('relists when its resourceVersion expired while it was away, and emits only the differences', async () => {
    expect(h.store.readiness()).toMatchObject({ ready: true, details: { cards: 3 } });
    const listed = (await h.custom.listNamespacedCustomObject({ ...group, namespace: NAMESPACE })) as {
      metadata: { resourceVersion: string };
    };
    h.events.length = 0;

    h.partition.cut();
    await expect.poll(() => informer(h.store).lastError, eventually).toBeDefined();
    await h.custom.deleteNamespacedCustomObject({ ...group, namespace: NAMESPACE, name: 'xray' });
    await h.custom.patchNamespacedCustomObject({
      ...group,
      namespace: NAMESPACE,
      name: 'yankee',
      body: [{ op: 'replace', path: '/spec/metadata/description', value: 'Changed while away' }],
    });
    await h.custom.createNamespacedCustomObject({
      ...group,
      namespace: NAMESPACE,
      body: agentCard('whiskey'),
    });
    // The store's resourceVersion is at most the one listed before the partition: wait until that one is compacted.
    await expect
      .poll(() => isGone(h.cp.kubeConfig, listed.metadata.resourceVersion), {
        timeout: 20_000,
        interval: 250,
      })
      .toBe(true);
    expect(h.store.size).toBe(3);

    h.partition.heal();
    await expect.poll(() => informer(h.store).lists, { ...eventually, timeout: 10_000 }).toBe(2);
    expect(h.store.all().map((card) => card.metadata.name)).toEqual(['whiskey', 'yankee', 'zulu']);
    expect(description(h.store, 'yankee')).toBe('Changed while away');
    expect(h.events.sort()).toEqual(['ADDED whiskey', 'DELETED xray', 'MODIFIED yankee']);
    await expect.poll(() => informer(h.store).connected, eventually).toBe(true);
  });
});
