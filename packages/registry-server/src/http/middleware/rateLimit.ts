import type { Context, MiddlewareHandler } from 'hono';
import { clientAddressResolver, type ClientAddressResolver } from '../clientAddress.js';
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

/** Token buckets by key: `take` spends one token, or says how many seconds until one is there. */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  readonly ratePerSecond: number;
  readonly burst: number;
  private readonly maxClients: number;

  constructor({ ratePerSecond, burst, maxClients = 100_000 }: RateLimitOptions) {
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.maxClients = maxClients;
  }

  /** `undefined` when the request may go ahead, else the Retry-After in seconds. */
  take(key: string): number | undefined {
    const now = performance.now();
    let bucket = this.buckets.get(key);
    if (bucket) {
      this.buckets.delete(key); // Re-inserted below: Map order = recency.
      bucket.tokens = Math.min(
        this.burst,
        bucket.tokens + ((now - bucket.updated) / 1000) * this.ratePerSecond,
      );
      bucket.updated = now;
    } else {
      bucket = { tokens: this.burst, updated: now };
      if (this.buckets.size >= this.maxClients)
        this.buckets.delete(this.buckets.keys().next().value as string);
    }
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerSecond));
    bucket.tokens -= 1;
    return undefined;
  }

  /** The 429 for a request that found its bucket empty. */
  tooMany(retryAfter: number): StatusError {
    return new StatusError(
      status(
        429,
        'TooManyRequests',
        `rate limit exceeded (${this.ratePerSecond}/s, burst ${this.burst}); retry after ${retryAfter}s`,
      ),
      { 'retry-after': String(retryAfter) },
    );
  }
}

const untrusted = clientAddressResolver();

/**
 * The client key of a TCP peer (`ip:<address>`), as the request log shows it. The bearer token no
 * longer takes part (any made-up token would buy a fresh budget); the parameter stays for callers.
 */
export function clientKeyOf(_authorization: string | undefined, remoteAddress: string | undefined): string {
  return `ip:${untrusted(remoteAddress, undefined)}`;
}

/**
 * The request's client key (`ip:<address>`), made on first use: only rate limiting and the request log
 * need it. The rate limiter sets it first, with its trusted proxies applied.
 */
export function requestClientKey(c: Context<AppEnv>, resolve: ClientAddressResolver = untrusted): string {
  let key = c.get('clientKey') as string | undefined;
  if (key === undefined) {
    key = `ip:${resolve(c.env?.incoming?.socket?.remoteAddress, c.req.header('x-forwarded-for'))}`;
    c.set('clientKey', key);
  }
  return key;
}

/**
 * Token-bucket rate limit per client address, applied BEFORE authentication so that requests with made-up
 * bearer tokens cannot buy fresh budgets (nor make the registry ask the apiserver about each of them).
 * 429 Status with Retry-After. Probes are exempt, and `/metrics` while it is public.
 */
export function rateLimitByAddress(
  options: RateLimitOptions & {
    clientAddress?: ClientAddressResolver;
    exemptMetrics?: boolean;
    /** Buckets shared with the node-level fast path, so both spend one budget per client. */
    buckets?: TokenBuckets;
  },
): MiddlewareHandler<AppEnv> {
  const buckets = options.buckets ?? new TokenBuckets(options);
  const resolve = options.clientAddress ?? untrusted;
  const exemptMetrics = options.exemptMetrics ?? true;
  return async (c, next) => {
    const path = c.req.path;
    if (path === '/healthz' || path === '/readyz' || (exemptMetrics && path === '/metrics')) return next();
    const retryAfter = buckets.take(requestClientKey(c, resolve));
    if (retryAfter !== undefined) throw buckets.tooMany(retryAfter);
    await next();
  };
}

/**
 * The second limit, AFTER authentication: per principal, so one token spread over many addresses shares
 * one budget. Requests without a principal (public paths) were only limited by address.
 */
export function rateLimitByPrincipal(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  const buckets = new TokenBuckets(options);
  return async (c, next) => {
    const principal = c.get('principal') as AppEnv['Variables']['principal'] | undefined;
    if (principal) {
      const retryAfter = buckets.take(`principal:${principal.id}`);
      if (retryAfter !== undefined) throw buckets.tooMany(retryAfter);
    }
    await next();
  };
}
