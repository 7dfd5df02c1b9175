/**
 * The measurements of issue 17's scale targets against a running registry (either store): `/a2a` and a
 * filtered list beside a bare node:http server answering the same bytes in the same run, p99 at 1 and
 * 50 connections of the filtered list, a label selector and `q=` (distinct queries, so no cache answers
 * them), the first watch snapshot with `/healthz` polled meanwhile, and RSS after the runs. Each
 * server and the load generators run in their own process.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { startBareBaseline } from './bareBaseline.js';
import { VERBS } from './cards.js';
import { EventCounter } from './eventCounter.js';
import type { Child } from './childProcess.js';
import { runLoadTest, type LoadTestResult } from './loadTest.js';

const here = import.meta.dirname;
const API = '/api/v1alpha1/registry/cards';

export interface ScaleSettings {
  durationSeconds: number;
  connections: number;
  /** Bare and registry runs alternate this many times; the best of each counts (a shared machine). */
  rounds: number;
}

export interface UrlLoadResult {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
}

/** Runs bench/urlLoad.mjs (its own process) over `urls`. */
export function runUrlLoad(
  urls: string[],
  connections: number,
  durationSeconds: number,
  stop?: AbortSignal,
): Promise<UrlLoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(here, 'urlLoad.mjs'), JSON.stringify({ urls, connections, durationSeconds })],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    stop?.addEventListener('abort', () => child.kill('SIGINT'));
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`urlLoad exited with ${code}`));
      const result = JSON.parse(stdout) as UrlLoadResult;
      if (result.non2xx + result.errors > 0) {
        console.log(`urlLoad ${urls[0]}…: ${result.non2xx} non-2xx, ${result.errors} errors`);
      }
      resolve(result);
    });
  });
}

/** `q=` queries a user might type over the generated cards: words, pairs, stems, typos, word starts. */
export function textQueries(): string[] {
  const objects = [
    'logs',
    'invoices',
    'tickets',
    'contracts',
    'metrics',
    'emails',
    'code',
    'images',
    'pods',
    'orders',
  ];
  const tags = ['finance', 'kubernetes', 'security', 'observability', 'compliance', 'billing'];
  const queries: string[] = [];
  for (let i = 0; i < VERBS.length; i++) {
    const verb = VERBS[i]!;
    const object = objects[(i * 3) % objects.length]!;
    queries.push(
      `${verb} ${object}`,
      `who can ${verb} my ${object}`,
      verb.slice(0, 5),
      `${object} ${tags[i % tags.length]}`,
    );
    // A typo: two letters swapped in the middle.
    queries.push(`${verb.slice(0, 3)}${verb[4]}${verb[3]}${verb.slice(5)}`);
  }
  queries.push('agent 4242 of team-07', 'team 13', 'bench corp', 'cost of my namespaces last month');
  return queries;
}

/**
 * CPU seconds (user + system, all threads) a process has used, from /proc (Linux): a figure the
 * machine's load does not stretch, unlike wall-clock time.
 */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const fixed = (value: number, digits = 1): string => value.toFixed(digits);
const mb = (bytes: number): number => bytes / 1024 / 1024;
export const loadAverage = (): string =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

