// /healthz requested back to back on one keep-alive connection, each request's start (Date.now()) and
// latency recorded. Prints `warm` once its connection is open and the first requests are done (so the
// caller starts what it measures after the poller's own start-up), and on SIGINT the timeline as JSON.
// argv: <url>
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

const [url] = process.argv.slice(2);
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const samples = [];
let stop = false;
process.on('SIGINT', () => (stop = true));
const once = () =>
  new Promise((resolve, reject) => {
    // The wall clock for when (the bench compares it with its own, in another process: each process's
    // performance.timeOrigin is the wall clock at its start, so a clock step between two starts skews
    // them apart), the monotonic one for how long.
    const startedAt = Date.now();
    const at = performance.now();
    const req = request(url, { agent }, (response) => {
      response.on('data', () => undefined);
      response.on('end', () => {
        if (response.statusCode !== 200) reject(new Error(`/healthz answered ${response.statusCode}`));
        samples.push([startedAt, performance.now() - at]);
        resolve();
      });
    });
    req.on('error', reject);
    req.end();
  });
for (let i = 0; i < 50; i++) await once();
process.stdout.write('warm\n');
samples.length = 0;
while (!stop) await once();
process.stdout.write(JSON.stringify(samples) + '\n');
agent.destroy();
