/**
 * Server CPU time per request on `GET /cards/{ns}/{name}/a2a`: user + system time of each server
 * process (from /proc/<pid>/stat) across a fixed number of requests at 50 connections. Unlike req/s it
 * does not depend on how much CPU the load generator leaves the server, so it is the steadier figure
 * on a shared machine. Compares the bare node:http baseline, the registry, and the registry with its
 * node:http fast path off (every request through Hono). Linux only.
 *
 *   npm run build && npx tsx bench/cpu.bench.ts      (BENCH_REQUESTS, BENCH_ROUNDS, BENCH_CARDS)
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBareBaseline } from './bareBaseline.js';
import { generateCards, writeManifests } from './cards.js';
import { startChild, type Child } from './childProcess.js';
import { runLoadTest } from './loadTest.js';

const CARD_COUNT = Number(process.env.BENCH_CARDS ?? 10_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 50;
/** USER_HZ: /proc reports CPU time in clock ticks of 1/100 s on Linux. */
const TICKS_PER_SECOND = 100;

const here = import.meta.dirname;

function cpuSeconds(pid: number): number {
  // Fields after the parenthesised command: utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

async function main(): Promise<void> {
  const workDir = await mkdtemp(join(tmpdir(), 'registry-cpu-bench-'));
  const children: Child[] = [];
  try {
    const manifestsDir = join(workDir, 'manifests');
    const { manifests, sample } = generateCards(CARD_COUNT);
    await writeManifests(manifestsDir, manifests);
    const path = `/api/v1alpha1/registry/cards/${sample.namespace}/${sample.name}/a2a`;
    const registry = await startChild(join(here, 'registryProcess.mjs'), [manifestsDir]);
    children.push(registry);
    const viaHono = await startChild(join(here, 'registryProcess.mjs'), [manifestsDir, '--no-fast-path']);
    children.push(viaHono);
    const { server: bare } = await startBareBaseline(registry.url + path, workDir, 'single');
    children.push(bare);

    const servers = [
      ['bare node:http', bare],
      ['registry', registry],
      ['registry, fast path off', viaHono],
    ] as const;
    const best = new Map<string, number>();
    for (const [, child] of servers) {
      await runLoadTest(child.url + path, { connections: CONNECTIONS, durationSeconds: 0, amount: 20_000 });
    }
    // Interleaved rounds, the lowest per server: a neighbour's burst inflates one round, not the result.
    for (let round = 0; round < ROUNDS; round++) {
      for (const [label, child] of servers) {
        const pid = child.process.pid as number;
        const before = cpuSeconds(pid);
        const result = await runLoadTest(child.url + path, {
          connections: CONNECTIONS,
          durationSeconds: 0,
          amount: REQUESTS,
        });
        if (result.non2xx + result.errors + result.timeouts > 0) throw new Error(`${label}: failed requests`);
        const micros = ((cpuSeconds(pid) - before) / REQUESTS) * 1e6;
        best.set(label, Math.min(best.get(label) ?? Infinity, micros));
      }
    }
    const bareMicros = best.get('bare node:http') as number;
    console.log(`${REQUESTS} requests × ${ROUNDS} rounds at ${CONNECTIONS} connections, lowest round shown`);
    console.table(
      servers.map(([label]) => ({
        server: label,
        'CPU µs/request': Number((best.get(label) as number).toFixed(1)),
        'bare / this': `${((bareMicros / (best.get(label) as number)) * 100) | 0} %`,
      })),
    );
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    await rm(workDir, { recursive: true, force: true });
  }
}

await main();