/** Failed requests (timeouts: autocannon gives up after 5 s) are reported, and fail the route's target. */
const failures = new Map<string, string>();
function clean(label: string, result: LoadTestResult): LoadTestResult {
  if (result.non2xx + result.errors + result.timeouts > 0) {
    failures.set(label, `${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
    console.log(`${label}: ${failures.get(label)}`);
  }
  return result;
}

/** CPU pressure of the machine (Linux PSI `some avg10`, %): how often a runnable task waited for a CPU. */
export function cpuPressure(): string {
  try {
    return /avg10=([\d.]+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'))?.[1] ?? '?';
  } catch {
    return '?';
  }
}

/** Starts bench/healthzPoller.mjs on `url` and resolves once its connection is open and warm. */
async function startHealthzPoller(url: string): Promise<{ stop(): Promise<[number, number][]> }> {
  const child = spawn(process.execPath, [join(here, 'healthzPoller.mjs'), url], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  const closed = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.startsWith('warm\n')) resolve();
    });
    void closed.then((code) => reject(new Error(`healthzPoller exited with ${code} before it was warm`)));
  });
  return {
    async stop() {
      child.kill('SIGINT');
      const code = await closed;
      if (code !== 0) throw new Error(`healthzPoller exited with ${code}`);
      return JSON.parse(stdout.slice('warm\n'.length)) as [number, number][];
    },
  };
}

/**
 * Reads the first watch snapshot (`expected` ADDED events) while `/healthz` is requested back to back
 * on another connection from another process: the snapshot's duration, bytes, and how long `/healthz`
 * waited meanwhile — every request that overlapped the snapshot, from the watch request to its last
 * event. The poller's own start (process, connection, first requests) is over before the watch
 * opens, and the reader counts events on the bytes as they come (no copy, no string), so neither
 * takes CPU from the registry on a small machine beyond what reading costs.
 */
async function watchSnapshot(
  url: string,
  expected: number,
): Promise<{ seconds: number; bytes: number; healthz: UrlLoadResult }> {
  const controller = new AbortController();
  const poller = await startHealthzPoller(`${url}/healthz`);
  // The poller's clock (see healthzPoller.mjs): whole milliseconds, enough to tell which requests overlapped.
  const now = (): number => Date.now();
  const started = now();
  let ended: number | undefined;
  let bytes = 0;
  let samples: [number, number][];
  try {
    const response = await fetch(`${url}${API}?watch=true`, {
      headers: { accept: 'text/event-stream' },
      signal: controller.signal,
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const added = new EventCounter('ADDED');
    while (added.count < expected) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the watch ended after ${added.count} of ${expected} snapshot events`);
      added.add(value);
    }
    bytes = added.bytes;
    ended = now();
  } finally {
    controller.abort();
    samples = await poller.stop();
  }
  const during = samples
    .filter(([at, ms]) => at + ms >= started && at <= (ended as number))
    .map(([, ms]) => ms)
    .sort((a, b) => a - b);
  // A figure of no requests would pass any limit.
  if (during.length === 0) throw new Error('no /healthz request overlapped the watch snapshot');
  const at = (q: number): number => during[Math.min(during.length - 1, Math.floor(q * during.length))] ?? 0;
  const round = (ms: number): number => Math.round(ms * 100) / 100;
  const seconds = ((ended as number) - started) / 1000;
  return {
    seconds,
    bytes,
    healthz: {
      requests: during.length,
      requestsPerSecond: during.length / seconds,
      p50Ms: round(at(0.5)),
      p99Ms: round(at(0.99)),
      maxMs: round(during.at(-1) ?? 0),
      non2xx: 0,
      errors: 0,
    },
  };
}

export interface ScaleRun {
  /** `registry` under test; it is asked for its memory, so it runs with --expose-gc (startChild). */
  registry: Child;
  cards: number;
  sample: { namespace: string; name: string };
  commonSkill: string;
  workDir: string;
  settings: ScaleSettings;
}

export interface ScaleReport {
  rows: Record<string, string | number>[];
  figures: Record<string, number>;
}

/**
 * A load test, with the server's CPU time a request (user + system, from /proc): the load generator
 * shares this machine's cores, so req/s moves with whatever else runs, while CPU a request does not.
 */
async function loadWithCpu(
  server: Child,
  url: string,
  settings: ScaleSettings,
): Promise<{ result: LoadTestResult; cpuMicrosPerRequest: number }> {
  const pid = server.process.pid as number;
  const before = cpuSeconds(pid);
  const result = await runLoadTest(url, settings);
  const requests = result.requestsPerSecond * settings.durationSeconds;
  return { result, cpuMicrosPerRequest: ((cpuSeconds(pid) - before) * 1e6) / requests };
}

