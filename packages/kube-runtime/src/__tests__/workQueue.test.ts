import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WorkQueue } from '../workQueue.js';

/** A promise with its resolve/reject exposed, to hold a handler mid-flight. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
};

describe('WorkQueue', () => {
  it('de-duplicates keys that are waiting', async () => {
    const queue = new WorkQueue();
    queue.add('a');
    queue.add('a');
    queue.add('b');
    queue.add('a');
    expect(queue.depth).toBe(2);
    const seen: string[] = [];
    queue.start(async (key) => {
      seen.push(key);
    });
    await queue.whenIdle();
    expect(seen).toEqual(['a', 'b']);
  });

  it('never processes one key twice at once and re-queues a key added while it is processed', async () => {
    const queue = new WorkQueue({ concurrency: 4 });
    const gate = deferred();
    let running = 0;
    let maxRunning = 0;
    let calls = 0;
    queue.start(async () => {
      calls += 1;
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      if (calls === 1) await gate.promise;
      running -= 1;
    });
    queue.add('a');
    await flush();
    expect(queue.inFlight).toBe(1);
    queue.add('a'); // while processing: must wait
    queue.add('a'); // and only once
    await flush();
    expect(queue.inFlight).toBe(1);
    expect(queue.depth).toBe(0);
    gate.resolve();
    await queue.whenIdle();
    expect(calls).toBe(2);
    expect(maxRunning).toBe(1);
  });

  it('bounds concurrency to distinct keys', async () => {
    const queue = new WorkQueue({ concurrency: 3 });
    const gates = new Map<string, ReturnType<typeof deferred<void>>>();
    let running = 0;
    let maxRunning = 0;
    queue.start(async (key) => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      const gate = deferred();
      gates.set(key, gate);
      await gate.promise;
      running -= 1;
    });
    for (const key of ['a', 'b', 'c', 'd', 'e']) queue.add(key);
    await flush();
    expect(queue.inFlight).toBe(3);
    expect(queue.depth).toBe(2);
    for (const key of ['a', 'b', 'c']) gates.get(key)?.resolve();
    await flush();
    expect(queue.inFlight).toBe(2);
    for (const key of ['d', 'e']) gates.get(key)?.resolve();
    await queue.whenIdle();
    expect(maxRunning).toBe(3);
  });

  it('reports its depth', () => {
    const depths: number[] = [];
    const queue = new WorkQueue({ onDepthChange: (depth) => depths.push(depth) });
    queue.add('a');
    queue.add('b');
    queue.add('b');
    expect(depths).toEqual([1, 2]);
  });

  it('pauses and resumes without losing keys', async () => {
    const queue = new WorkQueue();
    const seen: string[] = [];
    queue.start(async (key) => {
      seen.push(key);
    });
    queue.pause();
    queue.add('a');
    await flush();
    expect(seen).toEqual([]);
    queue.start(async (key) => {
      seen.push(key);
    });
    await queue.whenIdle();
    expect(seen).toEqual(['a']);
  });

  describe('with fake timers', () => {
    beforeEach(() => {
      vi.useFakeTimers();
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it('retries failures with per-key exponential backoff and resets it on success', async () => {
      const errors: number[] = [];
      const queue = new WorkQueue({
        backoff: { baseMs: 10, maxMs: 1000 },
        onError: (_key, _error, retryInMs) => errors.push(retryInMs),
      });
      let failuresLeft = 3;
      const attempts: number[] = [];
      queue.start(async () => {
        attempts.push(Date.now());
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          throw new Error('boom');
        }
      });
      const start = Date.now();
      queue.add('a');
      await vi.advanceTimersByTimeAsync(0);
      expect(attempts).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(9);
      expect(attempts).toHaveLength(1); // 10 ms have not passed
      await vi.advanceTimersByTimeAsync(1);
      expect(attempts).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(20);
      expect(attempts).toHaveLength(3);
      await vi.advanceTimersByTimeAsync(40);
      expect(attempts).toHaveLength(4);
      expect(errors).toEqual([10, 20, 40]);
      expect(attempts.map((t) => t - start)).toEqual([0, 10, 30, 70]);
      expect(queue.failures('a')).toBe(0);
    });

    it('keeps backoff per key: one failing key does not delay another', async () => {
      const queue = new WorkQueue({ backoff: { baseMs: 1000, maxMs: 60_000 } });
      const seen: string[] = [];
      queue.start(async (key) => {
        seen.push(key);
        if (key === 'bad') throw new Error('always');
      });
      queue.add('bad');
      await vi.advanceTimersByTimeAsync(0);
      queue.add('good');
      await vi.advanceTimersByTimeAsync(0);
      expect(seen).toEqual(['bad', 'good']);
      expect(queue.failures('bad')).toBe(1);
      expect(queue.failures('good')).toBe(0);
    });

    it('caps the backoff', async () => {
      const delays: number[] = [];
      const queue = new WorkQueue({
        backoff: { baseMs: 5, maxMs: 100 },
        onError: (_k, _e, ms) => delays.push(ms),
      });
      queue.start(async () => {
        throw new Error('always');
      });
      queue.add('a');
      await vi.advanceTimersByTimeAsync(1000);
      expect(delays.slice(0, 6)).toEqual([5, 10, 20, 40, 80, 100]);
      expect(Math.max(...delays)).toBe(100);
      await queue.shutdown(10);
    });

    it('addAfter keeps the earliest pending delay', async () => {
      const queue = new WorkQueue();
      const seen: number[] = [];
      queue.start(async () => {
        seen.push(Date.now());
      });
      const start = Date.now();
      queue.addAfter('a', 500);
      queue.addAfter('a', 100);
      queue.addAfter('a', 300);
      await vi.advanceTimersByTimeAsync(1000);
      expect(seen.map((t) => t - start)).toEqual([100]);
    });

    it('honours requeueAfterMs without counting a failure', async () => {
      const queue = new WorkQueue();
      let calls = 0;
      queue.start(async () => {
        calls += 1;
        return calls === 1 ? { requeueAfterMs: 250 } : undefined;
      });
      queue.add('a');
      await vi.advanceTimersByTimeAsync(249);
      expect(calls).toBe(1);
      expect(queue.failures('a')).toBe(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(calls).toBe(2);
    });

    it('shutdown waits for in-flight work, drops waiting keys, and gives up after the timeout', async () => {
      const queue = new WorkQueue({ concurrency: 1 });
      const gate = deferred();
      const seen: string[] = [];
      queue.start(async (key) => {
        seen.push(key);
        await gate.promise;
      });
      queue.add('a');
      queue.add('b');
      await vi.advanceTimersByTimeAsync(0);
      const result = queue.shutdown(1000);
      queue.add('c'); // refused
      await vi.advanceTimersByTimeAsync(1000);
      await expect(result).resolves.toBe(false);

      const second = new WorkQueue();
      const gate2 = deferred();
      second.start(async () => gate2.promise);
      second.add('x');
      await vi.advanceTimersByTimeAsync(0);
      const drained = second.shutdown(5000);
      gate2.resolve();
      await expect(drained).resolves.toBe(true);
      expect(seen).toEqual(['a']);
      gate.resolve();
    });
  });
});
