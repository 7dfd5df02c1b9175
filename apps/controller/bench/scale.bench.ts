/**
 * Scale benchmark against a real kube-apiserver + etcd (tools/testing), all in one run:
 *
 * 1. creates AGENTS annotated kagent Agents (set-up, not compared with anything);
 * 2. baseline: a bare server-side-apply loop writes the cards the controller would write, the way it
 *    writes them (the card with the controller's field manager, then its status subresource: two
 *    writes a card) with CONCURRENCY workers, into another namespace — half of the cards before the
 *    controller runs (then deleted: the controller would remove cards without an agent), half after,
 *    so a change of the machine's load during the run weighs on both sides;
 * 3. starts the controller (--concurrency=CONCURRENCY) after the Agents exist and times it from its
 *    start (initial lists included) until every card exists with its status: cards/s and the ratio to
 *    the bare loop (target ≥ 80 %); writes as the apiserver counted them and as the controller did;
 *    every stored card is checked against the bare loop's;
 * 4. a forced full resync of the converged controller and its writes (target 0); RSS and heap.
 *
 * Each phase also reports CPU seconds per 1,000 cards of this process, kube-apiserver and etcd,
 * which the machine's load stretches far less than wall time; and the load average.
 *
 *   npm run bench   (from apps/controller; AGENTS=… CONCURRENCY=… to vary; PROFILE=file.cpuprofile
 *                    profiles the controller phase; BARE_CLIENT=client-node runs the bare loop on
 *                    client-node's own connections, a TLS handshake per request; BARE_WATCH=1 has the
 *                    bare loop keep an informer on the cards it writes, as the controller does)
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import { performance as perf } from 'node:perf_hooks';
import {
  CustomObjectsApi,
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { installCrds, resolveBinaries, startControlPlane, testCrdFiles } from '@agent-registry/testing';
import { createLogger } from '@agent-registry/app-shell';
import { DEFAULT_MANAGED_BY, generateAgentCard } from '@agent-registry/card-generator';
import { AGENT_CARD_RESOURCE, type AgentCard } from '@agent-registry/crds';
import { reuseConnections } from '@agent-registry/kube-runtime';
import { defineConfig } from '../src/config.js';
import { startController, type RunningController } from '../src/controller.js';
import { readApiServerWrites, type ApiServerWrites } from './apiServerWrites.js';
import { cardFingerprint, runBareApplyLoop } from './bareApplyLoop.js';
import { countersBetween } from './countersBetween.js';
import { cpuTime, type CpuTime } from './cpuTime.js';
import { inParallel } from './inParallel.js';

const AGENTS = Number(process.env.AGENTS ?? 10_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? defineConfig().concurrency);
const PROFILE = process.env.PROFILE;
/** The controller's connections (kube-runtime's reuseConnections) unless asked for client-node's own. */
const BARE_CLIENT = process.env.BARE_CLIENT === 'client-node' ? 'client-node' : 'reused connections';
/** BARE_WATCH=1: the bare loop also caches the cards it writes (an informer, as the controller has). */
const BARE_WATCH = process.env.BARE_WATCH === '1';
/** Parallel requests of the bench creating the Agents (set-up only). */
const CLIENT_PARALLELISM = 16;
/** The longest the controller may take before the run counts as failed. */
const CONVERGE_DEADLINE_MS = 60 * 60_000;
const NAMESPACE = 'bench';
const BARE_NAMESPACE = 'bench-bare';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const load = (): string =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const perSecond = (cards: number, ms: number): number => (cards * 1000) / ms;
const row = (label: string, value: string): string => `  ${label.padEnd(48)} ${value}`;
const writesText = (w: ApiServerWrites): string =>
  `apply ${w.apply}, status ${w.status}, other card writes ${w.otherCardWrites}, events ${w.event}`;
const cpuText = (cpu: CpuTime, cards: number): string => {
  const per = (seconds: number): string => ((seconds * 1000) / cards).toFixed(2);
  return `node ${per(cpu.node)} + apiserver ${per(cpu.apiserver)} + etcd ${per(cpu.etcd)} = ${per(cpu.node + cpu.apiserver + cpu.etcd)} CPU s / 1,000 cards`;
};
const addCpu = (a: CpuTime, b: CpuTime): CpuTime => ({
  node: a.node + b.node,
  apiserver: a.apiserver + b.apiserver,
  etcd: a.etcd + b.etcd,
});
const addWrites = (a: ApiServerWrites, b: ApiServerWrites): ApiServerWrites => ({
  apply: a.apply + b.apply,
  status: a.status + b.status,
  otherCardWrites: a.otherCardWrites + b.otherCardWrites,
  event: a.event + b.event,
});

