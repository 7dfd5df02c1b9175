import { existsSync } from 'node:fs';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestNamespace, integration, startControlPlane, type ControlPlane } from '../index.js';

// The shared control plane must not be restarted under other suites, so this
// suite starts its own (the binaries come from the same resolution rules).
integration.describe('a dedicated control plane', (shared) => {
  let cp: ControlPlane;
  let startupMs = 0;

  beforeAll(async () => {
    const started = performance.now();
    cp = await startControlPlane({ binaries: shared.binaries });
    startupMs = performance.now() - started;
  });
  afterAll(() => cp?.stop());

  it('starts within 15 s and serves the admin token over TLS', async () => {
    console.info(`control plane start-up: ${Math.round(startupMs)} ms`);
    expect(startupMs).toBeLessThan(15_000);
    expect(cp.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const review = await cp.kubectl(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.groups}']);
    expect(review).toContain('system:masters');
    const version = await cp.kubectl(['version', '-o', 'json']);
    expect(JSON.parse(version)).toMatchObject({
      clientVersion: { gitVersion: expect.stringMatching(/^v1\.\d+\.\d+$/) },
      serverVersion: { gitVersion: expect.stringMatching(/^v1\.\d+\.\d+$/) },
    });
  });

  it('survives an apiserver restart with its data (same port, same etcd)', async () => {
    const ns = await createTestNamespace(cp.kubeConfig, 'restart');
    const core = cp.kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({
      namespace: ns.name,
      body: { metadata: { name: 'kept' }, data: { a: '1' } },
    });

    const started = performance.now();
    await cp.restartApiServer();
    console.info(`apiserver restart: ${Math.round(performance.now() - started)} ms`);

    const kept = await core.readNamespacedConfigMap({ namespace: ns.name, name: 'kept' });
    expect(kept.data).toEqual({ a: '1' });
  });

  it('stop() kills both servers and removes the temporary directory', async () => {
    const other = await startControlPlane({ binaries: shared.binaries });
    const { dir } = other;
    expect(existsSync(dir)).toBe(true);
    await other.stop();
    await other.stop(); // idempotent
    expect(existsSync(dir)).toBe(false);
    const reachable = await fetch(`${other.server}/readyz`).then(
      () => true,
      () => false,
    );
    expect(reachable).toBe(false);
  });
});
