import { readBoundedText } from '@agent-registry/crds';
import type { JWK } from 'jose';
import { publicJwk } from './publicJwk.js';

/** A `jku` that is not on an allowed origin, or whose JWK Set could not be read. */
export class JkuError extends Error {
  override name = 'JkuError';
}

export interface JkuKeysOptions {
  /** Origins (`https://keys.example.com`) whose JWK Sets are trusted; a `jku` elsewhere is never fetched. */
  allowedOrigins: readonly string[];
  /** Time limit of one fetch, body included. Default 3 s. */
  timeoutMs?: number;
  /** Largest JWK Set read, in bytes. Default 64 KiB. */
  maxBytes?: number;
  /** How long a fetched JWK Set is reused. Default 5 minutes. */
  cacheTtlMs?: number;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
}

const MAX_CACHED_SETS = 100;

/** The public keys of the JWK Set at an allowed `jku`; rejects with {@link JkuError}. */
export type JkuKeys = (jku: string) => Promise<JWK[]>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Fetches the JWK Set a signature's `jku` names, only from allow-listed origins, with a time limit,
 * a size bound, no redirects, and a cache. Private and symmetric members are dropped: only public
 * keys come back. Errors name the URL and the rule, never the response's content.
 */
export function jkuKeys(options: JkuKeysOptions): JkuKeys {
  const allowed = new Set(
    options.allowedOrigins.map((origin) => {
      try {
        return new URL(origin).origin;
      } catch {
        throw new JkuError(`${JSON.stringify(origin)} is not an origin such as https://keys.example.com`);
      }
    }),
  );
  const timeoutMs = options.timeoutMs ?? 3000;
  const maxBytes = options.maxBytes ?? 64 * 1024;
  const ttlMs = options.cacheTtlMs ?? 5 * 60_000;
  const fetchFn = options.fetch ?? fetch;
  const cache = new Map<string, { at: number; keys: Promise<JWK[]> }>();

  async function load(url: URL): Promise<JWK[]> {
    const where = `jku ${url.href}`;
    let response: Response;
    try {
      response = await fetchFn(url, {
        redirect: 'error',
        headers: { accept: 'application/jwk-set+json, application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const reason =
        (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'unreachable';
      throw new JkuError(`${where}: ${reason}`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new JkuError(`${where}: answered ${response.status}`);
    }
    let parsed: unknown;
    try {
      const text = await readBoundedText(response, maxBytes);
      if (text === undefined) throw new JkuError(`${where}: the JWK Set is larger than ${maxBytes} bytes`);
      parsed = JSON.parse(text);
    } catch (error) {
      if (error instanceof JkuError) throw error;
      throw new JkuError(`${where}: not JSON`);
    }
    if (!isObject(parsed) || !Array.isArray(parsed.keys))
      throw new JkuError(`${where}: not a JWK Set (no "keys" array)`);
    return parsed.keys.flatMap((key) => {
      const pub = isObject(key) && key.kty !== 'oct' ? publicJwk(key as JWK) : undefined;
      return pub ? [pub] : [];
    });
  }

  return (jku) => {
    let url: URL;
    try {
      url = new URL(jku);
    } catch {
      return Promise.reject(new JkuError(`jku ${JSON.stringify(jku)} is not a URL`));
    }
    if (!allowed.has(url.origin))
      return Promise.reject(new JkuError(`jku ${url.href}: the origin ${url.origin} is not allowed`));
    const known = cache.get(url.href);
    if (known && Date.now() - known.at < ttlMs) return known.keys;
    const keys = load(url);
    // Cards choose the path under an allowed origin: the cache stays small whatever they name.
    if (cache.size >= MAX_CACHED_SETS) cache.delete(cache.keys().next().value as string);
    cache.set(url.href, { at: Date.now(), keys });
    // A failure is not remembered: the next card tries again.
    keys.catch(() => {
      if (cache.get(url.href)?.keys === keys) cache.delete(url.href);
    });
    return keys;
  };
}
