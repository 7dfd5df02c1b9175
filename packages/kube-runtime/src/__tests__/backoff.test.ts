import { describe, expect, it } from 'vitest';
import { ExponentialBackoff, delayFor, jittered } from '../backoff.js';

describe('ExponentialBackoff', () => {
  it('doubles from 5 ms and caps at 5 minutes by default (client-go)', () => {
    const backoff = new ExponentialBackoff();
    const delays = Array.from({ length: 20 }, () => backoff.next('k'));
    expect(delays.slice(0, 4)).toEqual([5, 10, 20, 40]);
    expect(delays.at(-1)).toBe(300_000);
    expect(delays.every((d, i) => i === 0 || d >= delays[i - 1]!)).toBe(true);
  });

  it('tracks keys separately and forgets on reset', () => {
    const backoff = new ExponentialBackoff({ baseMs: 1, maxMs: 100 });
    backoff.next('a');
    backoff.next('a');
    expect(backoff.next('b')).toBe(1);
    expect(backoff.attempts('a')).toBe(2);
    backoff.reset('a');
    expect(backoff.next('a')).toBe(1);
  });

  it('rejects a nonsensical range', () => {
    expect(() => new ExponentialBackoff({ baseMs: 0 })).toThrow(RangeError);
    expect(() => new ExponentialBackoff({ baseMs: 10, maxMs: 5 })).toThrow(RangeError);
  });

  it('never overflows for huge attempt counts', () => {
    expect(delayFor(10_000, 5, 1000)).toBe(1000);
  });

  it('jitters within the ratio', () => {
    expect(jittered(1000, 0.2, () => 0)).toBe(800);
    expect(jittered(1000, 0.2, () => 1)).toBe(1200);
    expect(jittered(1000, 0.2, () => 0.5)).toBe(1000);
  });
});
