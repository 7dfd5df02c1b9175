import type { HttpBindings } from '@hono/node-server';
import type { Principal } from '../auth/types.js';

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

export const API_BASE = '/api/v1alpha1/registry';

/** Routes that stay public whatever the auth mode: probes, metrics, the API description, the web catalog. */
export function isPublicPath(path: string): boolean {
  return (
    path === '/healthz' ||
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
