import { describe, expect, it } from 'vitest';
import { formatDuration, parseBoolean, parseDuration, parseInteger, parseList } from '../grammar.js';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['500ms', 500],
    ['2m', 120_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
    ['15', 15_000],
    ['0', 0],
    [' 10s ', 10_000],
  ])('%j → %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 's', '10x', '-1s', '1s2', 'abc', '1d'])('rejects %j', (text) =>
    expect(parseDuration(text)).toBeUndefined(),
  );

  it.each([0, 500, 1500, 30_000, 120_000, 5_400_000, 86_400_000])('formatDuration(%d) reads back', (ms) =>
    expect(parseDuration(formatDuration(ms))).toBe(ms),
  );
});

describe('parseBoolean', () => {
  it.each(['true', 'TRUE', '1', 'yes', 'on'])('%j is true', (text) => expect(parseBoolean(text)).toBe(true));
  it.each(['false', 'False', '0', 'no', 'off'])('%j is false', (text) =>
    expect(parseBoolean(text)).toBe(false),
  );
  it.each(['', 'y', 'enabled', '2'])('%j is neither', (text) => expect(parseBoolean(text)).toBeUndefined());
});

describe('parseInteger and parseList', () => {
  it('reads non-negative decimal integers only', () => {
    expect(parseInteger(' 42 ')).toBe(42);
    for (const text of ['', '-1', '1.5', '0x10', '1e3']) expect(parseInteger(text)).toBeUndefined();
  });

  it('splits on commas, trims, drops empty items and repeats', () => {
    expect(parseList(' a, b,,a ,c ')).toEqual(['a', 'b', 'c']);
    expect(parseList(undefined)).toEqual([]);
    expect(parseList('')).toEqual([]);
  });
});
