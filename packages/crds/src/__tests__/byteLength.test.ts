import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteLength } from '../index.js';

const encoder = new TextEncoder();
// Any UTF-16 code units, lone surrogates included: what a parsed manifest's strings can hold.
const codeUnits = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0, max: 0x7ff }),
      fc.integer({ min: 0xd700, max: 0xe000 }),
      fc.integer({ min: 0, max: 0xffff }),
    ),
    { maxLength: 40 },
  )
  .map((codes) => String.fromCharCode(...codes));

describe('byteLength', () => {
  it('counts the bytes TextEncoder writes, for any string', () => {
    fc.assert(
      fc.property(fc.oneof(codeUnits, fc.string({ unit: 'binary' })), (value) => {
        expect(byteLength(value)).toBe(encoder.encode(value).length);
      }),
      { numRuns: 2000 },
    );
  });

  it('counts a pair of surrogates as one 4-byte character and a lone one as U+FFFD', () => {
    expect(byteLength('😀')).toBe(4);
    expect(byteLength('\ud83d')).toBe(3);
    expect(byteLength('\ude00x')).toBe(4);
    expect(byteLength('é')).toBe(2);
  });
});
