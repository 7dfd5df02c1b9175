import type { KubernetesObject } from '@kubernetes/client-node';
import { expect, onTestFinished, test } from 'vitest';
import { integration } from '@agent-registry/testing';
import { validateA2ACard } from '@agent-registry/a2a-translator';
import type { AgentCard } from '@agent-registry/crds';
import { startController, type RunningController } from '../controller.js';
import { createLogger, silentLogger } from '@agent-registry/app-shell';
import {
  a2aAgent,
  kagentAgent,
  kube,
  REGISTER,
  startAgentServer,
  testConfig,
  VALID_A2A_CARD,
  waitFor,
} from '../testing.js';
import type { ControllerConfig } from '../config.js';

const condition = (card: AgentCard | undefined, type: string) =>
  card?.status?.conditions?.find((c) => c.type === type);

integration.withKagent('controller against a real apiserver', (controlPlane) => {
  const k = kube(controlPlane.kubeConfig);

  async function run(config: ControllerConfig): Promise<RunningController> {
    const controller = await startController(config, {
      kubeConfig: controlPlane.kubeConfig,
      logger: process.env.TEST_LOGS ? createLogger({ level: 'debug' }) : silentLogger,
      processMetrics: false,
    });
    onTestFinished(() => controller.stop());
    return controller;
  }

  test('an annotated kagent Agent gets its card; updates, opt-out and deletion follow', async () => {
    const { name: ns } = await controlPlane.createNamespace('lifecycle');
    const controller = await run(testConfig(ns));
    const agent = await k.apply(
      kagentAgent(ns, 'helper', { ...REGISTER, 'kagent.dev/capabilities': 'kubernetes,monitoring' }),
    );

    const card = await waitFor('the card with a Ready condition', async () => {
      const c = await k.card(ns, 'helper');
      return condition(c, 'Ready') ? c : undefined;
    });
    expect(card.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('agent-registry');
    expect(card.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        apiVersion: 'kagent.dev/v1alpha2',
        kind: 'Agent',
        name: 'helper',
        uid: agent.metadata?.uid,
        controller: true,
      }),
    ]);
    expect(card.spec.endpoints).toEqual([`http://helper.${ns}.svc.cluster.local:8080`]);
    expect(card.spec.capabilities).toEqual(['kubernetes', 'monitoring']);
    expect(card.spec.sourceRef).toMatchObject({ kind: 'Agent', name: 'helper', uid: agent.metadata?.uid });
    expect(card.spec.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(validateA2ACard(card.spec.publicCard).ok).toBe(true);
    expect(condition(card, 'Ready')).toMatchObject({
      status: 'True',
      observedGeneration: card.metadata.generation,
    });
    expect(condition(card, 'Degraded')?.status).toBe('False');
    expect(card.status?.health).toBe('Unknown');
    expect(
      card.metadata.managedFields?.some(
        (f) => (f as { manager?: string }).manager === 'agent-registry-controller',
      ),
    ).toBe(true);

    // Change an annotation → the card follows.
    await k.setAnnotations(agent, { ...REGISTER, 'kagent.dev/capabilities': 'kubernetes,security' });
    await waitFor('the updated capabilities', async () =>
      (await k.card(ns, 'helper'))?.spec.capabilities?.includes('security'),
    );

    // Remove the opt-in → the card goes.
    await k.setAnnotations(agent, { 'kagent.dev/capabilities': 'kubernetes,security' });
    await waitFor('the card to be deleted', async () => (await k.card(ns, 'helper')) === undefined);

    // Opt in again, then delete the agent → the controller's orphan cleanup removes the card (no GC in envtest).
    await k.setAnnotations(agent, REGISTER);
    await waitFor('the card to come back', () => k.card(ns, 'helper'));
    await k.remove(agent);
    await waitFor('the orphaned card to be deleted', async () => (await k.card(ns, 'helper')) === undefined);
    expect(controller.writes().delete).toBe(2);
  });

  test('a bad annotation degrades one card and records one Event; other agents keep working', async () => {
    const { name: ns } = await controlPlane.createNamespace('degraded');
    const controller = await run(testConfig(ns));
    await k.apply(kagentAgent(ns, 'broken', { ...REGISTER, 'kagent.dev/a2a-endpoint': 'not a url' }));
    await k.apply(kagentAgent(ns, 'fine', REGISTER));

    const broken = await waitFor('the Degraded condition', async () => {
      const c = await k.card(ns, 'broken');
      return condition(c, 'Degraded')?.status === 'True' ? c : undefined;
    });
    expect(condition(broken, 'Degraded')).toMatchObject({ reason: 'InvalidAnnotations' });
    expect(condition(broken, 'Degraded')?.message).toContain('kagent.dev/a2a-endpoint');
    expect(condition(broken, 'Ready')).toMatchObject({ status: 'False', reason: 'InvalidAnnotations' });
    const fine = await waitFor('the other card', async () => {
      const c = await k.card(ns, 'fine');
      return condition(c, 'Ready')?.status === 'True' ? c : undefined;
    });
    expect(condition(fine, 'Degraded')?.status).toBe('False');

    const warning = await waitFor('the Warning event', async () =>
      (await k.events(ns)).find((e) => e.reason === 'InvalidAnnotation' && e.regarding?.name === 'broken'),
    );
    expect(warning).toMatchObject({
      type: 'Warning',
      regarding: { kind: 'Agent', apiVersion: 'kagent.dev/v1alpha2' },
    });
    expect(warning.note).toContain('kagent.dev/a2a-endpoint');

    // A resync reconciles everything again without repeating the event or writing anything.
    const before = controller.writes();
    controller.resync();
    await controller.whenIdle();
    expect(controller.writes()).toEqual(before);
    expect((await k.events(ns)).filter((e) => e.reason === 'InvalidAnnotation')).toHaveLength(1);
  });

  test('a restarted controller issues no writes for unchanged agents', async () => {
    const { name: ns } = await controlPlane.createNamespace('restart');
    const first = await run(testConfig(ns));
    for (const name of ['a', 'b', 'c']) await k.apply(kagentAgent(ns, name, REGISTER));
    await k.apply(a2aAgent(ns, 'd', { description: 'd', endpoints: [{ url: 'https://d.example.com/a2a' }] }));
    await waitFor('four ready cards', async () => {
      const cards = await k.cards(ns);
      return cards.length === 4 && cards.every((c) => condition(c, 'Ready')) ? cards : undefined;
    });
    await first.whenIdle();
    expect(first.writes().apply).toBe(4);
    const versions = Object.fromEntries(
      (await k.cards(ns)).map((c) => [c.metadata.name, c.metadata.resourceVersion]),
    );
    await first.stop();

    const second = await run(testConfig(ns));
    await second.whenReady();
    await waitFor('the second controller to work through all keys', async () => {
      await second.whenIdle();
      const text = await second.metrics.registry.getSingleMetricAsString('agent_registry_reconcile_total');
      return /result="success"} ([4-9]|\d\d+)/.test(text);
    });
    expect(second.writes()).toEqual({ apply: 0, status: 0, delete: 0, event: 0 });
    const after = Object.fromEntries(
      (await k.cards(ns)).map((c) => [c.metadata.name, c.metadata.resourceVersion]),
    );
    expect(after).toEqual(versions);
  });

  test('a hand edit of a generated field is put back (only the echoes of its own writes are not reconciled)', async () => {
    const { name: ns } = await controlPlane.createNamespace('drift');
    const controller = await run(testConfig(ns));
    await k.apply(kagentAgent(ns, 'drifty', REGISTER));
    const generated = await waitFor('the card with a Ready condition', async () => {
      const c = await k.card(ns, 'drifty');
      return condition(c, 'Ready') ? c : undefined;
    });
    await controller.whenIdle();
    expect(controller.writes()).toMatchObject({ apply: 1, status: 1 });

    // Someone else takes the content hash over (server-side apply, forced, another field manager).
    await k.apply({
      apiVersion: 'kagent.dev/v1alpha1',
      kind: 'AgentCard',
      metadata: { name: 'drifty', namespace: ns },
      spec: { contentHash: '0'.repeat(64) },
    } as KubernetesObject);
    await waitFor('the generated hash back', async () => {
      const c = await k.card(ns, 'drifty');
      return c?.spec.contentHash === generated.spec.contentHash;
    });
    await controller.whenIdle();
    // The spec changed twice (the edit, the repair): the status follows with its observedGeneration.
    expect(controller.writes()).toMatchObject({ apply: 2, status: 2 });
    expect((await k.card(ns, 'drifty'))?.status?.observedGeneration).toBe(3);
  });

  test('health: Healthy while the agent serves a valid card, Unhealthy once it stops', async () => {
    const { name: ns } = await controlPlane.createNamespace('health');
    const server = await startAgentServer();
    expect(validateA2ACard(VALID_A2A_CARD(server.url)).ok).toBe(true);
    const controller = await run(testConfig(ns, { probeIntervalMs: 300, probeTimeoutMs: 250 }));
    await k.apply(kagentAgent(ns, 'live', { ...REGISTER, 'kagent.dev/a2a-endpoint': server.url }));

    const healthy = await waitFor('Healthy', async () => {
      const c = await k.card(ns, 'live');
      return c?.status?.health === 'Healthy' ? c : undefined;
    });
    expect(healthy.status?.lastSeen).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await server.close();
    const unhealthy = await waitFor('Unhealthy', async () => {
      const c = await k.card(ns, 'live');
      return c?.status?.health === 'Unhealthy' ? c : undefined;
    });
    expect(unhealthy.status?.lastSeen).toBeDefined();
    expect(condition(unhealthy, 'Ready')?.status).toBe('True'); // health is not readiness of the card
    const probes = await controller.metrics.registry.getSingleMetricAsString('agent_registry_probe_total');
    expect(probes).toMatch(/result="healthy"/);
    expect(probes).toMatch(/result="unhealthy"/);
  });

  test('an in-cluster service without ready endpoints is Unhealthy without an HTTP call', async () => {
    const { name: ns } = await controlPlane.createNamespace('endpoints');
    const controller = await run(testConfig(ns, { probeIntervalMs: 300, probeTimeoutMs: 250 }));
    await k.apply(kagentAgent(ns, 'svc-agent', REGISTER));
    await waitFor('Unhealthy', async () => (await k.card(ns, 'svc-agent'))?.status?.health === 'Unhealthy');
    expect(await controller.metrics.registry.getSingleMetricAsString('agent_registry_probe_total')).toMatch(
      /result="unhealthy"} [1-9]/,
    );
  });

  test('a kagent Agent wins over an a2a.io Agent of the same name; the loser gets a Conflict event', async () => {
    const { name: ns } = await controlPlane.createNamespace('conflict');
    await run(testConfig(ns));
    const a2a = await k.apply(
      a2aAgent(ns, 'twin', { description: 'a2a twin', endpoints: [{ url: 'https://twin.example.com' }] }),
    );
    await waitFor(
      'the a2a.io card',
      async () => (await k.card(ns, 'twin'))?.metadata.ownerReferences?.[0]?.uid === a2a.metadata?.uid,
    );

    const kagent = await k.apply(kagentAgent(ns, 'twin', REGISTER));
    const card = await waitFor('the kagent card', async () => {
      const c = await k.card(ns, 'twin');
      return c?.metadata.ownerReferences?.[0]?.uid === kagent.metadata?.uid ? c : undefined;
    });
    expect(card.metadata.ownerReferences).toHaveLength(1);
    expect(card.spec.sourceRef?.apiVersion).toBe('kagent.dev/v1alpha2');
    await waitFor('the Conflict event', async () =>
      (await k.events(ns)).find((e) => e.reason === 'Conflict' && e.regarding?.uid === a2a.metadata?.uid),
    );
  });

  test('a card of the same name that is not ours is left alone', async () => {
    const { name: ns } = await controlPlane.createNamespace('foreign');
    const controller = await run(testConfig(ns));
    await k.apply({
      apiVersion: 'kagent.dev/v1alpha1',
      kind: 'AgentCard',
      metadata: { name: 'mine', namespace: ns },
      spec: { endpoints: ['https://hand-made.example.com'] },
    });
    await k.apply(kagentAgent(ns, 'mine', REGISTER));
    await waitFor('the Conflict event', async () =>
      (await k.events(ns)).find((e) => e.reason === 'Conflict'),
    );
    const card = await k.card(ns, 'mine');
    expect(card?.spec.endpoints).toEqual(['https://hand-made.example.com']);
    expect(card?.metadata.labels?.['app.kubernetes.io/managed-by']).toBeUndefined();
    // None, or one refused with 409 when the agent's event came before the card's (the cache had not seen it).
    expect(controller.writes().apply).toBeLessThanOrEqual(1);
  });

  test('serves /healthz, /readyz and /metrics', async () => {
    const { name: ns } = await controlPlane.createNamespace('http');
    const controller = await run(testConfig(ns));
    await controller.whenReady();
    const base = controller.httpUrl as string;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    for (const name of [
      'agent_registry_reconcile_total',
      'agent_registry_reconcile_duration_seconds',
      'agent_registry_workqueue_depth',
      'agent_registry_probe_total',
      'agent_registry_probe_duration_seconds',
      'agent_registry_leader 1',
      'agent_registry_cards',
    ]) {
      expect(metrics).toContain(name);
    }
  });
});
