/**
 * What holds `/healthz` while a registry streams its first watch snapshot (issue 17): a registry with
 * `PROBE_CARDS` generated cards in its own process (watchProbeRegistry.mjs, recording its event-loop
 * stalls and GCs), a `/healthz` poller in another (healthzPoller.mjs, warmed up before the watch
 * opens), and one watch read here. Prints the snapshot's time and MB/s, /healthz max and p99, and the
 * slowest /healthz requests beside the stalls and GC pauses of the registry at that moment.
 *
 *   npx nx run registry-server:build && npx tsx bench/watchSnapshotProbe.ts
 *   PROBE_CARDS=100000 PROBE_NODE_FLAGS="--cpu-prof --cpu-prof-dir=profiles" PROBE_OUT=timeline.json npx tsx bench/watchSnapshotProbe.ts
 *
 * PROBE_NODE_FLAGS go to the registry's node (a CPU profile, --trace-gc); PROBE_OUT keeps the whole
 * timeline as JSON; PROBE_DIST runs another build of the package, for a before/after in one sitting
 * (a copy of dist/ inside this package, e.g. `PROBE_DIST=../.dist-before/server.js`, so its imports
 * resolve). A stall is split into the time the registry's main thread ran and the time it was
 * runnable but waited for a CPU (/proc schedstat): on a shared machine the second is not the
 * registry's doing.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCards, writeManifests } from './cards.js';
import { EventCounter } from './eventCounter.js';

const CARDS = Number(process.env.PROBE_CARDS ?? 100_000);
const NODE_FLAGS = (process.env.PROBE_NODE_FLAGS ?? '').split(' ').filter(Boolean);
const here = import.meta.dirname;
const load = (): string =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
// The wall clock, as the poller and the registry stamp their times (see healthzPoller.mjs).
const now = (): number => Date.now();

interface Report {
  cpuMs: number;
  mainRanMs: number;
  mainWaitedMs: number;
  at: number;
  hrtimeMs: number;
  gcs: { at: number; ms: number; kind: string }[];
  stalls: { at: number; ms: number; ranMs: number; waitedMs: number }[];
  delay: { max: number; p99: number; mean: number };
  memory: NodeJS.MemoryUsage;
}

function ask<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve) => {
    child.on('message', function onMessage(message: { type?: string }) {
      if (message.type !== type) return;
      child.off('message', onMessage);
      resolve(message as T);
    });
    child.send({ type });
  });
}

if (!existsSync(join(here, '..', 'dist', 'server.js'))) throw new Error('build first');
const workDir = await mkdtemp(join(tmpdir(), 'watch-probe-'));
let registry: ChildProcess | undefined;
try {
  const { manifests } = generateCards(CARDS);
  await writeManifests(join(workDir, 'manifests'), manifests, 100);
  manifests.length = 0;
  const started = now();
  registry = fork(join(here, 'watchProbeRegistry.mjs'), [join(workDir, 'manifests')], {
    execArgv: NODE_FLAGS,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { url } = await ask<{ url: string }>(registry, 'ready');
  console.log(`${CARDS} cards ready in ${((now() - started) / 1000).toFixed(1)} s; load ${load()}`);
  await new Promise((resolve) => setTimeout(resolve, 2000));

  const poller = spawn(process.execPath, [join(here, 'healthzPoller.mjs'), `${url}/healthz`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  await new Promise<void>((resolve) =>
    poller.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.startsWith('warm\n')) resolve();
    }),
  );
  await ask(registry, 'reset');
  const loadAtStart = load();
  const controller = new AbortController();
  const watchStart = now();
  const response = await fetch(`${url}/api/v1alpha1/registry/cards?watch=true`, {
    headers: { accept: 'text/event-stream' },
    signal: controller.signal,
  });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const added = new EventCounter('ADDED');
  let firstByte = 0;
  const progress: [number, number, number][] = [];
  while (added.count < CARDS) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the watch ended after ${added.count} events`);
    if (!firstByte) firstByte = now() - watchStart;
    added.add(value);
    const last = progress.at(-1);
    if (!last || now() - watchStart - last[0] > 250)
      progress.push([now() - watchStart, added.count, added.bytes]);
  }
  const { count: events, bytes } = added;
  const seconds = (now() - watchStart) / 1000;
  const loadAtEnd = load();
  controller.abort();
  const report = await ask<Report>(registry, 'report');
  const closed = new Promise((resolve) => poller.once('close', resolve));
  poller.kill('SIGINT');
  await closed;
  const all = JSON.parse(out.slice('warm\n'.length)) as [number, number][];
  // Requests that started during the snapshot, or were still waiting when it began.
  const during = all.filter(([at, ms]) => at + ms >= watchStart && at <= watchStart + seconds * 1000);
  const sorted = during.map(([, ms]) => ms).sort((a, b) => a - b);
  const pct = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const mb = bytes / 1024 / 1024;
  console.log(
    `snapshot: ${events} events, ${mb.toFixed(1)} MB in ${seconds.toFixed(2)} s (${(mb / seconds).toFixed(1)} MB/s), first byte ${firstByte.toFixed(0)} ms; load ${loadAtStart} → ${loadAtEnd}`,
  );
  console.log(
    `/healthz during it: ${sorted.length} requests, p50 ${pct(0.5).toFixed(2)} ms, p99 ${pct(0.99).toFixed(2)} ms, max ${(sorted.at(-1) ?? 0).toFixed(2)} ms`,
  );
  const gcTotal = (kind: string): string => {
    const list = report.gcs.filter((gc) => gc.kind === kind);
    return `${list.length} ${kind} (${list.reduce((sum, gc) => sum + gc.ms, 0).toFixed(0)} ms, max ${Math.max(0, ...list.map((gc) => gc.ms)).toFixed(1)})`;
  };
  console.log(
    `registry CPU from the watch's start to its last event: ${(report.cpuMs / 1000).toFixed(2)} s (main thread ${(report.mainRanMs / 1000).toFixed(2)} s, and ${(report.mainWaitedMs / 1000).toFixed(2)} s runnable but waiting for a CPU)`,
  );
  console.log(
    `registry: event-loop delay max ${report.delay.max.toFixed(1)} ms p99 ${report.delay.p99.toFixed(1)} ms; GCs ${['minor', 'major', 'incremental', 'weakcb'].map(gcTotal).join(', ')}; heap ${(report.memory.heapUsed / 1e6).toFixed(0)} MB, RSS ${(report.memory.rss / 1e6).toFixed(0)} MB`,
  );
  const rel = (at: number): string => `${((at - watchStart) / 1000).toFixed(3)} s`;
  for (const [at, ms] of [...during].sort((a, b) => b[1] - a[1]).slice(0, 8)) {
    const overlaps = <T extends { at: number; ms: number }>(list: T[]) =>
      list.filter((item) => item.at < at + ms && item.at + item.ms > at);
    const stalls = overlaps(report.stalls).map(
      (stall) =>
        `stall ${stall.ms.toFixed(0)} ms @${rel(stall.at)} (ran ${stall.ranMs.toFixed(0)}, waited for a CPU ${stall.waitedMs.toFixed(0)})`,
    );
    const gcs = overlaps(report.gcs).map((gc) => `${gc.kind} GC ${gc.ms.toFixed(1)} ms @${rel(gc.at)}`);
    console.log(`  /healthz ${ms.toFixed(1)} ms @${rel(at)}: ${[...stalls, ...gcs].join(', ') || '—'}`);
  }
  const big = report.stalls.filter((stall) => stall.ms > 30);
  const sum = (list: typeof big, key: 'ms' | 'ranMs' | 'waitedMs') =>
    list.reduce((total, stall) => total + stall[key], 0).toFixed(0);
  console.log(
    `registry stalls > 30 ms: ${big.length}, ${sum(big, 'ms')} ms in all, of which it ran ${sum(big, 'ranMs')} ms and waited for a CPU ${sum(big, 'waitedMs')} ms; ` +
      `the longest it ran in one: ${Math.max(0, ...report.stalls.map((stall) => stall.ranMs)).toFixed(0)} ms`,
  );
  if (process.env.PROBE_OUT) {
    await writeFile(
      process.env.PROBE_OUT,
      JSON.stringify({ watchStart, seconds, bytes, progress, healthz: during, report }),
    );
  }
} finally {
  if (registry && registry.exitCode === null) {
    const exited = new Promise((resolve) => registry?.once('exit', resolve));
    registry.disconnect();
    await exited;
  }
  await rm(workDir, { recursive: true, force: true });
}
