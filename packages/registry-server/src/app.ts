import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { timeout } from 'hono/timeout';
import { A2ARenderer } from './a2aRenderer.js';
import { noAuth, type Authenticator } from './auth/types.js';
import { API_BASE, type AppEnv } from './http/env.js';
import { McpMount } from './http/mcpMount.js';
import { authenticate } from './http/middleware/authenticate.js';
import { observe } from './http/middleware/observe.js';
import { clientAddressResolver, trustedProxyMatcher } from './http/clientAddress.js';
import { clientIdentity } from './http/clientIdentity.js';
import { baseUrlResolver, RELATIVE_BASE } from './http/origin.js';
import { problemRoutes } from './http/routes/problems.js';
import { WatchLimits } from './http/watchLimits.js';
import { rateLimitByAddress, rateLimitByPrincipal, type TokenBuckets } from './http/middleware/rateLimit.js';
import { requestLimits } from './http/middleware/requestLimits.js';
import type { RouteContext } from './http/routeContext.js';
import { cardRoutes } from './http/routes/cards.js';
import { openApiRoute, systemRoutes } from './http/routes/system.js';
import { wellKnownRoutes } from './http/routes/wellKnown.js';
import { jwksRoutes, type CardSigning } from './http/signing.js';
import { aiCatalogRoutes } from './http/routes/aiCatalog.js';
import { healthRoutes } from './http/routes/health.js';
import { status, StatusError, statusResponse } from './http/status.js';
import { silentLogger, type Logger } from './logger.js';
import { createMetrics, type RegistryMetrics } from './metrics.js';
import { QueryError, type CardStore } from './store/types.js';
import { catalogRoutes } from './ui/index.js';

export interface AppOptions {
  store: CardStore;
  logger?: Logger;
  /** Defaults to a fresh prom-client Registry with default process metrics. */
  metrics?: RegistryMetrics;
  authenticator?: Authenticator;
  /** Allowed CORS origins; empty = CORS off. `*` allows any origin. */
  corsOrigins?: readonly string[];
  /** Requests per second per client (0 = no limit). Default 50. */
  rateLimit?: number;
  /** Token bucket size. Default 100. */
  rateBurst?: number;
  /** The per-address token buckets, when the caller shares them (the fast path); else made here. */
  addressBuckets?: TokenBuckets;
  /**
   * IPs/CIDRs of reverse proxies whose `X-Forwarded-For` is believed: a request from one is attributed
   * to the rightmost untrusted hop. Default none (the TCP peer is the client).
   */
  trustedProxies?: readonly string[];
  /** Longest life of a watch stream, ms (up to 10 % less, jittered); 0 = unlimited. Default 30 min. */
  watchMaxDurationMs?: number;
  /** With auth on, `/metrics` needs a valid token too. Default false (public). */
  metricsAuth?: boolean;
  /** `Cache-Control: max-age` of cards, seconds. Default 60. */
  cacheMaxAge?: number;
  /** Handler time budget, ms. Default 10 000. */
  requestTimeoutMs?: number;
  /**
   * Base URL used in emitted cards and links. Else a Host on `allowedHosts`; else relative URLs
   * (never the request's own Host or target, which a client chooses).
   */
  publicUrl?: string;
  /** Host values (`name` or `name:port`) cards may take their URL from when `publicUrl` is unset. */
  allowedHosts?: readonly string[];
  /**
   * Serve `GET /api/v1alpha1/registry/problems` with `--auth=none` (everyone would see every file's
   * problems). With auth on it is always served, filtered by visibility. Default false.
   */
  exposeProblems?: boolean;
  /** Open watch streams per client (address, or principal with auth). Default 10. */
  maxWatchesPerClient?: number;
  /** Open watch streams in total. Default 1000. */
  maxWatches?: number;
  /** MCP sessions per client (address, or principal with auth). Default 10. */
  maxMcpSessionsPerClient?: number;
  /** Longest request target in bytes. Default 8 KiB. */
  maxUrlBytes?: number;
  /** Largest /mcp request body. Default 1 MiB. */
  maxBodyBytes?: number;
  /** SSE heartbeat comment interval. Default 15 s. */
  heartbeatMs?: number;
  /** Mount /mcp (MCP Streamable HTTP). Default true. */
  mcp?: boolean;
  /** Aborting it closes watch streams and MCP sessions (graceful shutdown). */
  shutdownSignal?: AbortSignal;
  /** Serve the web catalog at `/`. Default true. */
  ui?: boolean;
  /** The registry's card signing (see http/signing.ts): served A2A cards carry its signatures. */
  signing?: CardSigning;
  /** The card renderer, to share its cache with the fast path; default: one of the app's own. */
  renderer?: A2ARenderer;
}

