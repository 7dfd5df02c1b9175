import { describe, expect, it } from 'vitest';
import { OwnWrites } from '../ownWrites.js';

describe('OwnWrites', () => {
  it('handles the echo of each recorded write once, per key', () => {
    const own = new OwnWrites();
    own.record('ns/a', '10');
    own.record('ns/a', '11');
    expect(own.handled('ns/b', '10')).toBe(false);
    expect(own.handled('ns/a', '10')).toBe(true);
    expect(own.handled('ns/a', '10')).toBe(false); // seen once
    expect(own.handled('ns/a', '11')).toBe(true);
    expect(own.size).toBe(0);
  });

  it('is not fooled by another version: a change by someone else is never an echo', () => {
    const own = new OwnWrites();
    own.record('ns/a', '10');
    expect(own.handled('ns/a', '12')).toBe(false);
    expect(own.handled('ns/a', undefined)).toBe(false);
    expect(own.handled('ns/a', '10')).toBe(true);
  });

  it('drops versions older than an echo (watch events come in order) and forgets deleted keys', () => {
    const own = new OwnWrites();
    own.record('ns/a', '10');
    own.record('ns/a', '11');
    expect(own.handled('ns/a', '11')).toBe(true); // the event of 10 was missed (a relist, say)
    expect(own.handled('ns/a', '10')).toBe(false);
    own.record('ns/b', '20');
    own.forget('ns/b');
    expect(own.handled('ns/b', '20')).toBe(false);
  });

  it('keeps a few versions per key, so echoes that never come cost nothing lasting', () => {
    const own = new OwnWrites(2);
    for (const version of ['1', '2', '3']) own.record('ns/a', version);
    expect(own.handled('ns/a', '1')).toBe(false);
    expect(own.handled('ns/a', '2')).toBe(true);
    own.record('ns/a', undefined); // a write without a version records nothing
    expect(own.handled('ns/a', '3')).toBe(true);
    expect(own.size).toBe(0);
  });

  it('holds the events of a key being reconciled: echoes that beat the response are dropped at the end', () => {
    const own = new OwnWrites();
    own.begin('ns/a');
    expect(own.handled('ns/a', '10')).toBe(true); // the echo of the create, before its response
    own.record('ns/a', '10');
    own.record('ns/a', '11');
    expect(own.handled('ns/b', '12')).toBe(false); // other keys are not held
    expect(own.end('ns/a')).toBe(false);
    expect(own.handled('ns/a', '11')).toBe(true); // the status write's echo, after the end
    expect(own.size).toBe(0);
  });

  it('a change by someone else while a reconcile runs brings the key back when it ends', () => {
    const own = new OwnWrites();
    own.begin('ns/a');
    own.record('ns/a', '10');
    expect(own.handled('ns/a', '10')).toBe(true);
    expect(own.handled('ns/a', '15')).toBe(true); // held: not ours
    expect(own.end('ns/a')).toBe(true);
    expect(own.end('ns/a')).toBe(false); // nothing held any more
  });

  it('a reconcile that begins forgets the older writes: it may have decided on a stale cache', () => {
    const own = new OwnWrites();
    own.record('ns/a', '10');
    own.begin('ns/a');
    expect(own.end('ns/a')).toBe(false);
    expect(own.handled('ns/a', '10')).toBe(false); // its event now brings the key back
  });
});