/** Measures a loaded registry; returns the table rows and the figures the targets are checked on. */
export async function measureScale(run: ScaleRun): Promise<ScaleReport> {
  const { registry, settings, workDir, sample, commonSkill, cards } = run;
  const children: Child[] = [];
  const rows: Record<string, string | number>[] = [];
  const figures: Record<string, number> = {};
  const best = (a: LoadTestResult | undefined, b: LoadTestResult): LoadTestResult =>
    a && a.requestsPerSecond >= b.requestsPerSecond ? a : b;
  try {
    const routes = [
      {
        key: 'a2a',
        label: 'GET /cards/{ns}/{name}/a2a',
        path: `${API}/${sample.namespace}/${sample.name}/a2a`,
      },
      { key: 'list', label: `GET /cards?skill=…&limit=100`, path: `${API}?skill=${commonSkill}&limit=100` },
    ];
    for (const route of routes) {
      const { server: bare, body: bytes } = await startBareBaseline(
        registry.url + route.path,
        workDir,
        route.key,
      );
      children.push(bare);
      for (const base of [bare.url, registry.url]) {
        await runLoadTest(base + route.path, { connections: settings.connections, durationSeconds: 2 });
      }
      let bareBest: LoadTestResult | undefined;
      let registryBest: LoadTestResult | undefined;
      let bareCpu = Infinity;
      let registryCpu = Infinity;
      for (let round = 0; round < settings.rounds; round++) {
        const bareRound = await loadWithCpu(bare, bare.url + route.path, settings);
        bareBest = best(bareBest, clean(`bare ${route.key}`, bareRound.result));
        bareCpu = Math.min(bareCpu, bareRound.cpuMicrosPerRequest);
        const registryRound = await loadWithCpu(registry, registry.url + route.path, settings);
        registryBest = best(registryBest, clean(`registry ${route.key}`, registryRound.result));
        registryCpu = Math.min(registryCpu, registryRound.cpuMicrosPerRequest);
      }
      const light = clean(
        `registry ${route.key} 1 conn`,
        await runLoadTest(registry.url + route.path, {
          connections: 1,
          durationSeconds: settings.durationSeconds,
        }),
      );
      const ratio =
        (registryBest as LoadTestResult).requestsPerSecond / (bareBest as LoadTestResult).requestsPerSecond;
      figures[`${route.key}Ratio`] = ratio;
      figures[`${route.key}CpuRatio`] = bareCpu / registryCpu;
      figures[`${route.key}Failures`] = [...failures.keys()].filter((label) =>
        label.includes(` ${route.key}`),
      ).length;
      figures[`${route.key}P99`] = light.p99Ms;
      figures[`${route.key}P99Saturated`] = (registryBest as LoadTestResult).p99Ms;
      rows.push({
        route: route.label,
        'bytes/resp': bytes.byteLength,
        'bare req/s': Math.round((bareBest as LoadTestResult).requestsPerSecond),
        'registry req/s': Math.round((registryBest as LoadTestResult).requestsPerSecond),
        'vs bare': `${fixed(ratio * 100)} %`,
        'CPU µs/req bare, registry': `${fixed(bareCpu)}, ${fixed(registryCpu)} (${fixed((bareCpu / registryCpu) * 100)} %)`,
        'p99 1 conn': light.p99Ms,
        [`p99 ${settings.connections} conns`]: (registryBest as LoadTestResult).p99Ms,
        load: loadAverage(),
      });
    }

    // A selective label selector (1 value of 1,000) and a broad one; then distinct text queries.
    const selectors = [`shard=s-042`, `tier in (gold),shard notin (s-001)`];
    const selectorUrls = selectors.map(
      (selector) => `${registry.url}${API}?labelSelector=${encodeURIComponent(selector)}&limit=100`,
    );
    const queryUrls = textQueries().map((q) => `${registry.url}${API}?q=${encodeURIComponent(q)}&limit=20`);
    for (const [key, label, urls] of [
      ['selector', 'GET /cards?labelSelector=… (2 selectors)', selectorUrls],
      ['q', `GET /cards?q=… (${queryUrls.length} distinct queries)`, queryUrls],
    ] as const) {
      await runUrlLoad(urls, 1, 2);
      const light = await runUrlLoad(urls, 1, settings.durationSeconds);
      const saturated = await runUrlLoad(urls, settings.connections, settings.durationSeconds);
      figures[`${key}P99`] = light.p99Ms;
      figures[`${key}P99Saturated`] = saturated.p99Ms;
      rows.push({
        route: label,
        'bytes/resp': '',
        'bare req/s': '',
        'registry req/s': Math.round(saturated.requestsPerSecond),
        'vs bare': '',
        'p99 1 conn': light.p99Ms,
        [`p99 ${settings.connections} conns`]: saturated.p99Ms,
        load: loadAverage(),
      });
    }

    const pressureBefore = cpuPressure();
    const watch = await watchSnapshot(registry.url, cards);
    figures.watchSeconds = watch.seconds;
    figures.watchMb = mb(watch.bytes);
    figures.healthzMaxMs = watch.healthz.maxMs;
    figures.healthzP99Ms = watch.healthz.p99Ms;
    rows.push({
      route: `GET /cards?watch=true: first snapshot ${fixed(watch.seconds, 2)} s, ${fixed(mb(watch.bytes))} MB (${fixed(mb(watch.bytes) / watch.seconds)} MB/s); /healthz meanwhile (machine's CPU pressure ${pressureBefore} → ${cpuPressure()} %)`,
      'bytes/resp': '',
      'bare req/s': '',
      'registry req/s': Math.round(watch.healthz.requestsPerSecond),
      'vs bare': '',
      'p99 1 conn': watch.healthz.p99Ms,
      [`p99 ${settings.connections} conns`]: `max ${watch.healthz.maxMs}`,
      load: loadAverage(),
    });
    const memory = await registry.memory();
    figures.rssAfterRunsMb = mb(memory.rss);
    figures.heapAfterRunsMb = mb(memory.heapUsed);
    // What the process holds once the load is over: V8 compacts an idle heap and gives back the young
    // generation's room (its memory reducer waits for a low allocation rate, which a loaded server never has).
    const settleSeconds = Number(process.env.BENCH_SETTLE_SECONDS ?? 60);
    if (settleSeconds > 0) {
      await new Promise((resolve) => setTimeout(resolve, settleSeconds * 1000));
      figures.rssSettledMb = mb((await registry.memory()).rss);
      figures.settleSeconds = settleSeconds;
    }
    return { rows, figures };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
  }
}

