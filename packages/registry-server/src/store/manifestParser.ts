import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { GenerateOptions } from '@agent-registry/card-generator';
import { ROOT_PATH } from '@agent-registry/crds';
import { silentLogger, type Logger } from '../logger.js';
import { parseManifestFile, type ManifestFileResult } from './manifestFile.js';
import type { ParseRequest } from './manifestWorker.js';

export interface ManifestParserOptions {
  /** Files up to this size are parsed on the calling thread (fast, and bounded). Default 16 KiB. */
  inlineBytes?: number;
  /** Heap of the parsing thread, MiB: a file that needs more is refused, the process is spared. Default 128. */
  workerHeapMb?: number;
  /** Longest parse of one file, ms; the worker is restarted beyond it. Default 10 s. */
  timeoutMs?: number;
  /** Parsing threads, each with its own bounded heap. Default: the CPUs, from 1 to 4. */
  workers?: number;
  /** A thread idle this long (ms) is stopped, its heap given back; the next big file starts one. Default 2 s. */
  idleMs?: number;
  logger?: Logger;
}

interface Pending {
  request: ParseRequest;
  resolve: (result: ManifestFileResult) => void;
}

const workerUrl = new URL(
  import.meta.url.endsWith('.ts') ? './manifestWorker.ts' : './manifestWorker.js',
  import.meta.url,
);

/**
 * Parses manifest files off the event loop: small files inline, bigger ones on a few worker
 * threads (see `parse` for which file goes where), each with its own bounded heap and a
 * time limit, so `/healthz` keeps answering while a hostile file is refused and a directory of
 * large files loads on every CPU. Idle threads are stopped, so their heaps do not stay in the
 * process's memory after a load.
 */
export class ManifestParser {
  private readonly lanes: ParserLane[];

  constructor(options: ManifestParserOptions = {}) {
    const count = Math.max(1, options.workers ?? Math.min(4, availableParallelism()));
    this.lanes = Array.from({ length: count }, () => new ParserLane(options));
  }

  /**
   * YAML files, whose parse can need most of a thread's heap (a hostile file up to its bound), go to
   * the first thread one at a time, so the process's peak memory stays one thread's; JSON files, a
   * plain JSON.parse, to whichever thread has the least queued.
   */
  parse(file: string, text: string, generateOptions: GenerateOptions = {}): Promise<ManifestFileResult> {
    let lane = this.lanes[0]!;
    if (file.endsWith('.json')) {
      for (const candidate of this.lanes) if (candidate.pending < lane.pending) lane = candidate;
    }
    return lane.parse(file, text, generateOptions);
  }

  /**
   * Stops the threads that have nothing to parse now rather than after `idleMs`: a scan is done, and
   * their heaps (tens of MB each after a large load) need not stay in the process until then.
   */
  release(): void {
    for (const lane of this.lanes) lane.release();
  }

  async close(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane.close()));
  }
}

/**
 * One parsing thread: files one at a time, with a time limit. A worker that dies (out of memory, too
 * slow) is replaced; the file is reported, by name, as too complex.
 */
class ParserLane {
  private worker: Worker | undefined;
  private readonly queue: Pending[] = [];
  private current: (Pending & { timer: NodeJS.Timeout | undefined }) | undefined;
  private nextId = 0;
  private closed = false;
  private readonly logger: Logger;
  /** Set when no worker can start here (e.g. a TypeScript source run without a loader): parse inline. */
  private workerUnavailable = false;

  private idle: NodeJS.Timeout | undefined;

  constructor(private readonly options: ManifestParserOptions = {}) {
    this.logger = options.logger ?? silentLogger;
  }

  /** Files queued or being parsed on this thread. */
  get pending(): number {
    return this.queue.length + (this.current ? 1 : 0);
  }

