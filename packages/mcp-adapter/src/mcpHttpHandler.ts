import { randomUUID } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { createRegistryMcpServer, type RegistryMcpServerOptions } from './registryMcpServer.js';
import type { RegistryReader } from './registryReader.js';

export interface McpHttpHandlerOptions extends RegistryMcpServerOptions {
  /** Most sessions held at once; the least recently used one is closed to admit a new one (default 1000). */
  maxSessions?: number;
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

export interface McpHttpHandler {
  /** Serves one MCP Streamable HTTP request (POST, GET for the SSE stream, DELETE to end a session). */
  handle(request: Request): Promise<Response>;
  /** Ends every session and stops the idle sweep. */
  close(): Promise<void>;
  /** Number of open sessions. */
  readonly sessionCount: number;
}

interface Session {
  transport: WebStandardStreamableHTTPServerTransport;
  server: McpServer;
  lastSeen: number;
}

const SESSION_HEADER = 'mcp-session-id';

function jsonRpcError(status: number, code: number, message: string): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }), {
    status,
    headers: { 'content-type': 'application/json' },
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

  const admit = (sessionId: string, session: Session) => {
    while (sessions.size >= maxSessions) {
      const oldest = sessions.keys().next().value;
      if (oldest === undefined) break;
      void endSession(oldest);
    }
    sessions.set(sessionId, session);
  };

  /** A fresh server and transport; the session exists once the client's `initialize` succeeds. */
  const openSession = async (request: Request): Promise<Response> => {
    const server = createRegistryMcpServer(options.registryFor?.(request) ?? registry, {
      ...options,
      publicUrl: options.publicUrl ?? new URL(request.url).origin,
    });
    let sessionId: string | undefined;
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      maxRequestBodySize,
      onsessioninitialized: (id) => {
        sessionId = id;
        admit(id, { transport, server, lastSeen: Date.now() });
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

    async handle(request) {
      if (closed) return jsonRpcError(503, -32000, 'The MCP endpoint is shutting down.');
      const sessionId = request.headers.get(SESSION_HEADER);
      if (sessionId === null) {
        if (request.method === 'POST') return openSession(request);
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
      if (!session) {
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