export interface Target {
  target: string;
  measured: string;
  pass: boolean;
}

/** Issue 17's targets, as far as `figures` has them. */
export function scaleTargets(figures: Record<string, number>, connections: number): Target[] {
  const rows: Target[] = [];
  const add = (target: string, measured: string, pass: boolean) => rows.push({ target, measured, pass });
  if (figures.readySeconds !== undefined) {
    add(
      'ready < 10 s',
      `${fixed(figures.readySeconds)} s (${fixed(figures.readyCpuSeconds ?? NaN)} s of CPU)`,
      figures.readySeconds < 10,
    );
  }
  // Judged right after the runs; the idle figure is shown beside it, not counted.
  const settled =
    figures.rssSettledMb === undefined
      ? ''
      : ` (${figures.settleSeconds} s later, idle: ${fixed(figures.rssSettledMb)} MB)`;
  add(
    'RSS after the runs < 500 MB',
    `${fixed(figures.rssAfterRunsMb as number)} MB${settled}`,
    (figures.rssAfterRunsMb as number) < 500,
  );
  if (figures.bytesPerCard !== undefined)
    add(
      'memory < 4 KB per card beyond the empty process',
      `${fixed(figures.bytesPerCard / 1024, 2)} KB`,
      figures.bytesPerCard < 4096,
    );
  add(
    '/a2a ≥ 80 % of bare',
    `${fixed((figures.a2aRatio as number) * 100)} % (CPU a request: ${fixed((figures.a2aCpuRatio as number) * 100)} %)`,
    (figures.a2aRatio as number) >= 0.8 && !figures.a2aFailures,
  );
  for (const [key, label] of [
    ['list', 'filtered list'],
    ['selector', 'label selector'],
    ['q', 'q='],
  ] as const) {
    const light = figures[`${key}P99`]!;
    const saturated = figures[`${key}P99Saturated`]!;
    const failed = figures[`${key}Failures`]
      ? ` (${figures[`${key}Failures`]} runs with failed requests)`
      : '';
    add(
      `${label} p99 < 20 ms (1 conn), < 100 ms (${connections})`,
      `${light} ms, ${saturated} ms${failed}`,
      light < 20 && saturated < 100 && !failed,
    );
  }
  add(
    '/healthz during the first watch snapshot ≤ 50 ms',
    `max ${figures.healthzMaxMs} ms (p99 ${figures.healthzP99Ms})`,
    (figures.healthzMaxMs as number) <= 50,
  );
  return rows;
}
