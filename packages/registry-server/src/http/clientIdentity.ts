import type { Context } from 'hono';
import type { ClientAddressResolver } from './clientAddress.js';
import type { AppEnv } from './env.js';
import { requestClientKey } from './middleware/rateLimit.js';

/**
 * Whose share of a bounded resource (watch streams, MCP sessions) a request uses: the authenticated
 * principal when auth is on (one token over many addresses is one client), else the client address
 * (trusted proxies applied).
 */
export function clientIdentity(
  c: Context<AppEnv>,
  authenticated: boolean,
  resolve: ClientAddressResolver,
): string {
  const principal = c.get('principal') as AppEnv['Variables']['principal'] | undefined;
  if (authenticated && principal) return `principal:${principal.id}`;
  return requestClientKey(c, resolve);
}
