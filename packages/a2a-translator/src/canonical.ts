import { hash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** Nesting beyond this leaves the fast path: the library then detects cycles (or overflows) and reports it. */
const MAX_FAST_DEPTH = 128;

/** Characters JSON.stringify would escape, and surrogates (which it escapes when lone). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON must escape
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A JSON string literal; `undefined` for a lone surrogate, which JSON.stringify writes as a `\udXXX` escape. */
function quote(text: string): string | undefined {
  if (!NEEDS_ESCAPE.test(text)) return `"${text}"`;
  const quoted = JSON.stringify(text);
  // Also true for an escaped backslash followed by "ud": the library then gives the (same) answer.
  return quoted.includes('\\ud') ? undefined : quoted;
}

/**
 * RFC 8785 for plain JSON data, without the `canonicalize` library's per-value
 * cycle set and surrogate scan (it profiled at ~80% of `contentHash`). Returns
 * `undefined` for anything it does not handle exactly like the library
 * (toJSON, functions, bigint, non-finite numbers, sparse arrays, deep nesting),
 * and the caller asks the library instead; the property tests hold the two to
 * byte-identical output.
 */
function fastCanonical(value: unknown, depth: number): string | undefined {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      // For finite numbers this is ECMAScript Number::toString (-0 gives "0"), which RFC 8785 adopts.
      return Number.isFinite(value) ? String(value) : undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (depth > MAX_FAST_DEPTH || typeof (value as { toJSON?: unknown }).toJSON === 'function')
        return undefined;
      if (Array.isArray(value)) {
        let out = '[';
        for (let index = 0; index < value.length; index++) {
          if (index > 0) out += ',';
          const item: unknown = value[index];
          if (item === undefined) {
            if (!(index in value)) return undefined; // a hole: the library renders it as nothing
            out += 'null';
          } else if (typeof item === 'symbol') out += 'null';
          else {
            const text = fastCanonical(item, depth + 1);
            if (text === undefined) return undefined;
            out += text;
          }
        }
        return out + ']';
      }
      const object = value as Record<string, unknown>;
      // Array.prototype.sort compares UTF-16 code units, which is RFC 8785's key order.
      const keys = Object.keys(object);
      if (keys.length > 1) keys.sort();
      let out = '{';
      for (const key of keys) {
        const item = object[key];
        if (item === undefined || typeof item === 'symbol') continue;
        const text = fastCanonical(item, depth + 1);
        if (text === undefined) return undefined;
        const quotedKey = quote(key);
        if (quotedKey === undefined) return undefined;
        out += (out.length > 1 ? ',' : '') + quotedKey + ':' + text;
      }
      return out + '}';
    }
    default:
      return undefined;
  }
}

/**
 * RFC 8785 (JSON Canonicalization Scheme): keys sorted by UTF-16 code units,
 * ECMAScript number formatting, minimal string escaping. Throws a TypeError
 * for values JSON cannot carry (NaN, Infinity, lone surrogates, cycles, a
 * top-level undefined), since any hash of them would be meaningless.
 */
export function canonicalJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = fastCanonical(value, 0) ?? canonicalize(value);
  } catch (error) {
    throw new TypeError(`cannot canonicalize: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (text === undefined) throw new TypeError('cannot canonicalize: value has no JSON form');
  return text;
}

/** Hex SHA-256 of `canonicalJson(value)`: equal for equal JSON regardless of key order. */
export function contentHash(value: unknown): string {
  return hash('sha256', canonicalJson(value), 'hex');
}
