/**
 * A registry in its own process, for tests that measure it (latency, RSS, descriptors, inotify
 * watches) without the test runner's own load in the numbers. argv[2] is the ServerOptions as JSON;
 * prints `LISTENING <url>` once it answers. On stdin: `eld` prints `ELD <p99 ms> <max ms>` of the
 * event-loop delay since the last `eld`; `heap` prints `HEAP <MiB>` after a full GC; `hog` opens descriptors until EMFILE and
 * prints `HOGGED <n>`; `release` closes them and prints `RELEASED`.
 */
import { openSync, closeSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { createLogger } from '@agent-registry/kube-runtime';
import { startServer, type ServerOptions } from '../../server.js';

const options = JSON.parse(process.argv[2] ?? '{}') as ServerOptions;
const server = await startServer({
  host: '127.0.0.1',
  port: 0,
  rateLimit: 0,
  ui: false,
  ...options,
  logger: createLogger({ level: 'warn', write: (line) => process.stderr.write(line) }),
});
process.stdout.write(`LISTENING ${server.url}\n`);

// How long the event loop was blocked: the measure of "off the event loop" that scheduling noise
// on a busy machine does not blur as much as request latency does.
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();

const hogged: number[] = [];
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'hog') {
    try {
      for (;;) hogged.push(openSync('/dev/null', 'r'));
    } catch {
      process.stdout.write(`HOGGED ${hogged.length}\n`);
    }
  } else if (line === 'eld') {
    process.stdout.write(`ELD ${(delay.percentile(99) / 1e6).toFixed(1)} ${(delay.max / 1e6).toFixed(1)}\n`);
    delay.reset();
  } else if (line === 'heap') {
    // Needs --expose-gc: the heap that stays after a full collection, in MiB.
    (globalThis as { gc?: () => void }).gc?.();
    process.stdout.write(`HEAP ${(process.memoryUsage().heapUsed / 1048576).toFixed(1)}\n`);
  } else if (line === 'release') {
    for (const fd of hogged.splice(0)) closeSync(fd);
    process.stdout.write('RELEASED\n');
  }
});
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
