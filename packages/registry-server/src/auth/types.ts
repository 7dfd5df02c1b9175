/** Whom a request acts for and what it may see. */
export interface Principal {
  name: string;
  /**
   * A stable identity that also pins what the principal may see (names need not be unique): keys the
   * per-principal rate limit and the per-principal MCP servers.
   */
  readonly id: string;
  /**
   * The namespaces among `candidates` this principal may read (`verb` list or get), or `undefined`
   * when it may read every namespace.
   */
  visibleNamespaces(
    candidates: readonly string[],
    verb: 'list' | 'get',
  ): Promise<ReadonlySet<string> | undefined>;
  canRead(namespace: string, verb: 'list' | 'get'): Promise<boolean>;
}

export const AUTH_MODES = ['none', 'token', 'kubernetes'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export interface Authenticator {
  readonly mode: AuthMode;
  /** The principal of a bearer token, or `undefined` when it is missing or invalid (→ 401). */
  authenticate(token: string | undefined): Promise<Principal | undefined>;
  /** Calls `listener` when the principals may have changed (a tokens-file reload); returns unsubscribe. */
  onChange?(listener: () => void): () => void;
  close(): Promise<void>;
}

/** Everyone sees everything: `--auth=none`. */
export const anonymous: Principal = {
  name: 'anonymous',
  id: 'anonymous',
  visibleNamespaces: async () => undefined,
  canRead: async () => true,
};

export const noAuth: Authenticator = {
  mode: 'none',
  authenticate: async () => anonymous,
  close: async () => undefined,
};

/**
 * A principal with a fixed namespace list (`*` = all). Its id is `key` (e.g. a token digest) plus the
 * sorted namespaces, so the same name with other namespaces is another principal.
 */
export function staticPrincipal(name: string, namespaces: readonly string[], key: string = name): Principal {
  const all = namespaces.includes('*');
  const allowed = new Set(namespaces);
  return {
    name,
    id: `${key}|${[...allowed].sort().join(',')}`,
    visibleNamespaces: async () => (all ? undefined : allowed),
    canRead: async (namespace) => all || allowed.has(namespace),
  };
}

/** Authentication could not be decided (e.g. the apiserver is down): 503, not 401. */
export class AuthUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuthUnavailableError';
  }
}
