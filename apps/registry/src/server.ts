import type { AddressInfo } from 'node:net';
import {
  createServer,
  type RequestListener,
  type Server,
  type ServerOptions as HttpServerOptions,
} from 'node:http';
import { serve } from '@hono/node-server';
// Types only: @kubernetes/client-node, the Kubernetes store and auth are loaded on demand (tens of MB of RSS
// an embedded registry does not need).
import type { KubeConfig } from '@kubernetes/client-node';
import type { Hono } from 'hono';
import { createApp, type AppOptions } from './app.js';
import { createTokenFileAuthenticator } from './auth/tokenFile.js';
import { noAuth, type Authenticator, type AuthMode } from './auth/types.js';
import { DEFAULT_MANIFESTS_DIR, type StoreKind } from './config.js';
import { clientAddressResolver } from './http/clientAddress.js';
import type { AppEnv } from './http/env.js';
import { createFastPath, type FastPath } from './http/fastPath.js';
import { TokenBuckets } from './http/middleware/rateLimit.js';
import { status, type StatusReason } from './http/status.js';
import { createLogger, type Logger, type LogLevel } from './logger.js';
import { createMetrics } from './metrics.js';
import { EmbeddedStore } from './store/embeddedStore.js';
import type { CardStore } from './store/types.js';

export interface ServerOptions extends Omit<
  AppOptions,
  'shutdownSignal' | 'store' | 'logger' | 'authenticator'
> {
  /** A ready store, or which one to create and start: `embedded` (default) or `kubernetes`. */
  store?: CardStore | StoreKind;
  /** Embedded store: the manifests directory (default the repo's examples/). */
  manifests?: string;
  /** Kubernetes store/auth: a kubeconfig path or object (default: KUBECONFIG, in-cluster, ~/.kube/config). */
  kubeconfig?: string | KubeConfig;
  /** Kubernetes store: namespaces to watch (default all). */
  namespaces?: string[];
  logger?: Logger;
  /** Used when no logger is given. Default info. */
  logLevel?: LogLevel;
  /** An authenticator, or the mode to build one for. Default none. */
  authenticator?: Authenticator;
  auth?: AuthMode;
  tokensFile?: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8084; 0 picks a free port. */
  port?: number;
  /** Largest request header block in bytes (431 beyond it). Default 16 KiB. */
  maxHeaderBytes?: number;
  /** How long close() waits for in-flight requests before cutting connections. Default 5 s. */
  shutdownGraceMs?: number;
  /**
   * Serve the single-card A2A reads on node:http below Hono when the response cannot differ
   * (see http/fastPath.ts). Default true; false sends everything through Hono (parity tests).
   */
  fastPath?: boolean;
}

export interface RunningServer {
  /** `http://host:port` */
  url: string;
  port: number;
  app: Hono<AppEnv>;
  server: Server;
  store: CardStore;
  /**
   * Stops accepting, ends watch streams and MCP sessions, waits for in-flight requests, then stops
   * the store and authenticator it created. Idempotent.
   */
  close(): Promise<void>;
}

async function kubeConfigOf(kubeconfig: string | KubeConfig | undefined): Promise<KubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  if (kubeconfig instanceof KubeConfig) return kubeconfig;
  const config = new KubeConfig();
  if (kubeconfig) config.loadFromFile(kubeconfig);
  else config.loadFromDefault();
  return config;
}

async function authenticatorOf(
  options: ServerOptions,
  logger: Logger,
  kube: () => Promise<KubeConfig>,
): Promise<Authenticator> {
  if (options.authenticator) return options.authenticator;
  switch (options.auth ?? 'none') {
    case 'none':
      return noAuth;
    case 'token':
      if (!options.tokensFile) throw new Error('auth "token" needs tokensFile');
      return createTokenFileAuthenticator(options.tokensFile, { logger });
    case 'kubernetes': {
      const { createKubernetesAuthenticator } = await import('./auth/kubernetesAuth.js');
      return createKubernetesAuthenticator({ kubeConfig: await kube(), logger });
    }
  }
}

