import { CoordinationV1Api } from '@kubernetes/client-node';
import { expect, onTestFinished, test } from 'vitest';
import { integration } from '@agent-registry/testing';
import { startController, type RunningController } from '../controller.js';
import { silentLogger } from '@agent-registry/app-shell';
import { kagentAgent, kube, REGISTER, testConfig, waitFor } from '../testing.js';

integration.withKagent('leader election of two controllers', (controlPlane) => {
  const k = kube(controlPlane.kubeConfig);
  const leases = controlPlane.kubeConfig.makeApiClient(CoordinationV1Api);

  test('two controllers: only the leader reconciles; the standby takes over when it stops', async () => {
    const { name: ns } = await controlPlane.createNamespace('leader');
    const config = testConfig(ns, {
      leaderElect: true,
      leaseName: `lease-${ns}`,
      leaseNamespace: ns,
      leaseDurationMs: 2000,
    });
    const start = async (identity: string): Promise<RunningController> => {
      const c = await startController(config, {
        kubeConfig: controlPlane.kubeConfig,
        logger: silentLogger,
        identity,
        processMetrics: false,
      });
      onTestFinished(() => c.stop());
      return c;
    };
    const one = await start('one');
    const two = await start('two');
    const leader = await waitFor('a leader', () => [one, two].find((c) => c.isLeader()));
    const standby = leader === one ? two : one;
    await new Promise((resolve) => setTimeout(resolve, 600)); // a few renew rounds
    expect(standby.isLeader()).toBe(false);

    await k.apply(kagentAgent(ns, 'first', REGISTER));
    await waitFor('the first card', () => k.card(ns, 'first'));
    await leader.whenIdle();
    expect(leader.writes().apply).toBe(1);
    expect(standby.writes()).toEqual({ apply: 0, status: 0, delete: 0, event: 0 });
    const lease = await leases.readNamespacedLease({ name: config.leaseName, namespace: ns });
    expect(lease.spec).toMatchObject({ holderIdentity: leader.identity, leaseDurationSeconds: 2 });
    const transitions = lease.spec?.leaseTransitions ?? 0;

    const stoppedAt = Date.now();
    await leader.stop();
    await waitFor('the standby to lead', () => standby.isLeader(), 5000, 20);
    // Released on stop, so the standby does not wait for the lease to expire.
    expect(Date.now() - stoppedAt).toBeLessThan(2000);
    await k.apply(kagentAgent(ns, 'second', REGISTER));
    await waitFor('the second card', () => k.card(ns, 'second'));
    await standby.whenIdle();
    expect(standby.writes().apply).toBe(1); // only the new agent: the first card was unchanged
    const after = await leases.readNamespacedLease({ name: config.leaseName, namespace: ns });
    expect(after.spec).toMatchObject({ holderIdentity: standby.identity, leaseTransitions: transitions + 1 });
  });
});
