import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChildRegistry, type ChildRegistry } from './support/childRegistry.js';
import { startBareProcess } from './support/bareProcess.js';
import { startProbe } from './support/probe.js';

const API = '/api/v1alpha1/registry';
const CARDS = 50_000;
const PER_FILE = 1000;

/** 50 files of 1000 AgentCards each (`kind: List`, JSON: quicker to load than YAML): the finding's 50,000 cards. */
async function manyCards(dir: string): Promise<void> {
  for (let file = 0; file < CARDS / PER_FILE; file++) {
    const items = Array.from({ length: PER_FILE }, (_, i) => {
      const name = `agent-${file}-${i}`;
      return {
        apiVersion: 'kagent.dev/v1alpha1',
        kind: 'AgentCard',
        metadata: { name, namespace: `ns-${file % 10}` },
        spec: {
          endpoints: [`https://${name}.example.com/a2a`],
          metadata: { description: `Agent ${name} answers questions about its own domain, with some words.` },
          skills: [{ id: 'answer', name: 'Answer', description: 'Answers a question', tags: ['qa', 'demo'] }],
        },
      };
    });
    await writeFile(
      join(dir, `cards-${String(file).padStart(2, '0')}.json`),
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items }),
    );
  }
}

/** A watch that never reads: the request is sent, the socket is paused. */
function stalledWatch(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `GET ${API}/cards?watch=true HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAccept: text/event-stream\r\n\r\n`,
      );
      socket.pause();
      resolve(socket);
    });
    socket.on('error', reject);
  });
}

/** /healthz latencies, probed from another process, while `running` is pending. */
async function healthzLatencies(url: string, running: Promise<unknown>): Promise<number[]> {
  const probe = startProbe(`${url}/healthz`);
  await running.catch(() => undefined);
  return probe.stop();
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

describe('finding 5: watch snapshots at 50,000 cards', { timeout: 300_000 }, () => {
  // Loading 50,000 cards takes a while on a busy machine.
  let dir: string;
  let registry: ChildRegistry;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'registry-watch-scale-'));
    await manyCards(dir);
    registry = await startChildRegistry(
      { manifests: dir, maxWatchesPerClient: 20, heartbeatMs: 60_000 },
      { startTimeoutMs: 280_000 },
    );
    const list = (await (await fetch(`${registry.url}${API}/cards?limit=1`)).json()) as {
      metadata: { continue?: string };
    };
    expect(list.metadata.continue).toBeDefined();
  }, 300_000);
  afterAll(async () => {
    await registry?.close();
    await rm(dir, { recursive: true, force: true });
  });

  // A latency bound on a shared 2-core CI machine: up to two more full measurements when another
  // test's burst of CPU lands inside one; the bound itself stays.
  it(
    '5 watchers reading their snapshots: /healthz keeps answering (p99 within 50 ms of an idle process)',
    { retry: 2 },
    async () => {
      const watchers = Array.from({ length: 5 }, async () => {
        const response = await fetch(`${registry.url}${API}/cards?watch=true`, {
          headers: { accept: 'text/event-stream' },
        });
        const reader = (response.body as ReadableStream<Uint8Array>).getReader();
        const decoder = new TextDecoder();
        let added = 0;
        let tail = '';
        while (added < CARDS) {
          const { value, done } = await reader.read();
          if (done) break;
          const text = tail + decoder.decode(value, { stream: true });
          const cut = text.lastIndexOf('\n');
          added += (text.slice(0, cut + 1).match(/^event: ADDED$/gm) ?? []).length;
          tail = text.slice(cut + 1);
        }
        await reader.cancel();
        return added;
      });
      const all = Promise.all(watchers);
      const bare = await startBareProcess();
      let latencies: number[];
      let bareLatencies: number[];
      try {
        [latencies, bareLatencies] = await Promise.all([
          healthzLatencies(registry.url, all),
          healthzLatencies(bare.url, all),
        ]);
      } finally {
        await bare.close();
      }
      expect(await all).toEqual(Array(5).fill(CARDS));
      console.log(
        `5 snapshots of ${CARDS} cards: /healthz ${latencies.length} probes, p50 ${percentile(latencies, 0.5).toFixed(1)} ms, ` +
          `p99 ${percentile(latencies, 0.99).toFixed(1)} ms, max ${percentile(latencies, 1).toFixed(1)} ms; ` +
          `an idle process beside it: p99 ${percentile(bareLatencies, 0.99).toFixed(1)} ms`,
      );
      // The finding: 7.9 s. Each snapshot goes out in small batches between other work: /healthz stays within
      // 50 ms of an idle process probed the same way in the same window (what the machine alone costs).
      expect(percentile(latencies, 0.99)).toBeLessThan(50 + percentile(bareLatencies, 0.99));
    },
  );

  it('20 watchers that never read hold little memory, and give it back when they leave', async () => {
    const before = Number((await registry.command('heap', 'HEAP')).split(' ')[1]);
    const rssBefore = (await registry.memory()).rssMb;
    const sockets = await Promise.all(Array.from({ length: 20 }, () => stalledWatch(registry.url)));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const during = Number((await registry.command('heap', 'HEAP')).split(' ')[1]);
    const rssDuring = (await registry.memory()).rssMb;
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = Number((await registry.command('heap', 'HEAP')).split(' ')[1]);
    console.log(
      `20 stalled watchers: heap ${before} → ${during} → ${after} MiB (after they left); RSS ${rssBefore.toFixed(0)} → ${rssDuring.toFixed(0)} MB`,
    );
    // The finding: +740 MB, not released. Here each stream holds card references and a 64 KiB window.
    expect(during - before).toBeLessThan(60);
    expect(after - before).toBeLessThan(10);
  });

  it('bounds watchers per client: the one beyond the limit gets 429 with Retry-After', async () => {
    const sockets = await Promise.all(Array.from({ length: 20 }, () => stalledWatch(registry.url)));
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const refused = await fetch(`${registry.url}${API}/cards?watch=true`, {
        headers: { accept: 'text/event-stream' },
      });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('10');
      expect(await refused.json()).toMatchObject({ kind: 'Status', reason: 'TooManyRequests' });
    } finally {
      for (const socket of sockets) socket.destroy();
    }
    // Released: a new watch is accepted again.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const controller = new AbortController();
    const again = await fetch(`${registry.url}${API}/cards?watch=true&namespace=ns-1&limit=1`, {
      headers: { accept: 'text/event-stream' },
      signal: controller.signal,
    });
    expect(again.status).toBe(200);
    controller.abort();
  });
});
