import { parseWith, UrlSchema } from '@agent-registry/crds';
import type { ResolvedOptions } from './options.js';

/** Namespace assumed for sources that have none (embedded-mode files), as kubectl would. */
export const DEFAULT_NAMESPACE = 'default';

/**
 * The URL other workloads reach an agent at when it names none: its Service,
 * `http://{name}.{namespace}.svc.{clusterDomain}:{port}`.
 */
export function inClusterEndpoint(
  name: string,
  namespace: string | undefined,
  options: Pick<ResolvedOptions, 'clusterDomain' | 'defaultPort'>,
): string {
  return `http://${name}.${namespace || DEFAULT_NAMESPACE}.svc.${options.clusterDomain}:${options.defaultPort}`;
}

/** `undefined` when `value` is an absolute http(s) URL within limits, else why not. */
export function checkUrl(value: string): string | undefined {
  const result = parseWith(UrlSchema, value);
  return result.ok ? undefined : result.issues[0]?.message;
}
