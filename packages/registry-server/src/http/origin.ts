/** Origins by `scheme://authority` prefix: a handful of Host values in practice, bounded against spoofed ones. */
const origins = new Map<string, string>();
const MAX_ORIGINS = 256;
/** The last prefix seen and its origin: nearly every request repeats it. */
let lastPrefix = '';
let lastOrigin = '';

/**
 * `new URL(url).origin`, memoized by the URL's `scheme://authority` prefix: parsing a URL per request
 * is measurable on the hot GET routes, and the origin depends only on that prefix.
 */
export function originOf(url: string): string {
  if (lastPrefix !== '' && url.startsWith(lastPrefix) && url.charCodeAt(lastPrefix.length) === 47) {
    return lastOrigin;
  }
  const authorityStart = url.indexOf('//') + 2;
  const pathStart = url.indexOf('/', authorityStart);
  const prefix = pathStart === -1 ? url : url.slice(0, pathStart);
  let origin = origins.get(prefix);
  if (origin === undefined) {
    origin = new URL(url).origin;
    if (origins.size >= MAX_ORIGINS) origins.clear();
    origins.set(prefix, origin);
  }
  if (pathStart !== -1) {
    lastPrefix = prefix;
    lastOrigin = origin;
  }
  return origin;
}

/**
 * The base URL decided when no public origin is trusted: a reserved name (RFC 6761 `.invalid`) that
 * no request can choose; the card view then gives relative URLs (`/agents/{ns}/{name}`).
 */
export const RELATIVE_BASE = 'http://agent-registry.invalid';

/**
 * What the base URL of a request may be decided from, read on demand: with `--public-url` or no
 * `--allowed-hosts` (the default) nothing is read, so a hot route does not pay for header lookups and
 * the peer address it would not use.
 */
export interface BaseUrlRequest {
  /** A request header: `host`, `x-forwarded-host` or `x-forwarded-proto`. */
  header(name: BaseUrlHeader): string | undefined;
  /** The TCP peer's address. */
  remoteAddress(): string | undefined;
}

export type BaseUrlHeader = 'host' | 'x-forwarded-host' | 'x-forwarded-proto';

export interface BaseUrlOptions {
  /** `--public-url`: always wins. */
  publicUrl?: string | undefined;
  /** `--allowed-hosts`: Host values (`name` or `name:port`, case-insensitive) a URL may be built from. */
  allowedHosts?: readonly string[];
  /** Proxies whose X-Forwarded-Host/-Proto are believed (their Host is, by definition, theirs). */
  isTrustedProxy?: (address: string) => boolean;
}

const HOST = /^[a-z0-9.-]{1,253}(?::\d{1,5})?$|^\[[0-9a-f:.]{2,45}\](?::\d{1,5})?$/;

/**
 * Decides the base URL of the cards and links a response carries: `--public-url` when set; else a Host
 * on `--allowed-hosts` (X-Forwarded-Host/-Proto only from a trusted proxy); else {@link RELATIVE_BASE}.
 * The request target is never used: an absolute-form target (`GET http://evil.example/...`) or a
 * spoofed Host cannot put a foreign origin in a card that caches may keep.
 */
export function baseUrlResolver(options: BaseUrlOptions): (request: BaseUrlRequest) => string {
  const publicUrl = options.publicUrl?.replace(/\/+$/, '');
  if (publicUrl) return () => publicUrl;
  const allowed = new Set((options.allowedHosts ?? []).map((host) => host.toLowerCase()));
  if (allowed.size === 0) return () => RELATIVE_BASE;
  const isAllowed = (host: string): boolean =>
    HOST.test(host) && (allowed.has(host) || allowed.has(host.replace(/:\d+$/, '')));
  const isTrustedProxy = options.isTrustedProxy;
  return (request) => {
    // The peer is asked for only when a proxy could be trusted.
    const remoteAddress = isTrustedProxy === undefined ? undefined : request.remoteAddress();
    const viaProxy =
      remoteAddress !== undefined && isTrustedProxy !== undefined && isTrustedProxy(remoteAddress);
    const forwardedHost = viaProxy ? lastValue(request.header('x-forwarded-host')) : undefined;
    const host = (forwardedHost ?? request.header('host') ?? '').trim().toLowerCase();
    if (!isAllowed(host)) return RELATIVE_BASE;
    const proto = viaProxy ? lastValue(request.header('x-forwarded-proto'))?.toLowerCase() : undefined;
    return `${proto === 'https' ? 'https' : 'http'}://${host}`;
  };
}

const lastValue = (header: string | undefined): string | undefined => {
  if (header === undefined) return undefined;
  const values = header.split(',');
  const last = values[values.length - 1]?.trim();
  return last === '' ? undefined : last;
};
