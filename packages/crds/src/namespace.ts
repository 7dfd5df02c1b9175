/** The namespace an object without `metadata.namespace` is in (what the apiserver and kubectl assume). */
export const DEFAULT_NAMESPACE = 'default';

/** An object's namespace, `default` when it names none (a manifest read from a file may omit it). */
export const namespaceOf = (object: { metadata?: { namespace?: string | null } | null }): string =>
  object.metadata?.namespace ?? DEFAULT_NAMESPACE;
