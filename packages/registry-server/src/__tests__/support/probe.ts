import { spawn } from 'node:child_process';

/** The probe loop, run in its own process so the test runner's work does not count as latency. */
const PROBE = `
const url = process.argv[1];
const latencies = [];
let running = true;
process.stdin.on('data', () => (running = false));
process.stdin.resume();
(async () => {
  while (running) {
    const started = performance.now();
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      latencies.push(performance.now() - started);
    } catch {
      latencies.push(Infinity);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  process.stdout.write(JSON.stringify(latencies));
  process.exit(0);
})();
`;

/** Starts probing `url` (every ~5 ms) in a child process; `stop()` resolves the sorted latencies in ms. */
export function startProbe(url: string): { stop(): Promise<number[]> } {
  const child = spawn(process.execPath, ['-e', PROBE, url], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    async stop() {
      child.stdin.write('stop\n');
      await exited;
      return (JSON.parse(out || '[]') as (number | null)[])
        .map((value) => (value === null ? Number.POSITIVE_INFINITY : value))
        .sort((a, b) => a - b);
    },
  };
}
