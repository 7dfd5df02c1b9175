import { CoordinationV1Api, V1MicroTime } from '@kubernetes/client-node';
import { expect, onTestFinished, test } from 'vitest';
import { integration } from '@agent-registry/testing';
import { startController, type RunningController } from '../controller.js';
import { LeaderElector } from '../leaderElection.js';
import { silentLogger } from '../logger.js';
import { kagentAgent, kube, REGISTER, testConfig, waitFor } from './support.js';

integration.describe('leader election', (controlPlane) => {
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

  test('a crashed holder (lease not released) is replaced only after the lease duration', async () => {
    const { name: ns } = await controlPlane.createNamespace('expiry');
    const now = new V1MicroTime();
    await leases.createNamespacedLease({
      namespace: ns,
      body: {
        metadata: { name: 'crashed', namespace: ns },
        spec: {
          holderIdentity: 'ghost',
          leaseDurationSeconds: 2,
          acquireTime: now,
          renewTime: now,
          leaseTransitions: 3,
        },
      },
    });
    let leadingSince = 0;
    const elector = new LeaderElector({
      kubeConfig: controlPlane.kubeConfig,
      leaseName: 'crashed',
      leaseNamespace: ns,
      identity: 'heir',
      leaseDurationMs: 2000,
      logger: silentLogger,
      onStartedLeading: () => {
        leadingSince = Date.now();
      },
      onStoppedLeading: () => undefined,
    });
    const started = Date.now();
    elector.start();
    onTestFinished(() => elector.stop());
    await waitFor('the heir to lead', () => elector.isLeader, 6000, 20);
    expect(leadingSince - started).toBeGreaterThanOrEqual(1900);
    expect(elector.currentHolder).toBe('heir');
    const lease = await leases.readNamespacedLease({ name: 'crashed', namespace: ns });
    expect(lease.spec).toMatchObject({ holderIdentity: 'heir', leaseTransitions: 4 });

    await elector.stop();
    const released = await leases.readNamespacedLease({ name: 'crashed', namespace: ns });
    expect(released.spec?.holderIdentity ?? '').toBe('');
    expect(released.spec?.leaseTransitions).toBe(4);
  });
});
