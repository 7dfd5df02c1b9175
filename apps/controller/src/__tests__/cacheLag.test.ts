import { expect, test } from 'vitest';
import { DEFAULT_MANAGED_BY } from '@agent-registry/card-generator';
import { EventRecorder, silentLogger } from '@agent-registry/kube-runtime';
import { integration } from '@agent-registry/testing';
import { CardClient } from '../cardClient.js';
import { EVENT_REASON_CONFLICT, createReconciler, type ObservedState } from '../reconciler.js';
import { kagentAgent, kube, REGISTER, testConfig } from '../testing.js';

// The reconciler reads caches; a card someone else made can exist before the cache has heard of it.
// Here the cache is held back on purpose (it has the agent, not the card) against a real apiserver.
integration.withKagent('a card the cache has not seen yet', (controlPlane) => {
  const k = kube(controlPlane.kubeConfig);

  test('someone else’s card is not taken over: the apply without force is refused, a Conflict event says why', async () => {
    const { name: ns } = await controlPlane.createNamespace('cache-lag');
    await k.apply({
      apiVersion: 'kagent.dev/v1alpha1',
      kind: 'AgentCard',
      metadata: { name: 'mine', namespace: ns },
      spec: { endpoints: ['https://hand-made.example.com'] },
    });
    const agent = await k.apply(kagentAgent(ns, 'mine', REGISTER));
    const laggingCache: ObservedState = {
      source: (kind, namespace, name) =>
        kind.id === 'kagent' && namespace === ns && name === 'mine' ? agent : undefined,
      sourceSynced: () => true,
      card: () => undefined,
    };
    const client = new CardClient(controlPlane.kubeConfig, testConfig(ns).fieldManager);
    const reconcile = createReconciler({
      state: laggingCache,
      client,
      events: new EventRecorder({
        kubeConfig: controlPlane.kubeConfig,
        controller: 'agent-registry.dev/controller',
        instance: 'cache-lag-test',
        logger: silentLogger,
      }),
      probeOutcome: () => undefined,
      generateOptions: { managedBy: DEFAULT_MANAGED_BY },
      probeIntervalMs: 60_000,
      logger: silentLogger,
    });

    expect(await reconcile(`${ns}/mine`)).toMatchObject({ action: 'skipped', detail: 'foreign card' });
    expect(client.writes).toEqual({ apply: 1, status: 0, delete: 0 });
    const card = await k.card(ns, 'mine');
    expect(card?.spec.endpoints).toEqual(['https://hand-made.example.com']);
    expect(card?.metadata.labels?.['app.kubernetes.io/managed-by']).toBeUndefined();
    expect((await k.events(ns)).map((event) => event.reason)).toContain(EVENT_REASON_CONFLICT);
  });
});
