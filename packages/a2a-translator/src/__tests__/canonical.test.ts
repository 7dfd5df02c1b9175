import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from '../index.js';

/** A double from its IEEE-754 bit pattern, as RFC 8785 Appendix B lists them. */
const fromHex = (hex: string) => {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
};

describe('canonicalJson follows RFC 8785', () => {
  it('canonicalizes the sample of section 3.2.2', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        ' "literals": [null, true, false]}',
    ) as unknown;
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by UTF-16 code units (section 3.2.3)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // Read the order from the text: JSON.parse would move the integer-like key "1" first.
    const text = canonicalJson(input);
    const order = Object.values(input).sort((a, b) => text.indexOf(a) - text.indexOf(b));
    expect(order).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
    expect(canonicalJson(input).startsWith('{"\\r":"Carriage Return","1":"One","\u0080":"Control"')).toBe(
      true,
    );
  });

  it.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('formats the number %s as %s (Appendix B)', (hex, expected) => {
    expect(canonicalJson(fromHex(hex))).toBe(expected);
  });

  it('formats 1e21, 1e-7 and -0 like ECMAScript', () => {
    expect(canonicalJson([1e21, 1e-7, -0, 1e20])).toBe('[1e+21,1e-7,0,100000000000000000000]');
  });

  it('escapes only what JSON requires', () => {
    expect(canonicalJson('\u0000\u001f"\\\u007f\u00e9\u2028')).toBe(
      '"\\u0000\\u001f\\"\\\\\u007f\u00e9\u2028"',
    );
  });

  it.each([[Number.NaN], [Number.POSITIVE_INFINITY], ['\ud800'], [undefined]])('refuses %s', (value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });
});

/** What the `canonicalize` library (the reference) makes of a value: its text, or `undefined` when it refuses. */
function reference(value: unknown): string | undefined {
  try {
    return canonicalize(value);
  } catch {
    return undefined;
  }
}

/** canonicalJson must give the library's bytes exactly, and throw a TypeError exactly when the library has no text. */
function expectSameAsReference(value: unknown) {
  const expected = reference(value);
  if (expected === undefined) expect(() => canonicalJson(value)).toThrow(TypeError);
  else expect(canonicalJson(value)).toBe(expected);
}

describe('canonicalJson agrees byte for byte with the canonicalize library', () => {
  // Any UTF-16 code unit, lone surrogates included, plus astral characters and JSON's escapes.
  const codeUnit = fc.oneof(
    fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
    fc.integer({ min: 0x10000, max: 0x10ffff }).map((code) => String.fromCodePoint(code)),
    fc.constantFrom('"', '\\', '\\ud800', '/', '\u2028', '\u007f', 'é', '\u20ac', '\ud83d\ude00'),
  );
  const oddString = fc.string({ unit: codeUnit, maxLength: 12 });
  const oddNumber = fc.oneof(
    fc.double(), // NaN, ±Infinity, -0, subnormals, extremes
    fc.integer(),
    fc.constantFrom(1e21, 1e-7, 1e20, 5e-324, 2 ** 53 + 2, Number('333333333.33333329'), -0, 0.1 + 0.2),
  );
  const oddJson = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      oddString,
      oddNumber,
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 5 }),
      fc.dictionary(oddString, tie('value'), { maxKeys: 6 }),
    ),
  })).value;

  it('on JSON-like values with odd numbers and any UTF-16 text (keys too)', () => {
    fc.assert(fc.property(oddJson, expectSameAsReference), { numRuns: 2000 });
  });

  it('on JSON text parsed back (integer-like keys, unicode escapes)', () => {
    fc.assert(
      fc.property(fc.json(), (text) => expectSameAsReference(JSON.parse(text) as unknown)),
      { numRuns: 1000 },
    );
  });

  it('on anything JavaScript holds: undefined, symbols, functions, dates, sparse arrays, boxed values', () => {
    const anything = fc.anything({
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
      withUnicodeString: true,
    });
    fc.assert(fc.property(anything, expectSameAsReference), { numRuns: 2000 });
    for (const value of [
      { f: () => 1 },
      [1, () => 1],
      [1, , 3], // eslint-disable-line no-sparse-arrays
      [undefined, Symbol('s')],
      { a: undefined, b: Symbol('s'), c: 1 },
      { toJSON: () => ({ z: 1, a: 2 }) },
      { toJSON: 'data' },
      new Date(0),
      1n,
    ]) {
      expectSameAsReference(value);
    }
  });

  it('on deep nesting and repeated (acyclic) references, and refuses cycles', () => {
    let deep: unknown = 'leaf';
    for (let level = 0; level < 300; level++) deep = level % 2 === 0 ? [deep] : { [`k${level}`]: deep };
    expectSameAsReference(deep);
    const shared = { b: 1, a: [2] };
    expectSameAsReference({ x: shared, y: [shared, shared] });
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = { back: cycle };
    expect(reference(cycle)).toBeUndefined();
    expect(() => canonicalJson(cycle)).toThrow(TypeError);
  });
});

describe('contentHash', () => {
  it('is the SHA-256 of the canonical form, whatever the key order', () => {
    const a = { b: [1, { d: 2, c: 3 }], a: 'x' };
    const b = { a: 'x', b: [1, { c: 3, d: 2 }] };
    const expected = createHash('sha256').update('{"a":"x","b":[1,{"c":3,"d":2}]}').digest('hex');
    expect(contentHash(a)).toBe(expected);
    expect(contentHash(b)).toBe(expected);
    expect(contentHash({ a: 'y' })).not.toBe(expected);
  });
});
