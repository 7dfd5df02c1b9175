import { CoordinationV1Api, V1MicroTime } from '@kubernetes/client-node';
import { expect, onTestFinished, test, vi } from 'vitest';
import { integration } from '@agent-registry/testing';
import { LeaderElector } from '../leaderElection.js';
import { silentLogger } from '../logger.js';

integration.describe('LeaderElector (shared control plane)', (controlPlane) => {
  const leases = controlPlane.kubeConfig.makeApiClient(CoordinationV1Api);

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
    await vi.waitFor(() => expect(elector.isLeader).toBe(true), { timeout: 6000, interval: 20 });
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
