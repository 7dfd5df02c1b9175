// The embeddable registry: create one over a store, then mount its Hono app or node:http handler, or let
// startServer listen. The Kubernetes store and auth are reached by name (`store: 'kubernetes'`,
// `auth: 'kubernetes'`) or from `@agent-registry/registry-server/kubernetes`, so an embedded registry
// never loads @kubernetes/client-node.
export {
  createRegistry,
  startServer,
  type Registry,
  type RegistryOptions,
  type RunningServer,
  type ServerOptions,
} from './server.js';
export { createApp, type AppOptions } from './app.js';
export type { Logger } from './logger.js';
export { createMetrics, type RegistryMetrics } from './metrics.js';
export { API_BASE, JWKS_PATH, isPublicPath, type AppEnv } from './http/env.js';
export { isIpOrCidr } from './http/clientAddress.js';
export type { CardSigning } from './http/signing.js';
export { EmbeddedStore, type EmbeddedStoreOptions } from './store/embeddedStore.js';
export type { ProbeSettings } from './store/cardProbes.js';
export { parseLabelSelector, matchesLabelSelector } from './store/labelSelector.js';
export * from './store/types.js';
export { createTokenFileAuthenticator } from './auth/tokenFile.js';
export {
  AUTH_MODES,
  noAuth,
  anonymous,
  type Authenticator,
  type Principal,
  type AuthMode,
} from './auth/types.js';
