import { describe, expect, it, vi } from 'vitest';
import { WriteMemo } from '../writeMemo.js';

describe('WriteMemo', () => {
  it('marks a write pending while the cache still shows the version it was based on', () => {
    const memo = new WriteMemo();
    memo.remember('ns/a', '10', 'X');
    expect(memo.isPending('ns/a', '10', 'X')).toBe(true);
    expect(memo.isPending('ns/a', '10', 'Y')).toBe(false); // a different write is needed
    expect(memo.isPending('ns/b', '10', 'X')).toBe(false);
  });

  it('ends when the cache moves to any other version (ours or someone else’s)', () => {
    const memo = new WriteMemo();
    memo.remember('ns/a', '10', 'X');
    memo.observe('ns/a', '10');
    expect(memo.isPending('ns/a', '10', 'X')).toBe(true);
    memo.observe('ns/a', '11');
    expect(memo.isPending('ns/a', '10', 'X')).toBe(false);
  });

  it('a create (no cached version) ends with the first event', () => {
    const memo = new WriteMemo();
    memo.remember('ns/a', undefined, 'X');
    expect(memo.isPending('ns/a', undefined, 'X')).toBe(true);
    memo.observe('ns/a', '5');
    expect(memo.isPending('ns/a', undefined, 'X')).toBe(false);
  });

  it('expires, so a missed event cannot suppress a write for long', () => {
    vi.useFakeTimers();
    try {
      const memo = new WriteMemo(1000);
      memo.remember('ns/a', undefined, 'X');
      vi.advanceTimersByTime(1001);
      expect(memo.isPending('ns/a', undefined, 'X')).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});
