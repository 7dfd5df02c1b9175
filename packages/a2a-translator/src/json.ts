/** Helpers for reading and building JSON values from untrusted input without prototype surprises. */

export type JsonObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads an own property only: `constructor` or `__proto__` never resolve through the prototype. */
export function getOwn(object: unknown, key: string): unknown {
  return isPlainObject(object) && Object.hasOwn(object, key) ? object[key] : undefined;
}

/** Sets an own, enumerable data property, so a key named `__proto__` stays data and never becomes a prototype. */
export function setOwn<T>(target: Record<string, T>, key: string, value: NoInfer<T>): void {
  // Only `__proto__` is special on assignment; defining every key would push objects into slow dictionary mode.
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * A deep copy of a JSON value made of own properties only. Non-JSON values
 * (functions, symbols, undefined) are dropped the way `JSON.stringify` drops them.
 */
export function cloneJson(value: unknown, depth = 0): unknown {
  if (depth > 64) return null; // hostile nesting: cut rather than recurse without bound
  if (Array.isArray(value)) return value.map((item) => cloneJson(item, depth + 1) ?? null);
  if (isPlainObject(value)) {
    const out: JsonObject = {};
    for (const key of Object.keys(value)) {
      const item = cloneJson(value[key], depth + 1);
      if (item !== undefined) setOwn(out, key, item);
    }
    return out;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
  return undefined;
}

/**
 * {@link cloneJson} of a value that is JSON data already (parsed from JSON text, or validated as a
 * card part): a copy of the same type.
 */
export const copyJson = <T>(value: T): T => cloneJson(value) as T;

/** `JSON.parse` that reports failure instead of throwing. Own `__proto__` keys stay data (JSON.parse semantics). */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