/** Starts the registry's HTTP server (and, unless given a store instance, its store). */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(options.logLevel ?? 'info');
  let kubeConfig: Promise<KubeConfig> | undefined;
  const kube = (): Promise<KubeConfig> => (kubeConfig ??= kubeConfigOf(options.kubeconfig));
  const ownsStore = typeof options.store !== 'object';
  const store: CardStore =
    typeof options.store === 'object'
      ? options.store
      : options.store === 'kubernetes'
        ? await kubernetesStore(await kube(), options.namespaces, logger)
        : new EmbeddedStore({ directory: options.manifests ?? DEFAULT_MANIFESTS_DIR, logger });
  const authenticator = await authenticatorOf(options, logger, kube);
  const ownsAuthenticator = options.authenticator === undefined;
  const cleanup = async (): Promise<void> => {
    if (ownsStore) await store.stop();
    if (ownsAuthenticator) await authenticator.close();
  };

  const shutdown = new AbortController();
  let server: Server;
  let app: Hono<AppEnv>;
  try {
    if (ownsStore) await store.start();
    // Made here so the fast path counts its requests in the same metrics the app serves.
    const metrics = options.metrics ?? createMetrics(store);
    // One per-address budget for Hono's limiter and the fast path.
    const ratePerSecond = options.rateLimit ?? 50;
    const addressBuckets =
      ratePerSecond > 0 ? new TokenBuckets({ ratePerSecond, burst: options.rateBurst ?? 100 }) : undefined;
    app = createApp({
      ...options,
      store,
      logger,
      metrics,
      authenticator,
      addressBuckets,
      shutdownSignal: shutdown.signal,
    });
    const fastPath =
      options.fastPath === false
        ? undefined
        : createFastPath({
            store,
            logger,
            metrics,
            authMode: authenticator.mode,
            anonymousOnly: authenticator === noAuth,
            corsOrigins: options.corsOrigins,
            addressBuckets,
            cacheMaxAge: options.cacheMaxAge ?? 60,
            publicUrl: options.publicUrl,
            maxUrlBytes: options.maxUrlBytes ?? 8192,
            clientAddress: clientAddressResolver(options.trustedProxies),
            hostname: options.host ?? '127.0.0.1',
          });
    server = await listen(app, options, fastPath);
  } catch (error) {
    await cleanup();
    throw error;
  }

  const address = server.address() as AddressInfo;
  const displayHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${displayHost}:${address.port}`,
    port: address.port,
    app,
    server,
    store,
    close() {
      closing ??= new Promise<void>((resolve) => {
        shutdown.abort();
        const force = setTimeout(() => server.closeAllConnections(), options.shutdownGraceMs ?? 5_000);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }).then(cleanup);
      return closing;
    },
  };
}

async function kubernetesStore(
  kubeConfig: KubeConfig,
  namespaces: string[] | undefined,
  logger: Logger,
): Promise<CardStore> {
  const { KubernetesStore } = await import('./store/kubernetesStore.js');
  return new KubernetesStore({ kubeConfig, namespaces, logger });
}

/** node:http's createServer with `fastPath` offered each request before @hono/node-server's listener. */
function withFastPath(fastPath: FastPath): typeof createServer {
  return ((serverOptions: HttpServerOptions, listener: RequestListener) =>
    createServer(serverOptions, (request, response) => {
      if (!fastPath.handle(request, response)) void listener(request, response);
    })) as typeof createServer;
}

async function listen(
  app: Hono<AppEnv>,
  options: ServerOptions,
  fastPath: FastPath | undefined,
): Promise<Server> {
  const server = await new Promise<Server>((resolve, reject) => {
    const created = serve({
      fetch: app.fetch,
      hostname: options.host ?? '127.0.0.1',
      port: options.port ?? 8084,
      serverOptions: { maxHeaderSize: options.maxHeaderBytes ?? 16 * 1024 },
      // The fast path sees each request first; what it declines goes to Hono untouched.
      createServer: fastPath ? withFastPath(fastPath) : createServer,
    }) as Server;
    created.once('listening', () => resolve(created));
    created.once('error', reject);
  });
  // Slow-loris protection: the header block within 10 s. Handlers have their own timeout; SSE streams none.
  server.headersTimeout = 10_000;
  server.requestTimeout = 0;
  server.keepAliveTimeout = 5_000;
  // Malformed requests never reach Hono: answer them with a Status body too.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const [code, text, reason, message]: [number, string, StatusReason, string] = tooLarge
      ? [431, 'Request Header Fields Too Large', 'RequestEntityTooLarge', 'the request headers are too large']
      : [400, 'Bad Request', 'BadRequest', 'malformed HTTP request'];
    const body = JSON.stringify(status(code, reason, message));
    socket.end(
      `HTTP/1.1 ${code} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}
