/** Whom a request acts for and what it may see. */
export interface Principal {
  name: string;
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
  close(): Promise<void>;
}

/** Everyone sees everything: `--auth=none`. */
export const anonymous: Principal = {
  name: 'anonymous',
  visibleNamespaces: async () => undefined,
  canRead: async () => true,
};

export const noAuth: Authenticator = {
  mode: 'none',
  authenticate: async () => anonymous,
  close: async () => undefined,
};

/** A principal with a fixed namespace list (`*` = all). */
export function staticPrincipal(name: string, namespaces: readonly string[]): Principal {
  const all = namespaces.includes('*');
  const allowed = new Set(namespaces);
  return {
    name,
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
