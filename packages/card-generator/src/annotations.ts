import { formatPath, limits, qualifiedNameProblems } from '@agent-registry/crds';
import { error, warning, type Diagnostic } from './diagnostics.js';

/** The annotations the card generator reads. */
export const ANNOTATIONS = {
  /** `"true"` opts a kagent Agent in (a2a.io Agents are always registered). */
  registerToRegistry: 'kagent.dev/register-to-registry',
  /** `"true"` opts any agent out, even one that opted in. */
  discoveryDisabled: 'kagent.dev/discovery-disabled',
  /** Same as `discoveryDisabled`, in the a2a.io group, for a2a.io Agents' authors. */
  a2aDiscoveryDisabled: 'a2a.io/discovery-disabled',
  /** Comma-separated capability names (kagent Agents). */
  capabilities: 'kagent.dev/capabilities',
  /** Prefix of `kagent.dev/card-<key>`: one card metadata entry per annotation (kagent's own form). */
  cardMetadataPrefix: 'kagent.dev/card-',
  /**
   * A JSON object of card metadata entries (`{"<key>": "<value>"}`), for keys whose
   * `kagent.dev/card-<key>` would not be a valid annotation key (name part over 63
   * characters, or characters a qualified name does not allow, as skill ids may have).
   */
  cardMetadata: 'kagent.dev/card-metadata',
  /** The old `kagent.dev/card-metadata/<key>`: two `/`, which a kube-apiserver rejects. Reported, never read. */
  invalidCardMetadataPrefix: 'kagent.dev/card-metadata/',
  /** The agent's A2A URL, instead of the derived in-cluster one (kagent Agents). */
  a2aEndpoint: 'kagent.dev/a2a-endpoint',
  /** `0.3.0` or `1.0`: the A2A version of this agent's card, instead of the generator's default. */
  a2aVersion: 'kagent.dev/a2a-version',
} as const;

/** The label every generated card carries, so the controller can list (and garbage-collect) its own cards. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const DEFAULT_MANAGED_BY = 'agent-registry';

export type Annotations = Readonly<Record<string, string>>;

/**
 * The annotation that carries card-metadata `key` on its own, `kagent.dev/card-<key>`,
 * or `undefined` when that would not be a valid annotation key (a qualified name's
 * name part is at most 63 characters of `[-A-Za-z0-9_.]`): such a key goes into the
 * `kagent.dev/card-metadata` JSON object instead.
 */
export function cardMetadataAnnotation(key: string): string | undefined {
  const annotation = `${ANNOTATIONS.cardMetadataPrefix}${key}`;
  if (
    annotation === ANNOTATIONS.cardMetadata ||
    annotation.startsWith(ANNOTATIONS.invalidCardMetadataPrefix)
  ) {
    return undefined;
  }
  return qualifiedNameProblems(annotation.toLowerCase()).length === 0 ? annotation : undefined;
}

/**
 * The annotations that set the given card-metadata entries: `kagent.dev/card-<key>`
 * where that is a valid annotation key, and one `kagent.dev/card-metadata` JSON
 * object holding the rest. What a manifest should carry, valid on any cluster.
 */
export function toCardMetadataAnnotations(entries: Readonly<Record<string, string>>): Record<string, string> {
  const annotations: Record<string, string> = {};
  const rest: [string, string][] = [];
  for (const [key, value] of Object.entries(entries)) {
    const annotation = cardMetadataAnnotation(key);
    if (annotation === undefined) rest.push([key, value]);
    else annotations[annotation] = value;
  }
  // fromEntries defines own properties, so even a key such as `__proto__` stays an entry.
  if (rest.length > 0) annotations[ANNOTATIONS.cardMetadata] = JSON.stringify(Object.fromEntries(rest));
  return annotations;
}

export const annotationPath = (key: string): string => formatPath(['metadata', 'annotations', key]);

/** Kubernetes-style boolean annotations: `"true"`, any case, surrounding spaces ignored. */
export const isTrue = (value: string | undefined): boolean => value?.trim().toLowerCase() === 'true';

export const annotation = (annotations: Annotations | undefined, key: string): string | undefined =>
  annotations !== undefined && Object.hasOwn(annotations, key) ? annotations[key] : undefined;

export interface Capabilities {
  capabilities: string[];
  diagnostics: Diagnostic[];
}

/**
 * Reads `kagent.dev/capabilities`: split on commas, trimmed, empties dropped,
 * de-duplicated in first-seen order. Names over `limits.token` characters are
 * dropped; past `limits.listItems` the rest are dropped. Each drop is a diagnostic.
 */
export function parseCapabilities(value: string): Capabilities {
  const key = ANNOTATIONS.capabilities;
  const path = annotationPath(key);
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const capabilities: string[] = [];
  let tooLong = 0;
  let duplicates = 0;
  let overflow = 0;
  for (const raw of value.split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    if (name.length > limits.token) {
      tooLong++;
      continue;
    }
    if (seen.has(name)) {
      duplicates++;
      continue;
    }
    if (capabilities.length >= limits.listItems) {
      overflow++;
      continue;
    }
    seen.add(name);
    capabilities.push(name);
  }
  // One diagnostic per kind of problem, not per item: a hostile 1 MB value must not yield 100k diagnostics.
  if (tooLong > 0) {
    diagnostics.push(
      error(path, `${tooLong} capability name(s) longer than ${limits.token} characters were dropped`, key),
    );
  }
  if (overflow > 0) {
    diagnostics.push(
      error(path, `at most ${limits.listItems} capabilities are allowed; ${overflow} more were dropped`, key),
    );
  }
  if (duplicates > 0)
    diagnostics.push(warning(path, `${duplicates} duplicate capability name(s) were ignored`, key));
  return { capabilities, diagnostics };
}
