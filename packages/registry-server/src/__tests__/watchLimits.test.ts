import { describe, expect, it } from 'vitest';
import { StatusError } from '../http/status.js';
import { WatchLimits } from '../http/watchLimits.js';

describe('WatchLimits', () => {
  const refusal = (acquire: () => unknown) => {
    try {
      acquire();
    } catch (error) {
      return error instanceof StatusError ? { ...error.body, headers: error.headers } : error;
    }
    return undefined;
  };

  it('bounds streams per client and in total, each with a 429 that says which', () => {
    const limits = new WatchLimits({ perClient: 2, total: 3 });
    const a1 = limits.acquire('a');
    limits.acquire('a');
    expect(refusal(() => limits.acquire('a'))).toMatchObject({
      code: 429,
      reason: 'TooManyRequests',
      message: expect.stringMatching(/per client/),
      headers: { 'retry-after': '10' },
    });
    limits.acquire('b');
    expect(refusal(() => limits.acquire('c'))).toMatchObject({
      code: 429,
      message: expect.stringMatching(/at most 3/),
    });
    a1();
    a1(); // releasing twice frees one slot, once
    expect(limits.size).toBe(2);
    expect(() => limits.acquire('c')).not.toThrow();
    expect(refusal(() => limits.acquire('d'))).toMatchObject({ code: 429 });
  });
});
