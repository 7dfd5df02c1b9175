import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { status, StatusError } from '../status.js';

export interface RateLimitOptions {
  /** Sustained requests per second per client. */
  ratePerSecond: number;
  /** Bucket size: requests allowed in a burst. */
  burst: number;
  /** Most clients tracked; the least recently seen is forgotten first. */
  maxClients?: number;
}

interface Bucket {
  tokens: number;
  updated: number;
}

/** The bearer token's digest when there is one (a shared NAT must not share a budget), else the remote address. */
export function clientKeyOf(authorization: string | undefined, remoteAddress: string | undefined): string {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (token) return `token:${createHash('sha256').update(token).digest('base64url').slice(0, 16)}`;
  return `ip:${remoteAddress ?? 'unknown'}`;
}

/** The request's client key, made on first use: only rate limiting and the request log need it. */
export function requestClientKey(c: Context<AppEnv>): string {
  let key = c.get('clientKey') as string | undefined;
  if (key === undefined) {
    key = clientKeyOf(c.req.header('authorization'), c.env?.incoming?.socket?.remoteAddress);
    c.set('clientKey', key);
  }
  return key;
}

/** Token-bucket rate limit per client; 429 Status with Retry-After. Probes and metrics are exempt. */
export function rateLimit({
  ratePerSecond,
  burst,
  maxClients = 100_000,
}: RateLimitOptions): MiddlewareHandler<AppEnv> {
  const buckets = new Map<string, Bucket>();
  return async (c, next) => {
    if (ratePerSecond <= 0 || isProbe(c.req.path)) return next();
    const key = requestClientKey(c);
    const now = performance.now();
    let bucket = buckets.get(key);
    if (bucket) {
      buckets.delete(key); // Re-inserted below: Map order = recency.
      bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.updated) / 1000) * ratePerSecond);
      bucket.updated = now;
    } else {
      bucket = { tokens: burst, updated: now };
      if (buckets.size >= maxClients) buckets.delete(buckets.keys().next().value as string);
    }
    buckets.set(key, bucket);
    if (bucket.tokens < 1) {
      const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerSecond));
      throw new StatusError(
        status(
          429,
          'TooManyRequests',
          `rate limit exceeded (${ratePerSecond}/s, burst ${burst}); retry after ${retryAfter}s`,
        ),
        { 'retry-after': String(retryAfter) },
      );
    }
    bucket.tokens -= 1;
    await next();
  };
}

const isProbe = (path: string): boolean => path === '/healthz' || path === '/readyz' || path === '/metrics';