/** Health probes the controller ran so far (a probe that changes a card's health causes a status write). */
async function probesRun(controller: RunningController): Promise<number> {
  const { values } = await controller.metrics.probeTotal.get();
  return values.reduce((sum, { value }) => sum + value, 0);
}

/** Reconciles the controller ran so far, by result. */
async function reconciles(controller: RunningController): Promise<string> {
  const { values } = await controller.metrics.reconcileTotal.get();
  return values.map(({ labels, value }) => `${labels.result} ${value}`).join(', ');
}

/** Every object of a resource in a namespace, page by page, as JSON. */
async function listAll(
  custom: CustomObjectsApi,
  resource: { group: string; version: string; plural: string },
  namespace: string,
): Promise<KubernetesObject[]> {
  const items: KubernetesObject[] = [];
  let continueToken: string | undefined;
  do {
    const page = (await custom.listNamespacedCustomObject({
      ...resource,
      namespace,
      limit: 500,
      _continue: continueToken,
    })) as { items: KubernetesObject[]; metadata?: { continue?: string } };
    items.push(...page.items);
    continueToken = page.metadata?.continue || undefined;
  } while (continueToken);
  return items;
}

/** Heap and RSS after a full collection (node --expose-gc; otherwise as found). */
function memory(): NodeJS.MemoryUsage {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage();
}

