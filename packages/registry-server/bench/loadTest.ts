import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface LoadTestOptions {
  connections: number;
  durationSeconds: number;
  /** Send exactly this many requests instead of running for durationSeconds. */
  amount?: number;
}

export interface LoadTestResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  bytesPerRequest: number;
}

interface AutocannonJson {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number };
  throughput: { total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

const autocannonCli = join(
  dirname(createRequire(import.meta.url).resolve('autocannon/package.json')),
  'autocannon.js',
);

/**
 * Runs autocannon in a separate process (so the load generator never shares an
 * event loop with a server under test) and returns its JSON summary.
 */
export function runLoadTest(url: string, options: LoadTestOptions): Promise<LoadTestResult> {
  const args = [
    autocannonCli,
    '--json',
    '--no-progress',
    '-c',
    String(options.connections),
    ...(options.amount === undefined
      ? ['-d', String(options.durationSeconds)]
      : ['-a', String(options.amount)]),
    '-t',
    '5',
  ];
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), (options.durationSeconds + 30) * 1000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}: ${stderr}`));
      try {
        const json = JSON.parse(stdout) as AutocannonJson;
        resolve({
          requestsPerSecond: json.requests.average,
          p50Ms: json.latency.p50,
          p99Ms: json.latency.p99,
          maxMs: json.latency.max,
          non2xx: json.non2xx,
          errors: json.errors,
          timeouts: json.timeouts,
          bytesPerRequest: json.requests.total ? json.throughput.total / json.requests.total : 0,
        });
      } catch (error) {
        reject(
          new Error(`cannot read autocannon's output (${(error as Error).message}): ${stdout.slice(0, 500)}`),
        );
      }
    });
  });
}
