/**
 * Issue 17's scale benchmark, embedded store: for each card count, the cards spread over 100 manifest
 * files, the registry started from dist/ in its own process: time to ready, memory per card beyond an
 * empty registry (and between the smallest and largest count, when several are run), then
 * scaleMeasure.ts's runs (`/a2a` and a filtered list against a bare server, list, label selector and
 * `q=` p99 at 1 and 50 connections, the first watch snapshot with `/healthz` polled meanwhile, RSS
 * after the runs and again after BENCH_SETTLE_SECONDS idle, default 60). Load average is printed with
 * every figure: the machine is shared.
 *
 *   npm run build && npx tsx bench/scale.bench.ts
 *   BENCH_CARDS=10000,100000 BENCH_FILES=100 BENCH_DURATION=5 BENCH_CONNECTIONS=50 npx tsx bench/scale.bench.ts
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCards, writeManifests } from './cards.js';
import { startChild } from './childProcess.js';
import { cpuSeconds, loadAverage, measureScale, scaleTargets } from './scaleMeasure.js';

const COUNTS = (process.env.BENCH_CARDS ?? '10000').split(',').map(Number);
const FILES = Number(process.env.BENCH_FILES ?? 100);
const settings = {
  durationSeconds: Number(process.env.BENCH_DURATION ?? 5),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 50),
  rounds: Number(process.env.BENCH_ROUNDS ?? 2),
};
const here = import.meta.dirname;
const mb = (bytes: number): number => bytes / 1024 / 1024;

if (!existsSync(join(here, '..', 'dist', 'server.js'))) {
  throw new Error('dist/server.js is missing: build first (npx nx run registry-server:build)');
}
console.log(`${process.version}, ${availableParallelism()} CPUs; load average ${loadAverage()}`);

const workDir = await mkdtemp(join(tmpdir(), 'registry-scale-'));
let failed = false;
/** RSS once loaded, by card count: what a card adds between two counts, fixed costs aside. */
const loadedRss = new Map<number, number>();
try {
  const emptyDir = join(workDir, 'empty');
  await mkdir(emptyDir);
  const empty = await startChild(join(here, 'registryProcess.mjs'), [emptyDir]);
  const emptyMemory = await empty.memory();
  await empty.stop();
  for (const count of COUNTS) {
    const manifestsDir = join(workDir, `manifests-${count}`);
    const { manifests, sample, commonSkill } = generateCards(count);
    await writeManifests(manifestsDir, manifests, FILES);
    manifests.length = 0;
    const loadBefore = loadAverage();
    const started = performance.now();
    const registry = await startChild(join(here, 'registryProcess.mjs'), [manifestsDir], {
      timeoutMs: 300_000,
    });
    const readySeconds = (performance.now() - started) / 1000;
    const readyCpuSeconds = cpuSeconds(registry.process.pid as number);
    try {
      const loaded = await registry.memory();
      const { rows, figures } = await measureScale({
        registry,
        cards: count,
        sample,
        commonSkill,
        workDir,
        settings,
      });
      figures.readySeconds = readySeconds;
      figures.readyCpuSeconds = readyCpuSeconds;
      figures.bytesPerCard = (loaded.rss - emptyMemory.rss) / count;
      loadedRss.set(count, loaded.rss);
      console.log(
        `\n${count} cards in ${FILES} files: ready in ${readySeconds.toFixed(2)} s, ${readyCpuSeconds.toFixed(2)} s of CPU (load average before ${loadBefore}); ` +
          `RSS empty ${mb(emptyMemory.rss).toFixed(1)} MB, loaded ${mb(loaded.rss).toFixed(1)} MB ` +
          `(${(figures.bytesPerCard / 1024).toFixed(2)} KB/card; heap ${((loaded.heapUsed - emptyMemory.heapUsed) / count / 1024).toFixed(2)} KB/card), ` +
          `after the runs ${(figures.rssAfterRunsMb as number).toFixed(1)} MB`,
      );
      console.table(rows);
      const targets = scaleTargets(figures, settings.connections);
      console.table(targets.map((row) => ({ ...row, pass: row.pass ? 'PASS' : 'FAIL' })));
      failed ||= targets.some((row) => !row.pass);
    } finally {
      await registry.stop();
      await rm(manifestsDir, { recursive: true, force: true });
    }
  }
  // The per-card figure of a small count carries what any loaded process holds beyond an empty one
  // (a young generation grown to its size, compiled code): the growth between counts is a card's own.
  const counts = [...loadedRss.keys()].sort((a, b) => a - b);
  if (counts.length >= 2) {
    const [fewest, most] = [counts[0]!, counts.at(-1)!];
    const perCard = (loadedRss.get(most)! - loadedRss.get(fewest)!) / (most - fewest);
    const pass = perCard < 4096;
    console.log(
      `\nRSS growth from ${fewest} to ${most} cards: ${(perCard / 1024).toFixed(2)} KB a card ` +
        `(target < 4 KB): ${pass ? 'PASS' : 'FAIL'}`,
    );
    failed ||= !pass;
  }
} finally {
  await rm(workDir, { recursive: true, force: true });
}
if (failed) process.exitCode = 1;
