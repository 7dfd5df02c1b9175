import { spawn } from 'node:child_process';
import { once } from 'node:events';

/**
 * A node process that does nothing but answer `GET /healthz` and watch its own event loop: run beside the
 * registry under test, it measures what the machine alone does to a process (other tests, other jobs on a
 * shared CI runner). A latency bound then applies to what the registry adds to that floor, measured in the
 * same window, instead of to a figure a busy machine can break by itself.
 */
const BARE = `
const { createServer } = require('node:http');
const { monitorEventLoopDelay } = require('node:perf_hooks');
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
const server = createServer((request, response) => response.end('ok'));
server.listen(0, '127.0.0.1', () => process.stdout.write('LISTENING ' + server.address().port + '\\n'));
process.stdin.setEncoding('utf8').on('data', (line) => {
  if (line.trim() !== 'eld') return;
  process.stdout.write('ELD ' + (delay.percentile(99) / 1e6).toFixed(1) + '\\n');
  delay.reset();
});
`;

export interface BareProcess {
  url: string;
  /** The event-loop delay p99 (ms) since the last call, then starts a new window. */
  loopDelayP99(): Promise<number>;
  close(): Promise<void>;
}

export async function startBareProcess(): Promise<BareProcess> {
  const child = spawn(process.execPath, ['-e', BARE], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let buffered = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let end: number;
    while ((end = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      const next = waiting.shift();
      if (next) next(line);
      else lines.push(line);
    }
  });
  const nextLine = (): Promise<string> =>
    lines.length > 0
      ? Promise.resolve(lines.shift() as string)
      : new Promise((resolve) => waiting.push(resolve));
  const port = (await nextLine()).split(' ')[1];
  return {
    url: `http://127.0.0.1:${port}`,
    async loopDelayP99() {
      child.stdin.write('eld\n');
      return Number((await nextLine()).split(' ')[1]);
    },
    async close() {
      const exited = once(child, 'exit');
      child.kill();
      await exited;
    },
  };
}
