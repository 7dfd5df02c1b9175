import { SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import type { BackoffOptions } from './backoff.js';
import { describeError } from './kubeErrors.js';
import { silentLogger, type Logger } from './logger.js';
import { WorkQueue } from './workQueue.js';

/** What one reconcile of a key reports back to the loop. */
export interface ReconcileOutcome {
  /** What was done, for the span and the debug log; `none` is not logged. */
  action?: string;
  /** A human-readable note (why nothing happened, who won a conflict). */
  detail?: string;
  /** Look at the key again after this long (waiting for a cache, not a failure). */
  requeueAfterMs?: number;
}

/** How a reconcile ended, for the metrics: requeue = asked to look again, error = threw (retried with backoff). */
export type ReconcileResult = 'success' | 'error' | 'requeue';

export const RECONCILE_RESULTS: readonly ReconcileResult[] = ['success', 'error', 'requeue'];

export type Reconcile = (key: string) => Promise<ReconcileOutcome>;

export interface ReconcileLoopOptions {
  reconcile: Reconcile;
  /** Keys reconciled at the same time (distinct keys only). Default 1. */
  concurrency?: number;
  backoff?: BackoffOptions;
  /** Spans named `reconcile` go to this tracer. Default: the API's global tracer `kube-runtime`. */
  tracer?: Tracer;
  /** Prefix of the span attributes `<prefix>.key`, `.action`, `.result`. Default `reconcile`. */
  attributePrefix?: string;
  logger?: Logger;
  /** After every reconcile, with how it ended and how long it took (a counter and a histogram). */
  onReconciled?: (result: ReconcileResult, seconds: number) => void;
  /** Whenever the number of waiting keys changes (a gauge). */
  onDepthChange?: (depth: number) => void;
}

/**
 * controller-runtime's controller loop: keys go into a {@link WorkQueue}; each
 * is reconciled in a `reconcile` span, timed and counted; a thrown error is
 * logged and retried with per-key backoff, a requested requeue is honoured
 * without counting as a failure. The reconcile function holds all policy.
 */
export class ReconcileLoop {
  private readonly queue: WorkQueue;
  private readonly handle: (key: string) => Promise<{ requeueAfterMs: number } | undefined>;

  constructor(options: ReconcileLoopOptions) {
    const logger = options.logger ?? silentLogger;
    const tracer = options.tracer ?? trace.getTracer('kube-runtime');
    const prefix = options.attributePrefix ?? 'reconcile';
    this.queue = new WorkQueue({
      concurrency: options.concurrency,
      backoff: options.backoff,
      onDepthChange: options.onDepthChange,
      onError: (key, error, retryInMs) =>
        logger.warn('reconcile failed', { key, error: describeError(error), retryInMs }),
    });
    this.handle = (key) =>
      tracer.startActiveSpan('reconcile', async (span) => {
        span.setAttribute(`${prefix}.key`, key);
        const started = performance.now();
        let result: ReconcileResult = 'error';
        try {
          const outcome = await options.reconcile(key);
          result = outcome.requeueAfterMs === undefined ? 'success' : 'requeue';
          if (outcome.action !== undefined) span.setAttribute(`${prefix}.action`, outcome.action);
          if (outcome.action !== undefined && outcome.action !== 'none')
            logger.debug('reconciled', { key, action: outcome.action, detail: outcome.detail });
          return outcome.requeueAfterMs === undefined
            ? undefined
            : { requeueAfterMs: outcome.requeueAfterMs };
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: describeError(error) });
          throw error;
        } finally {
          span.setAttribute(`${prefix}.result`, result);
          options.onReconciled?.(result, (performance.now() - started) / 1000);
          span.end();
        }
      });
  }

  /** Queues a key; a key already waiting is not queued twice. */
  add(key: string): void {
    this.queue.add(key);
  }

  /** Keys waiting to be reconciled. */
  get depth(): number {
    return this.queue.depth;
  }

  get isRunning(): boolean {
    return this.queue.isRunning;
  }

  /** Starts (or resumes) reconciling. */
  start(): void {
    this.queue.start(this.handle);
  }

  /** Stops taking keys; keys keep queueing for a later start. */
  pause(): void {
    this.queue.pause();
  }

  /** Resolves when no key waits and none is being reconciled. */
  whenIdle(): Promise<void> {
    return this.queue.whenIdle();
  }

  /** Stops for good; false when reconciles were still in flight after `timeoutMs`. */
  shutdown(timeoutMs?: number): Promise<boolean> {
    return this.queue.shutdown(timeoutMs);
  }
}
