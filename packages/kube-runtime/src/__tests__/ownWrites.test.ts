import { describe, expect, it } from 'vitest';
import { OwnWrites } from '../ownWrites.js';

describe('OwnWrites', () => {
  it('tells the echo of each recorded write once, per key', () => {
    const own = new OwnWrites();
    own.record('ns/a', '10');
    own.record('ns/a', '11');
    expect(own.isEcho('ns/b', '10')).toBe(false);
    expect(own.isEcho('ns/a', '10')).toBe(true);
    expect(own.isEcho('ns/a', '10')).toBe(false); // seen once
    expect(own.isEcho('ns/a', '11')).toBe(true);
    expect(own.size).toBe(0);
  });

  it('is not fooled by another version: a change by someone else is never an echo', () => {
    const own = new OwnWrites();
    own.record('ns/a', '10');
    expect(own.isEcho('ns/a', '12')).toBe(false);
    expect(own.isEcho('ns/a', undefined)).toBe(false);
    expect(own.isEcho('ns/a', '10')).toBe(true);
  });

  it('drops versions older than an echo (watch events come in order) and forgets deleted keys', () => {
    const own = new OwnWrites();
    own.record('ns/a', '10');
    own.record('ns/a', '11');
    expect(own.isEcho('ns/a', '11')).toBe(true); // the event of 10 was missed (a relist, say)
    expect(own.isEcho('ns/a', '10')).toBe(false);
    own.record('ns/b', '20');
    own.forget('ns/b');
    expect(own.isEcho('ns/b', '20')).toBe(false);
  });

  it('keeps a few versions per key, so echoes that never come cost nothing lasting', () => {
    const own = new OwnWrites(2);
    for (const version of ['1', '2', '3']) own.record('ns/a', version);
    expect(own.isEcho('ns/a', '1')).toBe(false);
    expect(own.isEcho('ns/a', '2')).toBe(true);
    own.record('ns/a', undefined); // a write without a version records nothing
    expect(own.isEcho('ns/a', '3')).toBe(true);
    expect(own.size).toBe(0);
  });
});
