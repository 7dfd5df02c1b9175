import { describe, expect, it } from 'vitest';
import { Semaphore } from '../semaphore.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Semaphore', () => {
  it('runs at most `slots` tasks at once and serves waiters first come, first served', async () => {
    const semaphore = new Semaphore(2);
    const releases: (() => void)[] = [];
    const started: number[] = [];
    const tasks = [0, 1, 2, 3].map((id) =>
      semaphore.run(
        () =>
          new Promise<number>((resolve) => {
            started.push(id);
            releases[id] = () => resolve(id);
          }),
      ),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect([semaphore.inUse, semaphore.queued]).toEqual([2, 2]);
    releases[1]!();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    releases[0]!();
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    releases[2]!();
    releases[3]!();
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3]);
    expect([semaphore.inUse, semaphore.queued]).toEqual([0, 0]);
  });

  it('frees the slot when a task throws', async () => {
    const semaphore = new Semaphore(1);
    await expect(semaphore.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await semaphore.run(() => Promise.resolve('next'))).toBe('next');
    expect(semaphore.inUse).toBe(0);
  });

  it('rejects a slot count that is not a positive integer', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
    expect(() => new Semaphore(1.5)).toThrow(RangeError);
  });
});
