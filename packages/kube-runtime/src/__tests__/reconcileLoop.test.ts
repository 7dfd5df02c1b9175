import { describe, expect, it } from 'vitest';
import { ReconcileLoop, type ReconcileOutcome, type ReconcileResult } from '../reconcileLoop.js';

const recorder = () => {
  const results: [string, ReconcileResult][] = [];
  const depths: number[] = [];
  return { results, depths };
};

describe('ReconcileLoop', () => {
  it('reconciles queued keys once each and reports how each reconcile ended', async () => {
    const { results } = recorder();
    const seen: string[] = [];
    const loop = new ReconcileLoop({
      reconcile: async (key) => {
        seen.push(key);
        return { action: 'applied' };
      },
      onReconciled: (result, seconds) => {
        expect(seconds).toBeGreaterThanOrEqual(0);
        results.push([seen.at(-1) ?? '', result]);
      },
    });
    loop.add('ns/a');
    loop.add('ns/a'); // de-duplicated while waiting
    loop.add('ns/b');
    expect(loop.depth).toBe(2);
    loop.start();
    await loop.whenIdle();
    expect(seen).toEqual(['ns/a', 'ns/b']);
    expect(results).toEqual([
      ['ns/a', 'success'],
      ['ns/b', 'success'],
    ]);
    expect(await loop.shutdown(1000)).toBe(true);
  });

  it('honours a requested requeue and retries a thrown error with backoff', async () => {
    const outcomes: ReconcileResult[] = [];
    const plan: (() => ReconcileOutcome)[] = [
      () => ({ requeueAfterMs: 5 }),
      () => {
        throw new Error('apiserver said no');
      },
      () => ({ action: 'none' }),
    ];
    const warnings: unknown[] = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (message: string, fields?: Record<string, unknown>) => warnings.push({ message, ...fields }),
      error: () => undefined,
      child: () => logger,
    };
    const loop = new ReconcileLoop({
      reconcile: async () => (plan.shift() ?? (() => ({})))(),
      backoff: { baseMs: 5, maxMs: 20 },
      logger,
      onReconciled: (result) => outcomes.push(result),
    });
    loop.start();
    loop.add('ns/a');
    await expect.poll(() => outcomes, { timeout: 2000 }).toEqual(['requeue', 'error', 'success']);
    expect(warnings).toEqual([
      expect.objectContaining({ message: 'reconcile failed', key: 'ns/a', error: 'apiserver said no' }),
    ]);
    await loop.shutdown(1000);
  });

  it('holds keys while paused and reports the queue depth', async () => {
    const { depths } = recorder();
    const seen: string[] = [];
    const loop = new ReconcileLoop({
      reconcile: async (key) => {
        seen.push(key);
        return {};
      },
      onDepthChange: (depth) => depths.push(depth),
    });
    loop.start();
    loop.pause();
    loop.add('ns/a');
    expect(seen).toEqual([]);
    expect(loop.isRunning).toBe(false);
    loop.start();
    await loop.whenIdle();
    expect(seen).toEqual(['ns/a']);
    expect(depths).toContain(1);
    expect(depths.at(-1)).toBe(0);
    await loop.shutdown(1000);
  });
});
