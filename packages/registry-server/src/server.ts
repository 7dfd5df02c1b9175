import type { AddressInfo } from 'node:net';
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
  type RequestListener,
  type Server,
} from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { jkuKeys, loadVerificationKeys, type VerificationKeys } from '@agent-registry/card-signing';
// Types only: @kubernetes/client-node, the Kubernetes store and auth are loaded on demand (tens of MB of RSS
// an embedded registry does not need).
import type { KubeConfig } from '@kubernetes/client-node';
import type { Hono } from 'hono';
import { createApp, type AppOptions } from './app.js';
import { createTokenFileAuthenticator } from './auth/tokenFile.js';
import { noAuth, type Authenticator, type AuthMode } from './auth/types.js';
import { clientAddressResolver, trustedProxyMatcher } from './http/clientAddress.js';
import { baseUrlResolver } from './http/origin.js';
import type { AppEnv } from './http/env.js';
import { A2ARenderer } from './a2aRenderer.js';
import { createFastPath, type FastPath } from './http/fastPath.js';
import { loadCardSigning } from './http/signing.js';
import { retainTickShape } from './http/retainTickShape.js';
import { TokenBuckets } from './http/middleware/rateLimit.js';
import { status, type StatusReason } from './http/status.js';
import { silentLogger, type Logger } from './logger.js';
import { createMetrics } from './metrics.js';
import type { ProbeSettings } from './store/cardProbes.js';
import { EmbeddedStore } from './store/embeddedStore.js';
import type { CardStore, StoreKind } from './store/types.js';

export interface RegistryOptions extends Omit<
  AppOptions,
  'shutdownSignal' | 'store' | 'logger' | 'authenticator'
> {
  /** A ready store, or which one to create and start: `embedded` (default; needs `manifests`) or `kubernetes`. */
  store?: CardStore | StoreKind;
  /** Embedded store: the manifests directory. */
  manifests?: string;
  /** Kubernetes store/auth: a kubeconfig path or object (default: KUBECONFIG, in-cluster, ~/.kube/config). */
  kubeconfig?: string | KubeConfig;
  /** Kubernetes store: namespaces to watch (default all). */
  namespaces?: string[];
  /** Default: logs nothing. */
  logger?: Logger;
  /** An authenticator, or the mode to build one for. Default none. */
  authenticator?: Authenticator;
  auth?: AuthMode;
  tokensFile?: string;
  /** Files or directories of keys that sign served cards (ignored when `signing` is given). */
  signingKeyFiles?: readonly string[];
  /**
   * Embedded store: keys trusted for publishers' card signatures (each card gets a `SignatureVerified`
   * condition), or the JWK Set/JWK/PEM files or directories to load them from. The Kubernetes store
   * serves the condition the controller set.
   */
  trustedKeys?: VerificationKeys;
  trustedJwksFiles?: readonly string[];
  /** Embedded store: origins whose JWK Sets a signature's `jku` may name (checked with or without trusted keys). */
  trustedJkuOrigins?: readonly string[];
  /**
   * Embedded store: probe each card's endpoint (`GET <endpoint>/.well-known/agent-card.json`) as the controller
   * does, so `status.health` and `status.lastSeen` are live. Default false here — a library does not call the
   * URLs of the cards it is given unless asked; the registry app turns it on (`--probing`). In a cluster the
   * controller probes and the Kubernetes store serves what it wrote.
   */
  probing?: boolean;
  /** With `probing`: time between two probes of one card. Default 30 s. */
  probeIntervalMs?: number;
  /** With `probing`: time limit of one probe. Default 5 s. */
  probeTimeoutMs?: number;
  /** With `probing`: probes in flight at most. Default 8. */
  probeConcurrency?: number;
  /** The host the server listens on, for requests that name none. Default 127.0.0.1. */
  host?: string;
  /**
   * Serve the single-card A2A reads on node:http below Hono when the response cannot differ
   * (see http/fastPath.ts). Default true; false sends everything through Hono (parity tests).
   */
  fastPath?: boolean;
}

/** A registry ready to serve: mount `app` in a Hono app, or pass `handler` to any node:http server. */
export interface Registry {
  app: Hono<AppEnv>;
  /**
   * node:http's listener: the request gate first (a request Hono cannot represent gets its Status here),
   * then the fast path, then the Hono app.
   */
  handler: RequestListener;
  store: CardStore;
  /** Ends watch streams and MCP sessions, then stops the store and authenticator it created. Idempotent. */
  close(): Promise<void>;
}

