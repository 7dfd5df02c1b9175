import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * RFC 8785 (JSON Canonicalization Scheme): keys sorted by UTF-16 code units,
 * ECMAScript number formatting, minimal string escaping. Throws a TypeError
 * for values JSON cannot carry (NaN, Infinity, lone surrogates, cycles, a
 * top-level undefined), since any hash of them would be meaningless.
 */
export function canonicalJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (error) {
    throw new TypeError(`cannot canonicalize: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (text === undefined) throw new TypeError('cannot canonicalize: value has no JSON form');
  return text;
}

/** Hex SHA-256 of `canonicalJson(value)`: equal for equal JSON regardless of key order. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}
