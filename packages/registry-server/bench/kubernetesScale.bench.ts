/**
 * Issue 17's scale benchmark, Kubernetes store: a real kube-apiserver and etcd (@agent-registry/testing),
 * the bench cards created as AgentCards with a bounded-concurrency loop, then the registry started from
 * dist/ in its own process on that control plane (`store: 'kubernetes'`, one cluster-wide informer):
 * time to ready (its first list of every card), memory per card beyond a registry on an empty cluster,
 * and scaleMeasure.ts's runs, as scale.bench.ts does for the embedded store. Needs the envtest binaries
 * (tools/envtest); `status` is a subresource, so the created cards carry no status (health Unknown).
 *
 *   npm run build && npx tsx bench/kubernetesScale.bench.ts      (BENCH_CARDS=10000, BENCH_CREATE_CONCURRENCY=32)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { installCrds, startControlPlane, testCrdFiles } from '@agent-registry/testing';
import { generateCards } from './cards.js';
import { startChild } from './childProcess.js';
import { cpuSeconds, loadAverage, measureScale, scaleTargets } from './scaleMeasure.js';

const COUNT = Number(process.env.BENCH_CARDS ?? 10_000);
const CREATE_CONCURRENCY = Number(process.env.BENCH_CREATE_CONCURRENCY ?? 32);
const settings = {
  durationSeconds: Number(process.env.BENCH_DURATION ?? 5),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 50),
  rounds: Number(process.env.BENCH_ROUNDS ?? 2),
};
const here = import.meta.dirname;
const mb = (bytes: number): number => bytes / 1024 / 1024;

console.log(`${process.version}, ${availableParallelism()} CPUs; load average ${loadAverage()}`);
const controlPlane = await startControlPlane();
const workDir = await mkdtemp(join(tmpdir(), 'registry-kube-scale-'));
let failed = false;
try {
  await installCrds(controlPlane.kubeConfig, testCrdFiles());
  const core = controlPlane.kubeConfig.makeApiClient(CoreV1Api);
  const custom = controlPlane.kubeConfig.makeApiClient(CustomObjectsApi);
  const registryArgs = ['-', `--kubeconfig=${controlPlane.kubeconfigPath}`];

  const empty = await startChild(join(here, 'registryProcess.mjs'), registryArgs);
  const emptyMemory = await empty.memory();
  await empty.stop();

  const { manifests, sample, commonSkill } = generateCards(COUNT);
  const namespaces = [
    ...new Set(manifests.map((card) => (card.metadata as { namespace: string }).namespace)),
  ];
  for (const name of namespaces) await core.createNamespace({ body: { metadata: { name } } });
  const createStarted = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CREATE_CONCURRENCY }, async () => {
      while (next < manifests.length) {
        const { status: _status, ...card } = manifests[next++]!;
        if (next % 10_000 === 0) {
          const seconds = (performance.now() - createStarted) / 1000;
          console.log(`  ${next} created in ${seconds.toFixed(0)} s; load average ${loadAverage()}`);
        }
        const namespace = (card.metadata as { namespace: string }).namespace;
        await custom.createNamespacedCustomObject({
          group: 'kagent.dev',
          version: 'v1alpha1',
          plural: 'agentcards',
          namespace,
          body: card,
        });
      }
    }),
  );
  const createSeconds = (performance.now() - createStarted) / 1000;
  manifests.length = 0;
  console.log(
    `created ${COUNT} AgentCards in ${createSeconds.toFixed(1)} s (${Math.round(COUNT / createSeconds)}/s, ` +
      `${CREATE_CONCURRENCY} at a time); load average ${loadAverage()}`,
  );

  const loadBefore = loadAverage();
  const started = performance.now();
  const registry = await startChild(join(here, 'registryProcess.mjs'), registryArgs, { timeoutMs: 600_000 });
  const readySeconds = (performance.now() - started) / 1000;
  const readyCpuSeconds = cpuSeconds(registry.process.pid as number);
  try {
    const listed = (await (await fetch(`${registry.url}/readyz`)).text()).slice(0, 200);
    const loaded = await registry.memory();
    const { rows, figures } = await measureScale({
      registry,
      cards: COUNT,
      sample,
      commonSkill,
      workDir,
      settings,
    });
    figures.readySeconds = readySeconds;
    figures.readyCpuSeconds = readyCpuSeconds;
    figures.bytesPerCard = (loaded.rss - emptyMemory.rss) / COUNT;
    console.log(
      `\nKubernetes store, ${COUNT} cards: ready in ${readySeconds.toFixed(2)} s, ${readyCpuSeconds.toFixed(2)} s of CPU (load average before ${loadBefore}; /readyz ${listed.trim()}); ` +
        `RSS empty ${mb(emptyMemory.rss).toFixed(1)} MB, loaded ${mb(loaded.rss).toFixed(1)} MB ` +
        `(${(figures.bytesPerCard / 1024).toFixed(2)} KB/card; heap ${((loaded.heapUsed - emptyMemory.heapUsed) / COUNT / 1024).toFixed(2)} KB/card), ` +
        `after the runs ${(figures.rssAfterRunsMb as number).toFixed(1)} MB`,
    );
    console.table(rows);
    const targets = scaleTargets(figures, settings.connections);
    console.table(targets.map((row) => ({ ...row, pass: row.pass ? 'PASS' : 'FAIL' })));
    failed = targets.some((row) => !row.pass);
  } finally {
    await registry.stop();
  }
} finally {
  await rm(workDir, { recursive: true, force: true });
  await controlPlane.stop();
}
if (failed) process.exitCode = 1;
