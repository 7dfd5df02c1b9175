import { describe, expect, it } from 'vitest';
import { probeOffset } from '../probeOffset.js';

describe('probeOffset', () => {
  it('is stable, inside the interval, and spreads keys', () => {
    const interval = 30_000;
    const offsets = Array.from({ length: 1000 }, (_, i) => probeOffset(`ns/agent-${i}`, interval));
    expect(probeOffset('ns/agent-1', interval)).toBe(offsets[1]);
    expect(offsets.every((o) => o >= 0 && o < interval)).toBe(true);
    // Ten equal buckets of the interval each get a fair share (no bursts).
    const buckets = new Array(10).fill(0) as number[];
    for (const offset of offsets)
      buckets[Math.floor(offset / 3000)] = (buckets[Math.floor(offset / 3000)] ?? 0) + 1;
    expect(Math.min(...buckets)).toBeGreaterThan(60);
    expect(Math.max(...buckets)).toBeLessThan(140);
  });

  it('stays in range for intervals below one millisecond', () => {
    expect(probeOffset('ns/a', 0)).toBe(0);
    expect(probeOffset('ns/a', 0.5)).toBe(0);
  });
});