/** The registry as a Hono app (no listening): middleware, API routes, well-known cards, MCP, probes. */
export function createApp(options: AppOptions): Hono<AppEnv> {
  const logger = options.logger ?? silentLogger;
  const metrics = options.metrics ?? createMetrics(options.store);
  const authenticator = options.authenticator ?? noAuth;
  const shutdown = options.shutdownSignal ?? new AbortController().signal;
  const route: RouteContext = {
    store: options.store,
    renderer: options.renderer ?? new A2ARenderer(undefined, options.signing?.signBody),
    logger,
    authMode: authenticator.mode,
    cacheMaxAge: options.cacheMaxAge ?? 60,
    publicUrl: options.publicUrl?.replace(/\/+$/, ''),
    baseUrlOf: baseUrlResolver({
      publicUrl: options.publicUrl,
      allowedHosts: options.allowedHosts,
      isTrustedProxy: trustedProxyMatcher(options.trustedProxies),
    }),
    heartbeatMs: options.heartbeatMs ?? 15_000,
    watchMaxDurationMs: options.watchMaxDurationMs ?? 30 * 60_000,
    shutdown,
  };

  const app = new Hono<AppEnv>();
  app.onError((error, c) => {
    if (error instanceof StatusError) return statusResponse(error.body, error.headers);
    if (error instanceof QueryError) {
      return statusResponse(
        status(400, 'BadRequest', error.message, {
          causes: [{ field: error.field, message: error.message }],
        }),
      );
    }
    if (error instanceof HTTPException) {
      const code = error.status;
      const reason =
        code === 504
          ? 'Timeout'
          : code === 413
            ? 'RequestEntityTooLarge'
            : code < 500
              ? 'BadRequest'
              : 'InternalError';
      return statusResponse(status(code, reason, error.message || 'request failed'));
    }
    logger.error('unhandled error', {
      error,
      path: c.req.path.slice(0, 1024),
      requestId: c.get('requestId'),
    });
    return statusResponse(status(500, 'InternalError', 'an internal error occurred; see the registry logs'));
  });
  app.notFound((c) =>
    statusResponse(
      status(
        404,
        'NotFound',
        `the server could not find the requested resource (${c.req.method} ${c.req.path.slice(0, 256)})`,
      ),
    ),
  );

  const clientAddress = clientAddressResolver(options.trustedProxies);
  const protectMetrics = options.metricsAuth === true && authenticator.mode !== 'none';
  app.use('*', observe(logger, metrics, clientAddress));
  app.use(
    '*',
    requestLimits({
      maxUrlBytes: options.maxUrlBytes ?? 8192,
      maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    }),
  );
  if (options.corsOrigins && options.corsOrigins.length > 0) {
    const origins = [...options.corsOrigins];
    app.use(
      '*',
      cors({
        origin: origins.includes('*') ? '*' : origins,
        allowMethods: ['GET', 'HEAD', 'OPTIONS', 'POST', 'DELETE'],
        allowHeaders: [
          'Authorization',
          'A2A-Version',
          'If-None-Match',
          'Last-Event-ID',
          'Content-Type',
          'Mcp-Session-Id',
          'Mcp-Protocol-Version',
        ],
        exposeHeaders: ['ETag', 'A2A-Version', 'Retry-After', 'Mcp-Session-Id'],
        maxAge: 600,
      }),
    );
  }
  const ratePerSecond = options.rateLimit ?? 50;
  const rate = { ratePerSecond, burst: options.rateBurst ?? 100 };
  // By address before authentication (bogus tokens cost nothing but their address's budget)...
  if (ratePerSecond > 0) {
    app.use(
      '*',
      rateLimitByAddress({
        ...rate,
        clientAddress,
        exemptMetrics: !protectMetrics,
        buckets: options.addressBuckets,
      }),
    );
  }
  // The time budget costs a timer per request: it guards what can wait on I/O — Kubernetes
  // authentication anywhere, else MCP and list/watch — not the in-memory single-card reads.
  const budget = timeout(
    options.requestTimeoutMs ?? 10_000,
    () => new HTTPException(504, { message: 'the request took too long' }),
  );
  for (const path of authenticator.mode === 'kubernetes' ? ['*'] : [`${API_BASE}/cards`, '/mcp']) {
    app.use(path, budget);
  }
  app.use('*', authenticate(authenticator, { protectMetrics }));
  // ...and by principal after it, so one token spread over many addresses has one budget.
  if (ratePerSecond > 0 && authenticator.mode !== 'none') app.use('*', rateLimitByPrincipal(rate));
  const authenticated = authenticator.mode !== 'none';
  const watchLimits = new WatchLimits({
    perClient: options.maxWatchesPerClient ?? 10,
    total: options.maxWatches ?? 1000,
  });
  app.use(`${API_BASE}/cards`, async (c, next) => {
    const watch = c.req.query('watch');
    if (c.req.method !== 'GET' || (watch !== 'true' && watch !== '1')) return next();
    const release = watchLimits.acquire(clientIdentity(c, authenticated, clientAddress));
    // Released when the response ends or the connection closes (or at once when no stream was made).
    const outgoing = c.env?.outgoing;
    if (outgoing) outgoing.once('close', release);
    else c.req.raw.signal.addEventListener('abort', release, { once: true });
    try {
      await next();
    } catch (error) {
      release();
      throw error;
    }
    if (!c.res.headers.get('content-type')?.startsWith('text/event-stream')) release();
  });

  app.route('/', cardRoutes(route));
  app.route('/', wellKnownRoutes(route));
  if (options.signing) app.route('/', jwksRoutes(options.signing));
  app.route('/', aiCatalogRoutes(route));
  app.route('/', healthRoutes(route));
  app.route('/', systemRoutes(route, metrics));
  app.route('/', problemRoutes(route, { enabled: authenticated || options.exposeProblems === true }));
  app.get('/openapi.json', openApiRoute(app, { authMode: authenticator.mode, metricsAuth: protectMetrics }));
  app.get(API_BASE, (c) =>
    c.json({
      apiVersion: 'v1',
      kind: 'APIResourceList',
      groupVersion: 'kagent.dev/v1alpha1',
      resources: [{ name: 'cards', kind: 'AgentCardList', verbs: ['list', 'get', 'watch'] }],
    }),
  );

  if (options.mcp !== false) {
    const mcp = new McpMount(options.store, {
      publicUrl: route.publicUrl,
      publicUrlFor: (request) => {
        const base = route.baseUrlOf?.({
          header: (name) => request.headers.get(name) ?? undefined,
          remoteAddress: () => undefined,
        });
        return base === undefined || base === RELATIVE_BASE ? undefined : base;
      },
      perPrincipal: authenticator.mode !== 'none',
      maxSessionsPerClient: options.maxMcpSessionsPerClient ?? 10,
      renderCard: (card, version, publicUrl) => {
        const rendered = route.renderer.render(card, version, publicUrl ?? RELATIVE_BASE);
        return {
          card: JSON.parse(rendered.body) as Record<string, unknown>,
          a2aVersion: rendered.version,
          warnings: rendered.warnings,
        };
      },
    });
    // A tokens-file reload may change what a principal sees: cached MCP servers would not know.
    const stopWatchingPrincipals = authenticator.onChange?.(() => void mcp.invalidate());
    shutdown.addEventListener(
      'abort',
      () => {
        stopWatchingPrincipals?.();
        void mcp.close();
      },
      { once: true },
    );
    // OPTIONS and HEAD as the README lists them: what /mcp takes, without touching a session.
    const mcpAllow = { allow: 'GET, HEAD, OPTIONS, POST, DELETE', 'cache-control': 'no-store' };
    app.options('/mcp', (c) => c.body(null, 204, mcpAllow));
    app.all('/mcp', (c) =>
      // Hono routes HEAD as GET: answered here, not by the MCP transport (which would open a stream).
      c.req.method === 'HEAD'
        ? c.body(null, 200, mcpAllow)
        : mcp.handle(c.req.raw, c.get('principal'), clientIdentity(c, authenticated, clientAddress)),
    );
  }
  if (options.ui !== false) app.route('/', catalogRoutes() as unknown as Hono<AppEnv>);

  // Preflight-less OPTIONS: say what is allowed.
  app.options('*', (c) =>
    c.body(null, 204, {
      allow: c.req.path === '/mcp' ? 'GET, HEAD, OPTIONS, POST, DELETE' : 'GET, HEAD, OPTIONS',
    }),
  );
  return app;
}
