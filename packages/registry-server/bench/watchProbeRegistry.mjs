// The registry for watchSnapshotProbe.ts: registryProcess.mjs's registry, plus a record of what holds
// its event loop — every tick of a 2 ms interval that came late (when, and by how much) and every GC
// (kind, start, duration) — sent on request so the probe can line them up with /healthz latencies.
// argv: <manifests dir>
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver, performance } from 'node:perf_hooks';
// PROBE_DIST: another build of the package to compare with (a copy of dist/ beside it).
const { startServer } = await import(process.env.PROBE_DIST ?? '../dist/server.js');

const [manifests] = process.argv.slice(2);
const registry = await startServer({
  store: 'embedded',
  manifests,
  host: '127.0.0.1',
  port: 0,
  rateLimit: 0,
  logLevel: 'error',
});

// Wall-clock times, as the probe and the /healthz poller stamp theirs (see healthzPoller.mjs).
const now = () => Date.now();
/** A performance.now()-based time on the wall clock. */
const wallAt = (time) => Date.now() - (performance.now() - time);
const GC_KINDS = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb', 16: 'minor' };
let gcs = [];
let stalls = [];
const delay = monitorEventLoopDelay({ resolution: 5 });
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gcs.push({
      at: wallAt(entry.startTime),
      ms: entry.duration,
      kind: GC_KINDS[entry.detail?.kind] ?? String(entry.detail?.kind),
    });
  }
}).observe({ entryTypes: ['gc'] });
// The main thread's time on a CPU and waiting for one (ns, Linux /proc/<pid>/schedstat): a stall
// is either the registry's own work (ran) or the machine giving its CPU to others (waited).
const schedstat = () => {
  try {
    const [ran, waited] = readFileSync(`/proc/${process.pid}/task/${process.pid}/schedstat`, 'utf8').split(
      ' ',
    );
    return [Number(ran) / 1e6, Number(waited) / 1e6];
  } catch {
    return [NaN, NaN];
  }
};
let since = { cpu: process.cpuUsage(), sched: schedstat() };
const TICK = 2;
let last = performance.now();
let lastSched = schedstat();
setInterval(() => {
  const at = performance.now();
  const sched = schedstat();
  const late = at - last - TICK;
  if (late > 10) {
    stalls.push({
      at: wallAt(last),
      ms: late,
      ranMs: sched[0] - lastSched[0],
      waitedMs: sched[1] - lastSched[1],
    });
  }
  last = at;
  lastSched = sched;
}, TICK);

process.on('message', (message) => {
  if (message?.type === 'reset') {
    since = { cpu: process.cpuUsage(), sched: schedstat() };
    gcs = [];
    stalls = [];
    delay.reset();
    delay.enable();
    process.send({ type: 'reset' });
  } else if (message?.type === 'report') {
    delay.disable();
    const cpu = process.cpuUsage(since.cpu);
    const sched = schedstat();
    process.send({
      // CPU time since the reset: the whole process (GC helpers included), and its main thread.
      cpuMs: (cpu.user + cpu.system) / 1000,
      mainRanMs: sched[0] - since.sched[0],
      mainWaitedMs: sched[1] - since.sched[1],
      type: 'report',
      at: now(),
      // CPU profiles time samples on the monotonic clock: this lines them up with the epoch times here.
      hrtimeMs: Number(process.hrtime.bigint()) / 1e6,
      gcs,
      stalls,
      delay: { max: delay.max / 1e6, p99: delay.percentile(99) / 1e6, mean: delay.mean / 1e6 },
      memory: process.memoryUsage(),
    });
  }
});
process.send?.({ type: 'ready', url: registry.url });
process.on('disconnect', () => void registry.close().then(() => process.exit(0)));
