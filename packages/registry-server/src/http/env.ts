import type { HttpBindings } from '@hono/node-server';
import type { Principal } from '../auth/types.js';
import { REGISTRY_API_BASE } from '@agent-registry/registry-client';

/** Per-request values set by middleware. */
export interface AppVariables {
  principal: Principal;
  /** `ip:<client address>` (trusted proxies applied): the first rate-limit key; see requestClientKey. */
  clientKey: string;
  requestId: string;
}

export interface AppEnv {
  Bindings: Partial<HttpBindings>;
  Variables: AppVariables;
}

/** The REST base path: the read contract's (@agent-registry/registry-client). */
export const API_BASE = REGISTRY_API_BASE;

/** Where the registry publishes the public half of its signing keys (the `jku` of its signatures). */
export const JWKS_PATH = '/.well-known/jwks.json';

/**
 * Routes that stay public whatever the auth mode: probes, metrics, the API description, the web catalog,
 * and the JWK Set (public keys only: whoever holds a signed card must be able to check it).
 */
export function isPublicPath(path: string): boolean {
  return (
    path === '/healthz' ||
    path === JWKS_PATH ||
    path === '/readyz' ||
    path === '/metrics' ||
    path === '/openapi.json' ||
    !(
      path.startsWith(`${API_BASE}/`) ||
      path === API_BASE ||
      path.startsWith('/agents/') ||
      path === '/mcp' ||
      // Lists the agents the caller may see: authenticated like the API.
      path === '/.well-known/ai-catalog.json'
    )
  );
}
