/**
 * Issue 17's load-time figures alone (no HTTP load phases): the built registry started in its own
 * process over `BENCH_CARDS` generated cards in `BENCH_FILES` manifest files, as scale.bench.ts does:
 * time to ready, CPU seconds, then RSS and heap after a full GC, beyond an empty registry. Load average
 * with every figure (the machine is shared).
 *
 *   npx nx run registry-server:build && npx tsx bench/startup.bench.ts
 *   BENCH_CARDS=100000 BENCH_RUNS=2 npx tsx bench/startup.bench.ts
 *   BENCH_NODE_FLAGS="--cpu-prof --cpu-prof-dir=profiles" npx tsx bench/startup.bench.ts
 *
 * BENCH_NODE_FLAGS go to the registry process (profiling: `--cpu-prof` profiles the worker threads too).
 * BENCH_DIR keeps the generated manifests there between invocations (generated when missing).
 * BENCH_ENTRY starts another copy of registryProcess.mjs (beside another build's dist/: A/B runs).
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCards, writeManifests } from './cards.js';
import { cpuSeconds, loadAverage } from './scaleMeasure.js';

const COUNT = Number(process.env.BENCH_CARDS ?? 100_000);
const FILES = Number(process.env.BENCH_FILES ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const FLAGS = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
const here = import.meta.dirname;
const ENTRY = process.env.BENCH_ENTRY ?? join(here, 'registryProcess.mjs');
const mb = (bytes: number): number => bytes / 1024 / 1024;

if (!existsSync(join(ENTRY, '..', '..', 'dist', 'server.js'))) {
  throw new Error('dist/server.js is missing: build first (npx nx run registry-server:build)');
}

interface Started {
  readySeconds: number;
  cpuSeconds: number;
  memory: NodeJS.MemoryUsage;
}

/** Starts registryProcess.mjs over `directory`; measures, then stops it (SIGINT lets --cpu-prof write). */
function startOnce(directory: string): Promise<Started> {
  const started = performance.now();
  const child = fork(ENTRY, [directory], {
    execArgv: ['--expose-gc', ...FLAGS],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`the registry exited with ${code} before it was measured`)),
    );
    child.on('message', (message: { type?: string; usage?: NodeJS.MemoryUsage }) => {
      if (message.type === 'ready') {
        const readySeconds = (performance.now() - started) / 1000;
        const cpu = cpuSeconds(child.pid as number);
        child.on('message', (reply: { type?: string; usage?: NodeJS.MemoryUsage }) => {
          if (reply.type !== 'memory' || !reply.usage) return;
          child.removeAllListeners('exit');
          child.once('exit', () => resolve({ readySeconds, cpuSeconds: cpu, memory: reply.usage! }));
          child.disconnect();
        });
        child.send({ type: 'memory' });
      }
    });
  });
}

console.log(`${process.version}, ${availableParallelism()} CPUs; load average ${loadAverage()}`);
const workDir = await mkdtemp(join(tmpdir(), 'registry-startup-'));
try {
  const emptyDir = join(workDir, 'empty');
  await mkdir(emptyDir);
  const empty = await startOnce(emptyDir);
  const manifestsDir = process.env.BENCH_DIR ?? join(workDir, 'manifests');
  if (!existsSync(manifestsDir) || (await readdir(manifestsDir)).length === 0) {
    const { manifests } = generateCards(COUNT);
    await writeManifests(manifestsDir, manifests, FILES);
  }
  for (let run = 0; run < RUNS; run++) {
    const loadBefore = loadAverage();
    const loaded = await startOnce(manifestsDir);
    console.log(
      `${COUNT} cards in ${FILES} files: ready in ${loaded.readySeconds.toFixed(2)} s, ` +
        `${loaded.cpuSeconds.toFixed(2)} s of CPU (load average before ${loadBefore}, after ${loadAverage()}); ` +
        `RSS empty ${mb(empty.memory.rss).toFixed(1)} MB, loaded ${mb(loaded.memory.rss).toFixed(1)} MB ` +
        `(${((loaded.memory.rss - empty.memory.rss) / COUNT / 1024).toFixed(2)} KB/card); ` +
        `heap ${mb(loaded.memory.heapUsed).toFixed(1)} MB ` +
        `(${((loaded.memory.heapUsed - empty.memory.heapUsed) / COUNT / 1024).toFixed(2)} KB/card), ` +
        `heap total ${mb(loaded.memory.heapTotal).toFixed(1)} MB, external ${mb(loaded.memory.external).toFixed(1)} MB`,
    );
  }
} finally {
  await rm(workDir, { recursive: true, force: true });
}
