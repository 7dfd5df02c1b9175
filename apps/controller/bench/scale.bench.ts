/**
 * Scale benchmark against a real kube-apiserver + etcd (tools/testing):
 * 1,000 annotated kagent Agents → time until all 1,000 AgentCards exist and the
 * writes issued, against a baseline measured in the same run (the time the
 * bench itself takes to create the 1,000 Agents); then a forced full resync
 * and the writes it issued (target: 0).
 *
 *   npm run bench            (from apps/controller; AGENTS=… CONCURRENCY=… to vary)
 */
import {
  CustomObjectsApi,
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { installCrds, resolveBinaries, startControlPlane, testCrdFiles } from '@agent-registry/testing';
import { defineConfig } from '../src/config.js';
import { startController } from '../src/controller.js';
import { createLogger } from '@agent-registry/app-shell';

const AGENTS = Number(process.env.AGENTS ?? 1000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 4);
const CLIENT_PARALLELISM = 16;
const NAMESPACE = 'bench';

async function inParallel<T>(
  items: T[],
  parallelism: number,
  task: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallelism }, async () => {
      while (next < items.length) await task(items[next++] as T);
    }),
  );
}

async function main(): Promise<void> {
  const binaries = resolveBinaries();
  if (!binaries.found) {
    console.log(
      `SKIPPED: kube-apiserver/etcd not available (${binaries.reason}); run \`npm run envtest:setup\`.`,
    );
    return;
  }
  const controlPlane = await startControlPlane({ binaries: binaries.binaries });
  try {
    const { kubeConfig } = controlPlane;
    await installCrds(kubeConfig, testCrdFiles());
    const objects = KubernetesObjectApi.makeApiClient(kubeConfig);
    const custom = kubeConfig.makeApiClient(CustomObjectsApi);
    await objects.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: NAMESPACE },
    } as KubernetesObject);

    const controller = await startController(
      defineConfig({
        leaderElect: false,
        httpPort: 0,
        httpHost: '127.0.0.1',
        concurrency: CONCURRENCY,
        probeIntervalMs: 3_600_000, // health probes are not what this measures
        resyncPeriodMs: 3_600_000,
      }),
      { kubeConfig, logger: createLogger({ level: 'error' }), processMetrics: false },
    );
    await controller.whenReady();

    const names = Array.from({ length: AGENTS }, (_, i) => `agent-${String(i).padStart(4, '0')}`);
    const started = performance.now();
    await inParallel(names, CLIENT_PARALLELISM, (name) =>
      objects.patch(
        {
          apiVersion: 'kagent.dev/v1alpha2',
          kind: 'Agent',
          metadata: {
            name,
            namespace: NAMESPACE,
            annotations: {
              'kagent.dev/register-to-registry': 'true',
              'kagent.dev/capabilities': 'bench,scale',
            },
          },
          // What kagent's own CRD requires of a Declarative agent (the control plane installs kagent's CRD).
          spec: {
            type: 'Declarative',
            description: `Benchmark agent ${name}`,
            declarative: { systemMessage: 'You are a benchmark agent.' },
          },
        } as KubernetesObject,
        undefined,
        undefined,
        'bench',
        true,
        PatchStrategy.ServerSideApply,
      ),
    );
    const createMs = performance.now() - started;

    const countCards = async (): Promise<number> => {
      let count = 0;
      let continueToken: string | undefined;
      do {
        const page = (await custom.listNamespacedCustomObject({
          group: 'kagent.dev',
          version: 'v1alpha1',
          plural: 'agentcards',
          namespace: NAMESPACE,
          limit: 500,
          _continue: continueToken,
        })) as { items: unknown[]; metadata?: { continue?: string } };
        count += page.items.length;
        continueToken = page.metadata?.continue || undefined;
      } while (continueToken);
      return count;
    };
    // Poll the controller's own write counter (cheap), then confirm with a list.
    while (controller.writes().apply < AGENTS) await new Promise((resolve) => setTimeout(resolve, 20));
    while ((await countCards()) < AGENTS) await new Promise((resolve) => setTimeout(resolve, 50));
    const allCardsMs = performance.now() - started;
    await controller.whenIdle();
    const settledMs = performance.now() - started;
    const initialWrites = controller.writes();

    const resyncStarted = performance.now();
    const keys = controller.resync();
    await controller.whenIdle();
    const resyncMs = performance.now() - resyncStarted;
    const after = controller.writes();
    const resyncWrites = {
      apply: after.apply - initialWrites.apply,
      status: after.status - initialWrites.status,
      delete: after.delete - initialWrites.delete,
      event: after.event - initialWrites.event,
    };
    await controller.stop();

    const row = (label: string, value: string): string => `  ${label.padEnd(44)} ${value}`;
    console.log(`\nController scale benchmark: ${AGENTS} kagent Agents, --concurrency=${CONCURRENCY}`);
    console.log(
      row(
        'baseline: bench creates the Agents',
        `${createMs.toFixed(0)} ms (${CLIENT_PARALLELISM} parallel SSA requests)`,
      ),
    );
    console.log(
      row(
        'all AgentCards exist (from first create)',
        `${allCardsMs.toFixed(0)} ms  → ratio ${(allCardsMs / createMs).toFixed(2)}x baseline`,
      ),
    );
    console.log(row('controller idle (cards + status written)', `${settledMs.toFixed(0)} ms`));
    console.log(row('writes to reach that state', JSON.stringify(initialWrites)));
    console.log(row(`forced full resync of ${keys} keys`, `${resyncMs.toFixed(0)} ms`));
    console.log(row('writes issued by the resync (target 0)', JSON.stringify(resyncWrites)));
    const total = resyncWrites.apply + resyncWrites.status + resyncWrites.delete + resyncWrites.event;
    if (total !== 0) process.exitCode = 1;
  } finally {
    await controlPlane.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