  parse(file: string, text: string, generateOptions: GenerateOptions = {}): Promise<ManifestFileResult> {
    if (this.workerUnavailable || text.length <= (this.options.inlineBytes ?? 16 * 1024)) {
      return Promise.resolve(parseManifestFile(file, text, generateOptions));
    }
    return new Promise((resolve) => {
      this.queue.push({ request: { id: this.nextId++, file, text, options: generateOptions }, resolve });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idle);
    const worker = this.worker;
    this.worker = undefined;
    if (this.current) {
      clearTimeout(this.current.timer);
      this.current.resolve(refused(this.current.request.file, 'the registry is stopping'));
      this.current = undefined;
    }
    for (const pending of this.queue.splice(0)) {
      pending.resolve(refused(pending.request.file, 'the registry is stopping'));
    }
    await worker?.terminate();
  }

  private pump(): void {
    if (this.current || this.closed) return;
    clearTimeout(this.idle);
    const next = this.queue.shift();
    if (!next) {
      this.stopWhenIdle();
      return;
    }
    if (this.workerUnavailable) {
      next.resolve(parseManifestFile(next.request.file, next.request.text, next.request.options));
      this.pump();
      return;
    }
    const worker = this.ensureWorker();
    this.current = { ...next, timer: undefined };
    // The time limit counts from when the thread is running (loading it is not the file's fault).
    if (this.online) this.startTimer();
    worker.postMessage(next.request);
  }

  private online = false;

  /** Stops the thread now if it has nothing to parse (an expected exit: nothing is pending). */
  release(): void {
    const worker = this.worker;
    if (!worker || this.current || this.queue.length > 0) return;
    clearTimeout(this.idle);
    this.worker = undefined;
    void worker.terminate();
  }

  /** Stops the thread after `idleMs` without work (an expected exit: nothing is pending). */
  private stopWhenIdle(): void {
    if (!this.worker) return;
    this.idle = setTimeout(() => {
      const worker = this.worker;
      if (!worker || this.current || this.queue.length > 0) return;
      this.worker = undefined;
      void worker.terminate();
    }, this.options.idleMs ?? 2000);
    this.idle.unref();
  }

  private startTimer(): void {
    const current = this.current;
    if (!current || current.timer) return;
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    current.timer = setTimeout(() => {
      if (this.current === current) this.fail(`took longer than ${timeoutMs} ms to parse; not read`);
    }, timeoutMs);
    current.timer.unref();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const heap = this.options.workerHeapMb ?? 128;
    const limits = {
      // A young generation that holds a large file's short-lived values (its text, the parsed
      // documents, the JSON made for the answer) spares most of their copying: ~20% less CPU than 16 MB.
      resourceLimits: { maxOldGenerationSizeMb: heap, maxYoungGenerationSizeMb: 48, stackSizeMb: 4 },
      stdout: false,
      stderr: false,
    };
    // Built, the worker is a .js file. From TypeScript sources (tests, `npm run dev`), tsx compiles it:
    // its loader is registered inside the thread, which does not inherit the parent's.
    const worker = workerUrl.pathname.endsWith('.ts')
      ? new Worker(
          `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl.href)}); });`,
          { ...limits, eval: true },
        )
      : new Worker(workerUrl, limits);
    worker.unref();
    let started = false;
    this.online = false;
    worker.on('message', (message: { id: number; result: string } | { ready: true }) => {
      if ('ready' in message) {
        started = true;
        if (this.worker !== worker) return;
        this.online = true;
        this.startTimer();
        return;
      }
      const current = this.current;
      if (!current || current.request.id !== message.id) return;
      clearTimeout(current.timer);
      this.current = undefined;
      current.resolve(JSON.parse(message.result) as ManifestFileResult);
      this.pump();
    });
    worker.on('error', (error: NodeJS.ErrnoException) => {
      if (this.worker !== worker) return;
      if (!started && error.code !== 'ERR_WORKER_OUT_OF_MEMORY') {
        // The thread could not even load its module: parse on this thread rather than not at all.
        this.logger.warn('the manifest parsing thread cannot start; parsing inline', {
          error: error.message,
        });
        this.workerUnavailable = true;
      }
      this.logger.debug('the manifest parsing thread failed', { code: error.code, error: error.message });
      this.fail(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `needs more than ${heap} MiB to parse; not read`
          : 'could not be parsed (the parsing thread failed); not read',
      );
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.fail('could not be parsed (the parsing thread stopped); not read');
    });
    this.worker = worker;
    return worker;
  }

  /** Gives up on the file being parsed, replaces the worker and goes on with the queue. */
  private fail(reason: string): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
    const current = this.current;
    this.current = undefined;
    if (current) {
      clearTimeout(current.timer);
      if (this.workerUnavailable) {
        current.resolve(
          parseManifestFile(current.request.file, current.request.text, current.request.options),
        );
      } else {
        this.logger.warn('manifest file refused', { file: current.request.file, reason });
        current.resolve(refused(current.request.file, reason));
      }
    }
    this.pump();
  }
}

const refused = (file: string, message: string): ManifestFileResult => ({
  cards: [],
  problems: [{ severity: 'error', file, path: ROOT_PATH, message }],
  failed: true,
});
