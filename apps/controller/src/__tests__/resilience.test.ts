import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  installCrds,
  kagentAgentCrd,
  kagentAgentCrdFile,
  resolveBinaries,
  startControlPlane,
  testCrdFiles,
  type ControlPlane,
} from '@agent-registry/testing';
import { startController, type RunningController } from '../controller.js';
import { silentLogger } from '@agent-registry/app-shell';
import { a2aAgent, kagentAgent, kube, REGISTER, testConfig, waitFor } from '../testing.js';

// This suite needs a control plane of its own: it restarts the apiserver and starts without the kagent CRD.
const binaries = resolveBinaries();
const ci = !!process.env.CI && !['0', 'false'].includes(process.env.CI.toLowerCase());
if (!binaries.found && ci) throw new Error(`CI=true and envtest binaries missing: ${binaries.reason}`);

// It installs kagent's own Agent CRD midway: from ../shared (skipped by name without it; an error under CI).
const kagentCrd = kagentAgentCrd();

describe.skipIf(!binaries.found || !kagentCrd.available)('resilience (own control plane)', () => {
  let controlPlane: ControlPlane;
  let controller: RunningController | undefined;

  beforeAll(async () => {
    controlPlane = await startControlPlane({ binaries: binaries.binaries });
    // Everything but kagent's Agent CRD: a cluster without kagent.
    await installCrds(
      controlPlane.kubeConfig,
      testCrdFiles().filter((file) => file !== kagentAgentCrdFile),
    );
  }, 90_000);

  afterAll(async () => {
    await controller?.stop();
    await controlPlane?.stop();
  });

  test('works without the kagent CRD, picks it up once installed, and survives an apiserver restart', async () => {
    const k = kube(controlPlane.kubeConfig);
    const ns = 'resilience';
    await k.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    controller = await startController(testConfig(ns), {
      kubeConfig: controlPlane.kubeConfig,
      logger: silentLogger,
      processMetrics: false,
    });
    await controller.whenReady();
    expect(controller.isReady()).toBe(true);

    // No kagent CRD: a2a.io Agents still get cards.
    await k.apply(
      a2aAgent(ns, 'a2a-one', { description: 'one', endpoints: [{ url: 'https://one.example.com' }] }),
    );
    await waitFor('the a2a.io card', () => k.card(ns, 'a2a-one'));

    // Install kagent's CRD: the informer that kept retrying finds it.
    await installCrds(controlPlane.kubeConfig, [kagentAgentCrdFile]);
    // Established is not yet discoverable: client-node looks the kind up first, so retry until it is served.
    await waitFor('the kagent Agent accepted', () =>
      k.apply(kagentAgent(ns, 'kagent-one', REGISTER)).catch(() => undefined),
    );
    await waitFor('the kagent card once the CRD exists', () => k.card(ns, 'kagent-one'), 45_000);

    // Restart the apiserver; watches break and must resume.
    await controlPlane.restartApiServer();
    await k.apply(kagentAgent(ns, 'after-restart', { ...REGISTER, 'kagent.dev/capabilities': 'resilience' }));
    const card = await waitFor(
      'a card for an agent created after the restart',
      () => k.card(ns, 'after-restart'),
      45_000,
    );
    expect(card.spec.capabilities).toEqual(['resilience']);
    await k.remove(kagentAgent(ns, 'kagent-one', {}));
    await waitFor(
      'deletion to be noticed after the restart',
      async () => (await k.card(ns, 'kagent-one')) === undefined,
      45_000,
    );
  }, 120_000);
});