async function main(): Promise<void> {
  const binaries = resolveBinaries();
  if (!binaries.found) {
    console.log(
      `SKIPPED: kube-apiserver/etcd not available (${binaries.reason}); run \`npm run envtest:setup\`.`,
    );
    return;
  }
  const loadAtStart = load();
  const controlPlane = await startControlPlane({ binaries: binaries.binaries });
  try {
    const kubectl = (args: string[]): Promise<string> => controlPlane.kubectl(args);
    await installCrds(controlPlane.kubeConfig, testCrdFiles());
    // The bench's own requests (set-up and checks) need not pay a TLS handshake each either.
    const kubeConfig = reuseConnections(controlPlane.kubeConfig);
    const objects = KubernetesObjectApi.makeApiClient(kubeConfig);
    const custom = kubeConfig.makeApiClient(CustomObjectsApi);
    const { group, version, plural } = AGENT_CARD_RESOURCE;
    const cardsIn = { group, version, plural };
    for (const name of [NAMESPACE, BARE_NAMESPACE]) {
      await objects.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as KubernetesObject);
    }
    const config = defineConfig({
      leaderElect: false,
      httpPort: 0,
      httpHost: '127.0.0.1',
      concurrency: CONCURRENCY,
      // Health probes are not what this measures: each card is due once in ~24.8 days (the longest timer), at
      // an offset of its own, so a few may still fall in the run; they are counted and told apart below.
      probeIntervalMs: 2 ** 31 - 1,
      resyncPeriodMs: 3_600_000, // the resync is forced below
    });

    // 1. The Agents.
    const names = Array.from({ length: AGENTS }, (_, i) => `agent-${String(i).padStart(5, '0')}`);
    const createStarted = performance.now();
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
    const createMs = performance.now() - createStarted;

    // 2. The bare loop's cards: generated as the controller does, from the Agents as its informer sees them
    //    (raw JSON: client-node's typed objects carry Dates), written to the other namespace.
    const generateOptions = {
      clusterDomain: config.clusterDomain,
      defaultPort: config.defaultPort,
      a2aVersion: config.a2aVersion,
      managedBy: DEFAULT_MANAGED_BY,
    };
    const bareCards = (
      await listAll(custom, { group: 'kagent.dev', version: 'v1alpha2', plural: 'agents' }, NAMESPACE)
    ).map((agent): AgentCard => {
      const { card, diagnostics } = generateAgentCard(agent, generateOptions);
      const relevant = diagnostics.filter((d) => d.severity === 'error' || d.annotation !== undefined);
      if (!card || relevant.length > 0)
        throw new Error(`bench agent ${agent.metadata?.name} has diagnostics: ${JSON.stringify(relevant)}`);
      return { ...card, metadata: { ...card.metadata, namespace: BARE_NAMESPACE } };
    });
    const fingerprints = new Map<string, string>();
    const bareRun = async (cards: AgentCard[]) => {
      const loadBefore = load();
      const writesBefore = await readApiServerWrites(kubectl);
      const cpuBefore = cpuTime();
      const eluBefore = perf.eventLoopUtilization();
      const result = await runBareApplyLoop({
        kubeConfig:
          BARE_CLIENT === 'client-node' ? controlPlane.kubeConfig : reuseConnections(controlPlane.kubeConfig),
        cards,
        concurrency: CONCURRENCY,
        fieldManager: config.fieldManager,
        watch: BARE_WATCH,
      });
      const cpu = countersBetween(cpuBefore, cpuTime());
      const elu = perf.eventLoopUtilization(eluBefore).utilization;
      for (const [name, fingerprint] of result.fingerprints) fingerprints.set(name, fingerprint);
      const writes = countersBetween(writesBefore, await readApiServerWrites(kubectl));
      return { cards: cards.length, ms: result.elapsedMs, cpu, elu, writes, loadBefore, loadAfter: load() };
    };
    const half = Math.ceil(AGENTS / 2);
    const bareBefore = await bareRun(bareCards.slice(0, half));
    await custom.deleteCollectionNamespacedCustomObject({ ...cardsIn, namespace: BARE_NAMESPACE });

    // 3. The controller, from its start (initial lists included) until every card has its status.
    const memoryBefore = memory();
    const loadBeforeController = load();
    const writesBeforeController = await readApiServerWrites(kubectl);
    const profiler = PROFILE ? new Session() : undefined;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    const cpuBeforeController = cpuTime();
    const eluBeforeController = perf.eventLoopUtilization();
    const controllerStarted = performance.now();
    const controller = await startController(config, {
      kubeConfig: controlPlane.kubeConfig,
      logger: createLogger({ level: 'error' }),
      processMetrics: false,
    });
    await controller.whenReady();
    const syncedMs = performance.now() - controllerStarted;
    // The controller's own counter is free to poll; the apiserver's and a list of the cards confirm below.
    while (controller.writes().status < AGENTS) {
      if (performance.now() - controllerStarted > CONVERGE_DEADLINE_MS)
        throw new Error(
          `not converged after ${CONVERGE_DEADLINE_MS} ms: ${JSON.stringify(controller.writes())}`,
        );
      await sleep(20);
    }
    await controller.whenIdle();
    const convergedMs = performance.now() - controllerStarted;
    const controllerCpu = countersBetween(cpuBeforeController, cpuTime());
    const controllerElu = perf.eventLoopUtilization(eluBeforeController).utilization;
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(PROFILE as string, JSON.stringify(profile));
      profiler.disconnect();
    }
    const loadAfterController = load();
    // Late watch events of its own writes queue keys again: those reconciles must not write.
    let settled = controller.writes();
    for (;;) {
      await sleep(2000);
      await controller.whenIdle();
      const now = controller.writes();
      if (JSON.stringify(now) === JSON.stringify(settled)) break;
      settled = now;
    }
    const controllerWrites = countersBetween(writesBeforeController, await readApiServerWrites(kubectl));
    const probesWhileConverging = await probesRun(controller);
    const reconcilesWhileConverging = await reconciles(controller);
    const memoryAfter = memory();

    // 4. A forced full resync of the converged controller. A probe that changed a card's health meanwhile
    //    would write for its own reason: then it is measured again.
    let resync: {
      keys: number;
      ms: number;
      writes: ApiServerWrites;
      own: Record<string, number>;
      probes: number;
    };
    let attempts = 0;
    do {
      attempts += 1;
      const probesBefore = await probesRun(controller);
      const writesBefore = await readApiServerWrites(kubectl);
      const ownBefore = controller.writes();
      const started = performance.now();
      const keys = controller.resync();
      await controller.whenIdle();
      const ms = performance.now() - started;
      await sleep(1000);
      const writes = countersBetween(writesBefore, await readApiServerWrites(kubectl));
      const ownAfter = controller.writes();
      const own = Object.fromEntries(
        Object.entries(ownAfter).map(([kind, n]) => [kind, n - ownBefore[kind as keyof typeof ownBefore]]),
      );
      resync = { keys, ms, writes, own, probes: (await probesRun(controller)) - probesBefore };
    } while (resync.probes > 0 && attempts < 3);
    await controller.stop();

    // 2b. The other half of the bare loop, now that the controller is gone.
    const bareAfter = await bareRun(bareCards.slice(half));

    // Every card the controller wrote is the bare loop's card (a probed health aside: the bare loop never probes).
    const stored = (await listAll(custom, cardsIn, NAMESPACE)) as unknown as AgentCard[];
    const differing = stored.filter((card) => fingerprints.get(card.metadata.name) !== cardFingerprint(card));
    const probed = differing.filter((card) => card.status?.health !== 'Unknown');
    const different = differing.filter(
      (card) =>
        fingerprints.get(card.metadata.name) !==
        cardFingerprint({ ...card, status: { ...card.status, health: 'Unknown' } }),
    ).length;

    const bareMs = bareBefore.ms + bareAfter.ms;
    const bareRate = perSecond(AGENTS, bareMs);
    const controllerRate = perSecond(AGENTS, convergedMs);
    const writeRate = perSecond(AGENTS, convergedMs - syncedMs);
    const percent = (rate: number): string => `${((100 * rate) / bareRate).toFixed(1)} %`;
    console.log(
      `\nController scale benchmark: ${AGENTS} kagent Agents, --concurrency=${CONCURRENCY}; bare loop: ${CONCURRENCY} workers, ${BARE_CLIENT}${BARE_WATCH ? ', watching its cards' : ''}`,
    );
    console.log(row('load average at start (1/5/15 min)', loadAtStart));
    console.log(
      row(
        'set-up: the bench creates the Agents',
        `${createMs.toFixed(0)} ms (${CLIENT_PARALLELISM} parallel SSA requests)`,
      ),
    );
    for (const [label, run] of [
      ['bare SSA loop, first half (before)', bareBefore],
      ['bare SSA loop, second half (after)', bareAfter],
    ] as const) {
      console.log(
        row(
          label,
          `${run.cards} cards in ${run.ms.toFixed(0)} ms = ${perSecond(run.cards, run.ms).toFixed(1)} cards/s`,
        ),
      );
      console.log(row('  load average before / after', `${run.loadBefore} / ${run.loadAfter}`));
      console.log(row('  event loop busy', `${(100 * run.elu).toFixed(0)} %`));
    }
    console.log(
      row('bare SSA loop, both halves', `${bareMs.toFixed(0)} ms = ${bareRate.toFixed(1)} cards/s`),
    );
    console.log(row('  writes (apiserver)', writesText(addWrites(bareBefore.writes, bareAfter.writes))));
    console.log(row('  CPU', cpuText(addCpu(bareBefore.cpu, bareAfter.cpu), AGENTS)));
    console.log(row('controller: caches synced', `${syncedMs.toFixed(0)} ms after start`));
    console.log(
      row(
        'controller: every card with its status',
        `${convergedMs.toFixed(0)} ms after start = ${controllerRate.toFixed(1)} cards/s`,
      ),
    );
    console.log(row('  load average before / after', `${loadBeforeController} / ${loadAfterController}`));
    console.log(row('  CPU', cpuText(controllerCpu, AGENTS)));
    console.log(row('  event loop busy', `${(100 * controllerElu).toFixed(0)} %`));
    console.log(row('RATIO controller / bare loop (target ≥ 80 %)', percent(controllerRate)));
    console.log(
      row(
        '  ratio from caches synced (writing only)',
        `${percent(writeRate)} (${writeRate.toFixed(1)} cards/s)`,
      ),
    );
    console.log(row('  writes (apiserver, incl. settling)', writesText(controllerWrites)));
    console.log(row('  writes (controller counter)', JSON.stringify(settled)));
    console.log(row('  reconciles (incl. settling)', reconcilesWhileConverging));
    console.log(
      row(
        '  health probes meanwhile (24.8-day interval)',
        `${probesWhileConverging}; cards with a probed health: ${probed.length}`,
      ),
    );
    console.log(
      row(
        'cards listed / differing from the bare loop',
        `${stored.length} / ${different} (expected ${AGENTS} / 0; health aside)`,
      ),
    );
    console.log(
      row(
        `forced full resync of ${resync.keys} keys`,
        `${resync.ms.toFixed(0)} ms${attempts > 1 ? ` (attempt ${attempts}: a probe ran during the others)` : ''}`,
      ),
    );
    console.log(row('  writes (apiserver, target 0)', writesText(resync.writes)));
    console.log(row('  writes (controller counter, target 0)', JSON.stringify(resync.own)));
    console.log(
      row(
        'process RSS / heap used, before the controller',
        `${mb(memoryBefore.rss)} / ${mb(memoryBefore.heapUsed)}`,
      ),
    );
    console.log(
      row(
        `process RSS / heap used, controller at ${AGENTS}`,
        `${mb(memoryAfter.rss)} / ${mb(memoryAfter.heapUsed)} (+${mb(memoryAfter.rss - memoryBefore.rss)} / +${mb(memoryAfter.heapUsed - memoryBefore.heapUsed)})`,
      ),
    );
    console.log(row('load average at the end', load()));
    if (PROFILE) console.log(row('CPU profile of the controller phase', PROFILE));
    const resyncTotal = Object.values(resync.writes).reduce((a, b) => a + b, 0);
    if (resyncTotal !== 0 || stored.length !== AGENTS || different !== 0) process.exitCode = 1;
  } finally {
    await controlPlane.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
