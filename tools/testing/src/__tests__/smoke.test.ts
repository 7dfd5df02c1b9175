import { test, expect } from 'vitest';
import { startControlPlane } from '../controlPlane.js';
import { CoreV1Api } from '@kubernetes/client-node';

test('smoke', async () => {
  const t0 = performance.now();
  const cp = await startControlPlane();
  const t1 = performance.now();
  console.log('startup ms', Math.round(t1 - t0), cp.server);
  try {
    const api = cp.kubeConfig.makeApiClient(CoreV1Api);
    const ns = await api.listNamespace();
    console.log(ns.items.map((n) => n.metadata?.name));
    console.log(await cp.kubectl(['version']));
    const r0 = performance.now();
    await cp.restartApiServer();
    console.log('restart ms', Math.round(performance.now() - r0));
    console.log(await cp.kubectl(['get', 'ns']));
  } finally {
    const s0 = performance.now();
    await cp.stop();
    console.log('stop ms', Math.round(performance.now() - s0));
  }
  expect(1).toBe(1);
}, 120_000);
