// A load generator for what autocannon cannot do: many distinct URLs (so a query cache cannot answer
// them all) and a full read of every body. Runs in its own process; `connections` keep-alive loops
// send requests back to back, each taking the next URL of the list in turn.
// argv: a JSON object { urls: string[], connections: number, durationSeconds: number }
// stdout: JSON { requests, requestsPerSecond, p50Ms, p99Ms, maxMs, non2xx, errors }
import { Agent, request } from 'node:http';

const { urls, connections, durationSeconds } = JSON.parse(process.argv[2] ?? '{}');
if (!Array.isArray(urls) || urls.length === 0 || !connections || !durationSeconds) {
  console.error('usage: urlLoad.mjs \'{"urls":[...],"connections":1,"durationSeconds":5}\'');
  process.exit(2);
}
const agent = new Agent({ keepAlive: true, maxSockets: connections });
const latencies = [];
let next = 0;
let non2xx = 0;
let errors = 0;
const started = performance.now();
let deadline = started + durationSeconds * 1000;
// SIGINT ends the run early (the caller's event is over); the figures so far are reported.
process.on('SIGINT', () => (deadline = 0));

const once = (url) =>
  new Promise((resolve) => {
    const at = performance.now();
    const req = request(url, { agent }, (response) => {
      response.on('data', () => undefined);
      response.on('end', () => {
        latencies.push(performance.now() - at);
        if (response.statusCode < 200 || response.statusCode >= 300) non2xx++;
        resolve();
      });
    });
    req.on('error', () => {
      errors++;
      resolve();
    });
    req.end();
  });

async function loop() {
  while (performance.now() < deadline) await once(urls[next++ % urls.length]);
}

await Promise.all(Array.from({ length: connections }, loop));
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
const round = (ms) => Math.round(ms * 100) / 100;
process.stdout.write(
  JSON.stringify({
    requests: latencies.length,
    requestsPerSecond: latencies.length / elapsed,
    p50Ms: round(at(0.5)),
    p99Ms: round(at(0.99)),
    maxMs: round(latencies.at(-1) ?? 0),
    non2xx,
    errors,
  }),
);
agent.destroy();
