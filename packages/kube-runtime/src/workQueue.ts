import { ExponentialBackoff, type BackoffOptions } from './backoff.js';

/** What a handler may ask for besides plain success (resolve) or failure (throw → backoff). */
export interface HandlerResult {
  /** Process the key again after this long, without counting a failure (e.g. waiting for a cache). */
  requeueAfterMs?: number;
}

export type KeyHandler = (key: string) => Promise<HandlerResult | void>;

export interface WorkQueueOptions {
  /** Keys processed at the same time (distinct keys only). Default 1. */
  concurrency?: number;
  backoff?: BackoffOptions;
  /** Called whenever the number of waiting keys changes (a metric gauge). */
  onDepthChange?: (depth: number) => void;
  /** Called when a handler throws; the key is retried with backoff. */
  onError?: (key: string, error: unknown, retryInMs: number) => void;
}

/**
 * A keyed work queue with client-go's guarantees:
 * - a key waits at most once (adding a waiting key is a no-op);
 * - a key is never processed by two workers at once: a key added while it is
 *   processed is queued again once that processing ends;
 * - failures are retried with per-key exponential backoff, successes reset it;
 * - at most `concurrency` keys are processed at the same time.
 */
export class WorkQueue {
  readonly concurrency: number;
  private readonly backoff: ExponentialBackoff<string>;
  private readonly options: WorkQueueOptions;
  private queue: string[] = [];
  private head = 0;
  /** Keys that need processing (waiting, or re-added while processing). */
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly delayed = new Map<string, { at: number; timer: ReturnType<typeof setTimeout> }>();
  private handler: KeyHandler | undefined;
  private running = false;
  private shuttingDown = false;
  private idleWaiters: (() => void)[] = [];

  constructor(options: WorkQueueOptions = {}) {
    this.options = options;
    this.concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer, got ${this.concurrency}`);
    }
    this.backoff = new ExponentialBackoff(options.backoff);
  }

  /** Keys waiting to be processed (not counting those being processed or delayed). */
  get depth(): number {
    return this.queue.length - this.head;
  }

  /** Keys being processed right now. */
  get inFlight(): number {
    return this.processing.size;
  }

  /** Consecutive failures of `key` (0 after a success). */
  failures(key: string): number {
    return this.backoff.attempts(key);
  }

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return; // re-queued when its processing ends
    this.queue.push(key);
    this.depthChanged();
    this.pump();
  }

  /** Adds `key` after `ms`; an earlier pending delay for the same key wins. */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const at = Date.now() + ms;
    const pending = this.delayed.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    timer.unref?.();
    this.delayed.set(key, { at, timer });
  }

  /** Adds `key` after its next backoff delay; returns that delay. */
  addRateLimited(key: string): number {
    const delay = this.backoff.next(key);
    this.addAfter(key, delay);
    return delay;
  }

  /** Resets the backoff of `key`. */
  forget(key: string): void {
    this.backoff.reset(key);
  }

  /** Starts (or resumes) processing with `handler`. */
  start(handler: KeyHandler): void {
    if (this.shuttingDown) throw new Error('work queue is shut down');
    this.handler = handler;
    this.running = true;
    this.pump();
  }

  /** Stops taking keys (in-flight ones finish); queued keys stay for a later {@link start}. */
  pause(): void {
    this.running = false;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Resolves once nothing is waiting, delayed or processing. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops for good: no new keys are taken or accepted, delayed keys are
   * dropped, and the returned promise resolves when in-flight keys finished
   * (true) or after `timeoutMs` (false).
   */
  async shutdown(timeoutMs = 30_000): Promise<boolean> {
    this.shuttingDown = true;
    this.running = false;
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    this.queue = [];
    this.head = 0;
    this.dirty.clear();
    this.depthChanged();
    if (this.processing.size === 0) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const drained = new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true)));
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([drained, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  private isIdle(): boolean {
    return this.depth === 0 && this.processing.size === 0 && this.delayed.size === 0;
  }

  private depthChanged(): void {
    this.options.onDepthChange?.(this.depth);
  }

  private pump(): void {
    while (this.running && this.handler && this.processing.size < this.concurrency && this.depth > 0) {
      const key = this.queue[this.head]!;
      this.head += 1;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      this.dirty.delete(key);
      this.processing.add(key);
      this.depthChanged();
      void this.process(key, this.handler);
    }
    if (this.isIdle()) this.notifyIdle();
  }

  private async process(key: string, handler: KeyHandler): Promise<void> {
    try {
      const result = await handler(key);
      this.backoff.reset(key);
      if (result?.requeueAfterMs !== undefined) this.addAfter(key, result.requeueAfterMs);
    } catch (error) {
      const delay = this.shuttingDown ? 0 : this.addRateLimited(key);
      this.options.onError?.(key, error, delay);
    } finally {
      this.processing.delete(key);
      if (this.dirty.has(key) && !this.shuttingDown) {
        this.queue.push(key);
        this.depthChanged();
      }
      this.pump();
    }
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
