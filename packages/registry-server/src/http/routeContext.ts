import type { AgentCard } from '@agent-registry/crds';
import type { Context } from 'hono';
import type { A2ARenderer } from '../a2aRenderer.js';
import type { AuthMode } from '../auth/types.js';
import type { Logger } from '../logger.js';
import type { CardStore } from '../store/types.js';
import type { AppEnv } from './env.js';
import { RELATIVE_BASE, type BaseUrlRequest } from './origin.js';
import { notFound } from './status.js';

/** What the route modules share. */
export interface RouteContext {
  store: CardStore;
  renderer: A2ARenderer;
  logger: Logger;
  authMode: AuthMode;
  /** `Cache-Control: max-age` of cards, in seconds. */
  cacheMaxAge: number;
  publicUrl: string | undefined;
  /** The base URL of cards and links for a request (see origin.ts: never from the request target). */
  baseUrlOf?: (request: BaseUrlRequest) => string;
  heartbeatMs: number;
  /** Longest life of a watch stream (jittered); 0 or absent = unlimited (createApp sets 30 min). */
  watchMaxDurationMs?: number;
  /** Aborted on shutdown: closes watch streams. */
  shutdown: AbortSignal;
}

/**
 * The registry's public base URL for this request: `--public-url`, else an allowed Host, else
 * {@link RELATIVE_BASE} (rendered as relative URLs). Never the request target's own origin.
 */
export function publicBaseOf(route: RouteContext, c: Context<AppEnv>): string {
  if (route.publicUrl) return route.publicUrl;
  if (!route.baseUrlOf) return RELATIVE_BASE;
  // Read on demand: the default resolver (no allowed hosts) reads nothing.
  return route.baseUrlOf({
    header: (name) => c.req.header(name),
    remoteAddress: () => c.env?.incoming?.socket?.remoteAddress,
  });
}

/** The card if it exists AND the caller may see it; 404 otherwise (never 403, which would disclose it). */
export async function visibleCard(
  route: RouteContext,
  c: Context<AppEnv>,
  namespace: string,
  name: string,
): Promise<AgentCard> {
  const card = route.store.get(namespace, name);
  if (!card || !(await c.get('principal').canRead(namespace, 'get'))) {
    throw notFound(`agentcards.kagent.dev "${name}" not found in namespace "${namespace}"`, {
      name,
      kind: 'agentcards',
    });
  }
  return card;
}

/** The caching headers that depend only on the route context, made once per context. */
const fixedCacheHeaders = new WeakMap<RouteContext, { cacheControl: string; vary: string }>();

/** Caching headers: public when anyone may read, private when what you see depends on your token. */
export function cacheHeaders(route: RouteContext, etag: string): Record<string, string> {
  let fixed = fixedCacheHeaders.get(route);
  if (!fixed) {
    const scope = route.authMode === 'none' ? 'public' : 'private';
    fixed = {
      cacheControl: `${scope}, max-age=${route.cacheMaxAge}`,
      vary: route.authMode === 'none' ? 'Accept, A2A-Version' : 'Accept, A2A-Version, Authorization',
    };
    fixedCacheHeaders.set(route, fixed);
  }
  return { etag, 'cache-control': fixed.cacheControl, vary: fixed.vary };
}

/** RFC 9110 If-None-Match (strong or weak comparison both allowed for GET). */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = etag.replace(/^W\//, '');
  return header
    .split(',')
    .slice(0, 64)
    .some((candidate) => {
      const value = candidate.trim();
      return value === '*' || value.replace(/^W\//, '') === bare;
    });
}

/**
 * RFC 9110 §13.2.2 for GET/HEAD: If-None-Match decides when present; else If-Modified-Since does
 * (a valid HTTP date no earlier than `lastModified`, itself an HTTP date, when there is one).
 */
export function isNotModified(
  ifNoneMatch: string | undefined,
  ifModifiedSince: string | undefined,
  etag: string,
  lastModified: string | undefined,
): boolean {
  if (ifNoneMatch) return matchesIfNoneMatch(ifNoneMatch, etag);
  if (!ifModifiedSince || lastModified === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return Number.isFinite(since) && Date.parse(lastModified) <= since;
}

/**
 * A JSON body with validators and caching, or 304 when the client already has it (ETag, and
 * `last-modified` when `extraHeaders` carries one). Every header is given here, as a plain object:
 * touching `response.headers` later would make @hono/node-server build a real `Headers` and leave
 * its fast path.
 */
export function cachedJson(
  route: RouteContext,
  c: Context<AppEnv>,
  body: string,
  etag: string,
  extraHeaders: Record<string, string> = {},
  contentType = 'application/json',
): Response {
  const headers = cacheHeaders(route, etag);
  for (const name in extraHeaders) headers[name] = extraHeaders[name]!;
  const ifNoneMatch = c.req.header('if-none-match');
  const lastModified = headers['last-modified'];
  // If-Modified-Since is read only when it can decide: no If-None-Match, and a date to compare with.
  const ifModifiedSince =
    ifNoneMatch || lastModified === undefined ? undefined : c.req.header('if-modified-since');
  if (isNotModified(ifNoneMatch, ifModifiedSince, etag, lastModified)) {
    return new Response(null, { status: 304, headers });
  }
  headers['content-type'] = `${contentType}; charset=utf-8`;
  return new Response(c.req.method === 'HEAD' ? null : body, { status: 200, headers });
}
