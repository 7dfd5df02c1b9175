import { type A2AVersion } from './agentCard.js';

/** What an `A2A-Version` value asks for: a supported version, none at all, or something unsupported. */
export type A2AVersionRequest = { ok: true; version: A2AVersion | undefined } | { ok: false; reason: string };

/** Major.Minor, optionally .Patch: the only shape A2A §3.6 gives a version. */
const VERSION = /^(\d{1,9})\.(\d{1,9})(?:\.\d{1,9})?$/;

/** Supported Major.Minor pairs and the version each one means. */
const BY_MAJOR_MINOR: Readonly<Record<string, A2AVersion>> = { '0.3': '0.3.0', '1.0': '1.0' };

/**
 * Reads an A2A version as A2A §3.6 defines it (the `A2A-Version` header or query parameter):
 * `undefined` = the client named none; an empty value means 0.3; matching is on Major.Minor and
 * the patch is ignored (`1.0.5` is 1.0, `0.3.1` is 0.3). Anything else is unsupported.
 */
export function parseA2AVersion(raw: string | undefined): A2AVersionRequest {
  if (raw === undefined) return { ok: true, version: undefined };
  const value = raw.trim();
  if (value === '') return { ok: true, version: '0.3.0' };
  const match = VERSION.exec(value);
  const key = match ? `${Number(match[1])}.${Number(match[2])}` : undefined;
  const version = key !== undefined && Object.hasOwn(BY_MAJOR_MINOR, key) ? BY_MAJOR_MINOR[key] : undefined;
  if (version !== undefined) return { ok: true, version };
  return {
    ok: false,
    reason: match
      ? `A2A version ${key} is not supported: supported are 0.3 and 1.0 (the patch part is ignored)`
      : 'must be an A2A version as Major.Minor (e.g. 1.0 or 0.3), optionally with a patch part',
  };
}

/** A decimal number as parseA2AVersion reads it (`Number`, up to 9 digits, leading zeros allowed). */
const numberPattern = (value: string): string =>
  value === '0' ? '0{1,9}' : `0{0,${9 - value.length}}${value}`;

/**
 * A JSON Schema (ECMA-262) `pattern` matching exactly the values {@link parseA2AVersion} accepts as
 * a supported version (surrounding spaces and the empty value included): the OpenAPI document's.
 */
export const A2A_VERSION_PATTERN = `^\\s*(?:(?:${Object.keys(BY_MAJOR_MINOR)
  .map((key) => key.split('.').map(numberPattern).join('\\.'))
  .join('|')})(?:\\.\\d{1,9})?)?\\s*$`;
