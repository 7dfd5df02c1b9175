import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../logger.js';
import { startServer, type RunningServer, type ServerOptions } from '../server.js';

export const API = '/api/v1alpha1/registry';

/** The repository's examples/ (the manifests the registry app serves by default). */
export const EXAMPLES_DIR = fileURLToPath(new URL('../../../../examples', import.meta.url));

/** A temp copy of examples/ (tests edit it freely); removed by the returned cleanup. */
export async function copyExamples(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'registry-examples-'));
  await cp(EXAMPLES_DIR, dir, { recursive: true });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A real server on 127.0.0.1:0 over a temp copy of the examples. */
export async function startExampleServer(
  options: ServerOptions = {},
): Promise<RunningServer & { dir: string; get(path: string, init?: RequestInit): Promise<Response> }> {
  const examples = await copyExamples();
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    manifests: examples.dir,
    logger: silentLogger,
    rateLimit: 0,
    ui: false,
    ...options,
  });
  return {
    ...server,
    dir: examples.dir,
    get: (path, init) => fetch(`${server.url}${path}`, init),
    async close() {
      await server.close();
      await examples.remove();
    },
  };
}

export async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

export const names = (list: { items: { metadata: { name: string; namespace?: string } }[] }): string[] =>
  list.items.map((card) => `${card.metadata.namespace}/${card.metadata.name}`);

/** Polls until `check` passes (live reload, informers). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/**
 * The SSE events read from `reader`, parsed as they arrive (comments and heartbeats skipped). The
 * parser keeps what it has buffered between `next()` calls, so a test can read a stream in phases.
 */
export async function* sseEvents(reader: ReadableStreamDefaultReader<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event: Partial<SseEvent> = {};
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event.event = line.slice(7);
        else if (line.startsWith('id: ')) event.id = line.slice(4);
        else if (line.startsWith('data: ')) event.data = JSON.parse(line.slice(6));
      }
      if (event.event) yield event as SseEvent;
    }
  }
}

/** Reads SSE events from a fetch Response until `until` says stop. */
export async function readEvents(
  response: Response,
  until: (events: SseEvent[]) => boolean,
  timeoutMs = 5000,
): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const timer = setTimeout(() => void reader.cancel(), timeoutMs);
  try {
    if (until(events)) return events;
    for await (const event of sseEvents(reader)) {
      events.push(event);
      if (until(events)) break;
    }
  } finally {
    clearTimeout(timer);
  }
  return events;
}

export interface SseEvent {
  event: string;
  id: string;
  data: { metadata: { name: string; namespace: string }; [key: string]: unknown };
}

/** A minimal AgentCard manifest, for tests that add or edit files in a manifests directory. */
export const card = (
  namespace: string,
  name: string,
  description: string,
): string => `apiVersion: kagent.dev/v1alpha1
kind: AgentCard
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  endpoints: [https://${name}.example.com/a2a]
  metadata:
    description: ${description}
`;
