import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { A2ARenderer, type RenderedA2ACard } from '../a2aRenderer.js';
import type { AuthMode } from '../auth/types.js';
import { isLogEnabled, type Logger } from '../logger.js';
import type { RegistryMetrics } from '../metrics.js';
import type { CardStore } from '../store/types.js';
import type { ClientAddressResolver } from './clientAddress.js';
import type { TokenBuckets } from './middleware/rateLimit.js';
import type { CardSigning } from './signing.js';
import { API_BASE } from './env.js';
import { negotiateA2AVersion } from './negotiation.js';
import { baseUrlResolver, type BaseUrlRequest } from './origin.js';
import { cacheHeaders, isNotModified, type RouteContext } from './routeContext.js';
import { a2aDocumentHeaders } from './routes/cards.js';

export interface FastPathOptions {
  store: CardStore;
  logger: Logger;
  metrics: RegistryMetrics;
  /** The fast path serves only `none`, with no per-request authenticator. */
  authMode: AuthMode;
  /** True when the authenticator is the stock `noAuth` (every caller the same anonymous principal). */
  anonymousOnly: boolean;
  corsOrigins?: readonly string[];
  /** The per-address token buckets Hono's limiter spends from too; undefined = no rate limit. */
  addressBuckets: TokenBuckets | undefined;
  cacheMaxAge: number;
  publicUrl: string | undefined;
  /** The app's base-URL decision (public URL, allowed hosts): the same cards as Hono renders. */
  baseUrlOf?: (request: BaseUrlRequest) => string;
  maxUrlBytes: number;
  /** The app's resolver (trusted proxies applied): the request log's `client`. */
  clientAddress: ClientAddressResolver;
  /** The listener's hostname: @hono/node-server's stand-in for a missing Host header. */
  hostname: string;
  /** The registry's card signing, as the app has it: the fast path serves the same signed bytes. */
  signing?: CardSigning;
  /** The app's renderer: one cache of rendered cards for Hono and the fast path. */
  renderer?: A2ARenderer;
}

export interface FastPath {
  /** Answers the request and returns true, or returns false having touched nothing (Hono answers it). */
  handle(request: IncomingMessage, response: ServerResponse): boolean;
}

// The route patterns Hono reports for these requests: metrics, spans and logs use the same labels.
const A2A_ROUTE = `${API_BASE}/cards/:namespace/:name/a2a`;
const WELL_KNOWN_ROUTE = '/agents/:namespace/:name/.well-known/agent-card.json';
const LEGACY_WELL_KNOWN_ROUTE = '/agents/:namespace/:name/.well-known/agent.json';