export interface ServerOptions extends RegistryOptions {
  /** Default 8084; 0 picks a free port. */
  port?: number;
  /** Largest request header block in bytes (431 beyond it). Default 16 KiB. */
  maxHeaderBytes?: number;
  /**
   * A request (headers and body) must arrive within this long, else 408 and the connection is closed;
   * streams that were fully requested (watch, MCP GET) are not affected. Default 5 s.
   */
  bodyTimeoutMs?: number;
  /** A keep-alive connection without a request is closed after this long. Default 5 s. */
  idleTimeoutMs?: number;
  /** How long close() waits for in-flight requests before cutting connections. Default 5 s. */
  shutdownGraceMs?: number;
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
  options: RegistryOptions,
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

/**
 * Builds the registry: its store (unless given one, created and started), authenticator, signing,
 * metrics, the Hono app and the node:http handler. Listening is the caller's (or startServer's) part.
 */
export async function createRegistry(
  options: RegistryOptions = {},
  /** Ends watch streams and MCP sessions early (a server stops them before waiting for its requests). */
  endStreams?: AbortSignal,
): Promise<Registry> {
  // Before the store loads: its full GCs would otherwise slow every later tick (see retainTickShape).
  await retainTickShape();
  const logger = options.logger ?? silentLogger;
  let kubeConfig: Promise<KubeConfig> | undefined;
  const kube = (): Promise<KubeConfig> => (kubeConfig ??= kubeConfigOf(options.kubeconfig));
  const ownsStore = typeof options.store !== 'object';
  const jku =
    options.trustedJkuOrigins && options.trustedJkuOrigins.length > 0
      ? jkuKeys({ allowedOrigins: options.trustedJkuOrigins })
      : undefined;
  const trustedKeys =
    options.trustedKeys ??
    (options.trustedJwksFiles && options.trustedJwksFiles.length > 0
      ? await loadVerificationKeys(options.trustedJwksFiles)
      : jku && []);
  const store: CardStore =
    typeof options.store === 'object'
      ? options.store
      : options.store === 'kubernetes'
        ? await kubernetesStore(await kube(), options.namespaces, logger)
        : new EmbeddedStore({
            directory: manifestsOf(options),
            logger,
            ...(trustedKeys !== undefined && { trustedKeys, jku }),
            ...(options.probing && { probe: probeSettingsOf(options) }),
          });
  const authenticator = await authenticatorOf(options, logger, kube);
  const ownsAuthenticator = options.authenticator === undefined;
  const cleanup = async (): Promise<void> => {
    if (ownsStore) await store.stop();
    if (ownsAuthenticator) await authenticator.close();
  };

  const shutdown = new AbortController();
  endStreams?.addEventListener('abort', () => shutdown.abort(), { once: true });
  try {
    if (ownsStore) await store.start();
    // Made here so the fast path counts its requests in the same metrics the app serves.
    const metrics = options.metrics ?? createMetrics(store);
    // One per-address budget for Hono's limiter and the fast path.
    const ratePerSecond = options.rateLimit ?? 50;
    const addressBuckets =
      ratePerSecond > 0 ? new TokenBuckets({ ratePerSecond, burst: options.rateBurst ?? 100 }) : undefined;
    const signing = options.signing ?? (await loadCardSigning(options.signingKeyFiles, options.publicUrl));
    const renderer = new A2ARenderer(undefined, signing?.signBody);
    const app = createApp({
      ...options,
      signing,
      renderer,
      store,
      logger,
      metrics,
      authenticator,
      addressBuckets,
      shutdownSignal: shutdown.signal,
    });
    const hostname = options.host ?? '127.0.0.1';
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
            baseUrlOf: baseUrlResolver({
              publicUrl: options.publicUrl,
              allowedHosts: options.allowedHosts,
              isTrustedProxy: trustedProxyMatcher(options.trustedProxies),
            }),
            maxUrlBytes: options.maxUrlBytes ?? 8192,
            clientAddress: clientAddressResolver(options.trustedProxies),
            hostname,
            signing,
            renderer,
          });
    let closing: Promise<void> | undefined;
    return {
      app,
      handler: gated(getRequestListener(app.fetch, { hostname }), fastPath),
      store,
      close() {
        closing ??= Promise.resolve()
          .then(() => shutdown.abort())
          .then(cleanup);
        return closing;
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

function probeSettingsOf(options: RegistryOptions): ProbeSettings {
  return {
    ...(options.probeIntervalMs !== undefined && { intervalMs: options.probeIntervalMs }),
    ...(options.probeTimeoutMs !== undefined && { timeoutMs: options.probeTimeoutMs }),
    ...(options.probeConcurrency !== undefined && { concurrency: options.probeConcurrency }),
  };
}

function manifestsOf(options: RegistryOptions): string {
  if (options.manifests === undefined)
    throw new Error('the embedded store needs `manifests` (a directory of AgentCard and Agent manifests)');
  return options.manifests;
}

/** Creates the registry (see createRegistry) and serves it on node:http with the request deadlines below. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const streams = new AbortController();
  const registry = await createRegistry(options, streams.signal);
  let server: Server;
  try {
    server = await listen(registry.handler, options);
  } catch (error) {
    await registry.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const displayHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${displayHost}:${address.port}`,
    port: address.port,
    app: registry.app,
    server,
    store: registry.store,
    close() {
      closing ??= new Promise<void>((resolve) => {
        // Streams end first, so server.close() does not wait on them; the store stops after the last request.
        streams.abort();
        const force = setTimeout(() => server.closeAllConnections(), options.shutdownGraceMs ?? 5_000);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }).then(() => registry.close());
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

/** The request gate, then `fastPath` (if any), then `listener` (Hono's, via @hono/node-server). */
function gated(listener: RequestListener, fastPath: FastPath | undefined): RequestListener {
  return (request, response) => {
    if (refuseMalformed(request, response)) return;
    if (!fastPath?.handle(request, response)) void listener(request, response);
  };
}

/** A Host header: a DNS name or an IP literal, with an optional port. */
const VALID_HOST = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;
/** The last Host that passed VALID_HOST: nearly every request repeats it, and a string compare is cheaper. */
let lastValidHost = '';

/**
 * Requests node:http parses but that name no resource of ours: a target that is not a path (`*`,
 * authority-form) or holds a backslash, a missing or malformed Host (HTTP/1.1 requires one). They
 * are answered with a 400 Status and the connection is closed, before Hono tries to build a URL.
 */
function refuseMalformed(request: IncomingMessage, response: ServerResponse): boolean {
  const target = request.url ?? '';
  const host = request.headers.host;
  let message: string | undefined;
  if (!(target.startsWith('/') || /^https?:\/\//i.test(target)))
    message = 'the request target must be a path';
  else if (target.includes('\\')) message = 'the request target must not contain a backslash';
  else if (host === undefined || host === '') {
    if (request.httpVersionMajor === 1 && request.httpVersionMinor >= 1)
      message = 'a Host header is required';
  } else if (host !== lastValidHost) {
    if (VALID_HOST.test(host)) lastValidHost = host;
    else message = 'the Host header is not a host name or address';
  }
  if (message === undefined) return false;
  const body = JSON.stringify(status(400, 'BadRequest', message));
  response.shouldKeepAlive = false;
  response.writeHead(400, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    connection: 'close',
  });
  response.end(body);
  return true;
}

async function listen(handler: RequestListener, options: ServerOptions): Promise<Server> {
  const server = createServer(
    {
      maxHeaderSize: options.maxHeaderBytes ?? 16 * 1024,
      // How often node checks the header and request deadlines below (its default is 30 s).
      connectionsCheckingInterval: 1000,
      // A missing Host is answered by the request gate, with a Status body like every other 400.
      requireHostHeader: false,
    },
    handler,
  );
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
    server.listen(options.port ?? 8084, options.host ?? '127.0.0.1');
  });
  // Slow-loris protection: the header block within 10 s, the whole request (body included) within the
  // body timeout (408). A request fully received is not affected: watch streams live on.
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 5_000;
  server.headersTimeout = Math.min(10_000, bodyTimeoutMs);
  server.requestTimeout = bodyTimeoutMs;
  server.keepAliveTimeout = options.idleTimeoutMs ?? 5_000;
  // Malformed requests never reach Hono: answer them with a Status body too.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    // A response already under way on this socket cannot be followed by another: just close.
    const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (!socket.writable || inFlight?.headersSent) return socket.destroy();
    const [code, text, reason, message]: [number, string, StatusReason, string] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [
            431,
            'Request Header Fields Too Large',
            'RequestEntityTooLarge',
            'the request headers are too large',
          ]
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'Request Timeout', 'Timeout', 'the request was not received in time']
          : [400, 'Bad Request', 'BadRequest', 'malformed HTTP request'];
    const body = JSON.stringify(status(code, reason, message));
    socket.end(
      `HTTP/1.1 ${code} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}
