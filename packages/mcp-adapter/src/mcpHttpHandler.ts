import { randomUUID } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { createRegistryMcpServer, type RegistryMcpServerOptions } from './registryMcpServer.js';
import type { RegistryReader } from './registryReader.js';

export interface McpHttpHandlerOptions extends RegistryMcpServerOptions {
  /**
   * Most sessions held at once (default 1000). Beyond it a new session is refused (429), never made
   * room for by closing another client's.
   */
  maxSessions?: number;
  /**
   * Most sessions of one client (see `handle`'s `client`) (default 10); a client's new session
   * beyond it closes that client's least recently used one.
   */
  maxSessionsPerClient?: number;
  /**
   * The base URL of the links a session's tools return, from its `initialize` request, when
   * `publicUrl` is not set (`undefined`: no links). Without it, the request's own origin — which a
   * client chooses through `Host`: mount behind a Host check, or give `publicUrl` or this.
   */
  publicUrlFor?: (request: Request) => string | undefined;
  /** Close a session after this long without a request (default 30 minutes). */
  sessionIdleTimeoutMs?: number;
  /** Largest POST body accepted, in bytes (default 1 MiB). */
  maxRequestBodyBytes?: number;
  /**
   * The reader a new session uses, chosen from its `initialize` request, e.g.
   * one limited to the namespaces the caller may see. Default: `registry`.
   */
  registryFor?: (request: Request) => RegistryReader;
}

/** Who sent a request, as the mounting app knows it. */
export interface McpRequestContext {
  /** The client (an address or an authenticated principal) whose sessions are bounded together. */
  client?: string;
}

export interface McpHttpHandler {
  /** Serves one MCP Streamable HTTP request (POST, GET for the SSE stream, DELETE to end a session). */
  handle(request: Request, context?: McpRequestContext): Promise<Response>;
  /** Ends every session and stops the idle sweep. */
  close(): Promise<void>;
  /** Number of open sessions. */
  readonly sessionCount: number;
}

interface Session {
  transport: WebStandardStreamableHTTPServerTransport;
  server: McpServer;
  lastSeen: number;
  client: string;
}

const SESSION_HEADER = 'mcp-session-id';

function jsonRpcError(
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/**
 * The registry as an MCP server over Streamable HTTP, with Web-standard
 * Request/Response so any framework can mount it (`app.all('/mcp', (c) =>
 * handler.handle(c.req.raw))`).
 *
 * Session-based: `initialize` opens a session (its id comes back in
 * `Mcp-Session-Id`), each session has its own MCP server and registry
 * subscription, so a client holding the GET SSE stream receives
 * `notifications/resources/list_changed`. Sessions end on DELETE, after
 * `sessionIdleTimeoutMs` without requests, when `maxSessions` is reached (least
 * recently used first), or on `close()`.
 *
 * Authentication, CORS, Host/Origin checks and rate limits belong to the
 * mounting app's middleware, which runs before this handler.
 */
export function createMcpHttpHandler(
  registry: RegistryReader,
  options: McpHttpHandlerOptions = {},
): McpHttpHandler {
  const maxSessions = Math.max(1, options.maxSessions ?? 1000);
  const maxPerClient = Math.max(1, options.maxSessionsPerClient ?? 10);
  const idleTimeoutMs = options.sessionIdleTimeoutMs ?? 30 * 60_000;
  const maxRequestBodySize = options.maxRequestBodyBytes ?? 1024 * 1024;
  // Insertion order doubles as recency order: a session is re-inserted on every request.
  const sessions = new Map<string, Session>();
  let closed = false;

  const endSession = async (sessionId: string): Promise<void> => {
    const session = sessions.get(sessionId);
    if (!session) return;
    sessions.delete(sessionId);
    await session.server.close().catch(() => undefined);
  };

  const sweep = setInterval(
    () => {
      const cutoff = Date.now() - idleTimeoutMs;
      for (const [id, session] of sessions) if (session.lastSeen < cutoff) void endSession(id);
    },
    Math.max(1000, Math.min(idleTimeoutMs, 60_000)),
  ).unref();

  const sessionsOf = (client: string): string[] =>
    [...sessions].filter(([, session]) => session.client === client).map(([id]) => id);

  /** Room for one more session of `client`: its own oldest is closed if it has too many. */
  const makeRoom = (client: string): boolean => {
    const own = sessionsOf(client);
    for (let i = 0; i <= own.length - maxPerClient; i++) void endSession(own[i]!);
    return sessions.size < maxSessions;
  };

  const admit = (sessionId: string, session: Session) => {
    makeRoom(session.client);
    sessions.set(sessionId, session);
  };

  /** A fresh server and transport; the session exists once the client's `initialize` succeeds. */
  const openSession = async (request: Request, client: string): Promise<Response> => {
    if (!makeRoom(client)) {
      return jsonRpcError(429, -32000, 'Too many MCP sessions are open; retry later.', {
        'retry-after': '30',
      });
    }
    const publicUrl =
      options.publicUrl ??
      (options.publicUrlFor ? options.publicUrlFor(request) : new URL(request.url).origin);
    const server = createRegistryMcpServer(options.registryFor?.(request) ?? registry, {
      ...options,
      publicUrl,
    });
    let sessionId: string | undefined;
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      maxRequestBodySize,
      onsessioninitialized: (id) => {
        sessionId = id;
        admit(id, { transport, server, lastSeen: Date.now(), client });
      },
      onsessionclosed: (id) => {
        // Let the DELETE response go out before the streams are torn down.
        setImmediate(() => void endSession(id));
      },
    });
    await server.connect(transport);
    const response = await transport.handleRequest(request);
    // Anything but a successful initialize leaves no session behind.
    if (sessionId === undefined) await server.close().catch(() => undefined);
    return response;
  };

  return {
    get sessionCount() {
      return sessions.size;
    },

    async handle(request, context = {}) {
      if (closed) return jsonRpcError(503, -32000, 'The MCP endpoint is shutting down.');
      const client = context.client ?? '';
      const sessionId = request.headers.get(SESSION_HEADER);
      if (sessionId === null) {
        if (request.method === 'POST') return openSession(request, client);
        if (request.method === 'GET' || request.method === 'DELETE') {
          return jsonRpcError(
            400,
            -32000,
            'Bad Request: the Mcp-Session-Id header is required; send initialize first.',
          );
        }
        return methodNotAllowed();
      }
      const session = sessions.get(sessionId);
      // A session is used only by the client that opened it (ids are unguessable; this is defence in depth).
      if (!session || session.client !== client) {
        return jsonRpcError(
          404,
          -32001,
          'Session not found: it ended or never existed; send initialize again.',
        );
      }
      session.lastSeen = Date.now();
      sessions.delete(sessionId);
      sessions.set(sessionId, session);
      return session.transport.handleRequest(request);
    },

    async close() {
      closed = true;
      clearInterval(sweep);
      await Promise.all([...sessions.keys()].map(endSession));
    },
  };
}

function methodNotAllowed(): Response {
  return new Response(
    JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed.' }, id: null }),
    { status: 405, headers: { 'content-type': 'application/json', allow: 'GET, POST, DELETE' } },
  );
}
