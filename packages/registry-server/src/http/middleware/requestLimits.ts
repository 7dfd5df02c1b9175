import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { originOf } from '../origin.js';
import { status, StatusError } from '../status.js';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const MCP_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'POST', 'DELETE']);

export interface RequestLimitOptions {
  /** Longest request target (path + query) accepted, in bytes. */
  maxUrlBytes: number;
  /** Largest request body (only /mcp takes one). */
  maxBodyBytes: number;
}

/**
 * Cheap checks before any work: the URL length (413), read-only methods (405;
 * /mcp also takes POST and DELETE), and bodies only where one is expected.
 */
export function requestLimits({ maxUrlBytes, maxBodyBytes }: RequestLimitOptions): MiddlewareHandler<AppEnv> {
  return (c, next) => {
    const url = c.req.url;
    const target = url.length - originOf(url).length;
    if (target > maxUrlBytes) {
      throw new StatusError(
        status(413, 'RequestEntityTooLarge', `the request URL is longer than ${maxUrlBytes} bytes`),
      );
    }
    const isMcp = c.req.path === '/mcp';
    const allowed = isMcp ? MCP_METHODS : READ_METHODS;
    if (!allowed.has(c.req.method)) {
      throw new StatusError(
        status(405, 'MethodNotAllowed', `${c.req.method} is not allowed: the registry API is read-only`),
        { allow: [...allowed].join(', ') },
      );
    }
    const takesBody = isMcp && c.req.method === 'POST';
    const length = c.req.header('content-length');
    const chunked = c.req.header('transfer-encoding') !== undefined;
    if (!takesBody && (chunked || (length !== undefined && length.trim() !== '0'))) {
      // The body is not read: the connection is closed after the answer rather than left to a
      // client that could trickle bytes into it forever.
      throw new StatusError(status(413, 'RequestEntityTooLarge', 'this request takes no body'), {
        connection: 'close',
      });
    }
    if (length !== undefined && takesBody) {
      const bytes = Number(length);
      if (!Number.isFinite(bytes) || bytes > maxBodyBytes) {
        throw new StatusError(
          status(413, 'RequestEntityTooLarge', `the body is larger than ${maxBodyBytes} bytes`),
          { connection: 'close' },
        );
      }
    }
    return next();
  };
}