const CARD_PREFIX = `${API_BASE}/cards/`;
/** `/{namespace}/{name}` plus the document, with what validCardParams accepts (anything else → Hono). */
const A2A_PATH = /^([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)\/([a-z0-9.-]{1,253})\/a2a$/;
const AGENT_PATH =
  /^\/agents\/([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)\/([a-z0-9.-]{1,253})\/\.well-known\/agent(-card)?\.json$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** @hono/node-server builds `http://${host}${url}` without parsing only for such Host values. */
const SIMPLE_HOST = /^[a-z0-9._-]+(?::(?:[1-5]\d{3,4}|[6-9]\d{3}))?$/;
/** The only query string taken here: one A2A-Version (or its alias a2aVersion) with a plain value. */
const VERSION_QUERY = /^(A2A-Version|a2aVersion)=([0-9.]{0,8})$/;
const JSON_TYPE = 'application/json; charset=utf-8';
const SIMPLE_ACCEPT = new Set(['', '*/*', 'application/json', 'application/*']);

const tracer = trace.getTracer('@agent-registry/registry');

/**
 * The hottest reads — one card's A2A document at `/cards/{ns}/{name}/a2a` and the well-known
 * `agent-card.json` / `agent.json` — answered on node:http below Hono, byte for byte as the Hono
 * routes answer them (same headers, 304s, metrics, span and request log), for ~40 % less CPU per
 * request. It takes a request only when nothing can differ: auth `none` with the stock
 * authenticator, CORS off (a rate limit spends from the same per-address buckets as Hono's), GET/HEAD
 * without a body, a plain path and Host, at most one `?A2A-Version=…` (or `?a2aVersion=…`), a simple Accept, a known A2A
 * version and an existing card. Everything else — every error included — goes to Hono, so
 * validation and error bodies stay in one place.
 */
export function createFastPath(options: FastPathOptions): FastPath | undefined {
  if (options.authMode !== 'none' || !options.anonymousOnly || (options.corsOrigins?.length ?? 0) > 0) {
    return undefined;
  }
  const { store, logger, metrics, maxUrlBytes, hostname, clientAddress, addressBuckets } = options;
  const renderer = options.renderer ?? new A2ARenderer(undefined, options.signing?.signBody);
  const baseUrlOf = options.baseUrlOf ?? baseUrlResolver({ publicUrl: options.publicUrl });
  const route: RouteContext = {
    store,
    renderer,
    logger,
    authMode: 'none',
    cacheMaxAge: options.cacheMaxAge,
    publicUrl: options.publicUrl?.replace(/\/+$/, ''),
    heartbeatMs: 0,
    watchMaxDurationMs: 0,
    shutdown: new AbortController().signal,
  };

  const documentHeaders = (rendered: RenderedA2ACard): Record<string, string | number> =>
    Object.assign(cacheHeaders(route, rendered.etag), a2aDocumentHeaders(rendered));
  // A GET's header fields depend on the rendering alone: made once per rendering (node:http only reads them).
  const okHeaders = new WeakMap<RenderedA2ACard, Readonly<Record<string, string | number>>>();
  const okHeadersOf = (rendered: RenderedA2ACard): Readonly<Record<string, string | number>> => {
    let fields = okHeaders.get(rendered);
    if (!fields) {
      fields = Object.freeze({
        ...documentHeaders(rendered),
        'content-type': JSON_TYPE,
        'content-length': Buffer.byteLength(rendered.body),
      });
      okHeaders.set(rendered, fields);
    }
    return fields;
  };

  return {
    handle(request, response) {
      const method = request.method;
      if (method !== 'GET' && method !== 'HEAD') return false;
      const url = request.url ?? '';
      if (url.length > maxUrlBytes) return false;
      const headers = request.headers;
      if (headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined) return false;
      const accept = headers.accept;
      if (accept !== undefined && !SIMPLE_ACCEPT.has(accept)) return false;
      const host = headers.host || hostname;
      if (!SIMPLE_HOST.test(host)) return false;

      const queryStart = url.indexOf('?');
      const path = queryStart === -1 ? url : url.slice(0, queryStart);
      let query: string | undefined;
      let aliasQuery: string | undefined;
      if (queryStart !== -1) {
        const match = VERSION_QUERY.exec(url.slice(queryStart + 1));
        if (!match) return false;
        if (match[1] === 'a2aVersion') aliasQuery = match[2];
        else query = match[2];
      }
      let match: RegExpExecArray | null;
      let routePattern: string;
      if (path.startsWith(CARD_PREFIX) && (match = A2A_PATH.exec(path.slice(CARD_PREFIX.length)))) {
        routePattern = A2A_ROUTE;
      } else if ((match = AGENT_PATH.exec(path))) {
        routePattern = match[3] ? WELL_KNOWN_ROUTE : LEGACY_WELL_KNOWN_ROUTE;
      } else {
        return false;
      }
      const namespace = match[1]!;
      const name = match[2]!;
      if (!DNS_SUBDOMAIN.test(name)) return false;

      const started = performance.now();
      let version;
      try {
        version = negotiateA2AVersion({
          query,
          aliasQuery,
          header: headers['a2a-version'] as string | undefined,
        });
      } catch {
        return false; // 400: Hono words it.
      }
      const card = store.get(namespace, name);
      if (!card) return false; // 404: likewise.
      let rendered;
      try {
        const base = baseUrlOf({
          header: (name) => headers[name] as string | undefined,
          remoteAddress: () => request.socket.remoteAddress,
        });
        rendered = renderer.render(card, version, base);
      } catch {
        return false; // 500 with its log line: likewise.
      }
      // Spent only once the fast path answers; an empty bucket goes to Hono, which finds it empty
      // too (an empty bucket is not charged) and answers the 429.
      const client = `ip:${clientAddress(request.socket.remoteAddress, headers['x-forwarded-for'] as string | undefined)}`;
      if (addressBuckets && addressBuckets.take(client) !== undefined) return false;

      // The span observe() starts; annotated only when a tracer provider records it.
      const span = tracer.startSpan(`HTTP ${method}`);
      let code: number;
      if (
        isNotModified(
          headers['if-none-match'],
          headers['if-modified-since'],
          rendered.etag,
          rendered.lastModified,
        )
      ) {
        code = 304;
        response.writeHead(304, documentHeaders(rendered));
        response.end();
      } else {
        code = 200;
        if (method === 'HEAD') {
          response.writeHead(200, { ...documentHeaders(rendered), 'content-type': JSON_TYPE });
          response.end();
        } else {
          response.writeHead(200, okHeadersOf(rendered));
          response.end(rendered.body);
        }
      }

      const seconds = (performance.now() - started) / 1000;
      metrics.observeRequest(method, routePattern, code, seconds);
      if (span.isRecording()) {
        span.updateName(`HTTP ${method} ${routePattern}`);
        span.setAttributes({
          'http.request.method': method,
          'http.route': routePattern,
          'http.response.status_code': code,
          'url.path': path.slice(0, 1024),
        });
        if (code >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
      if (isLogEnabled(logger, 'info')) {
        const requestId = (headers['x-request-id'] as string | undefined)?.slice(0, 128) || randomUUID();
        logger.info('request', {
          requestId,
          method,
          route: routePattern,
          path: path.slice(0, 1024),
          status: code,
          durationMs: Math.round(seconds * 1e6) / 1e3,
          client,
        });
      }
      return true;
    },
  };
}
