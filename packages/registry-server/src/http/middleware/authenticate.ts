import type { MiddlewareHandler } from 'hono';
import { anonymous, AuthUnavailableError, noAuth, type Authenticator } from '../../auth/types.js';
import { isPublicPath, type AppEnv } from '../env.js';
import { status, StatusError } from '../status.js';

/**
 * Resolves the caller's principal from `Authorization: Bearer <token>`.
 * Public paths pass without one; elsewhere a missing or invalid token is 401
 * with `WWW-Authenticate: Bearer`. `protectMetrics` takes `/metrics` off the public paths (any valid
 * token may read it: the counts are not per namespace, and neither is who may see them).
 */
export function authenticate(
  authenticator: Authenticator,
  { protectMetrics = false }: { protectMetrics?: boolean } = {},
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (authenticator === noAuth) {
      // Everyone is the same anonymous principal: no promise to wait for.
      c.set('principal', anonymous);
      return next();
    }
    const path = c.req.path;
    const isPublic = isPublicPath(path) && !(protectMetrics && path === '/metrics');
    if (authenticator.mode === 'none' || isPublic || c.req.method === 'OPTIONS') {
      const principal = await authenticator.authenticate(undefined);
      if (principal) c.set('principal', principal);
      return next();
    }
    const header = c.req.header('authorization');
    const token = /^Bearer +([\x21-\x7e]{1,8192})$/i.exec(header ?? '')?.[1];
    let principal;
    try {
      principal = await authenticator.authenticate(token);
    } catch (error) {
      if (error instanceof AuthUnavailableError) {
        throw new StatusError(status(503, 'ServiceUnavailable', error.message), { 'retry-after': '5' });
      }
      throw error;
    }
    if (!principal) {
      const why = token ? 'the bearer token is invalid' : 'a bearer token is required';
      throw new StatusError(status(401, 'Unauthorized', why), {
        'www-authenticate': `Bearer realm="agent-registry"${token ? ', error="invalid_token"' : ''}`,
      });
    }
    c.set('principal', principal);
    await next();
  };
}
