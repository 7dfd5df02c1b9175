import {
  A2A_VERSIONS,
  DEFAULT_A2A_VERSION,
  isDns1123Label,
  labelValueProblems,
  limits,
  type A2AVersion,
} from '@agent-registry/crds';
import { DEFAULT_MANAGED_BY } from './annotations.js';
import { error, type Diagnostic } from './diagnostics.js';

export interface GenerateOptions {
  /** The cluster's DNS domain, for derived in-cluster endpoints. Default `cluster.local`. */
  clusterDomain?: string;
  /** The port of derived in-cluster endpoints. Default 8080. */
  defaultPort?: number;
  /** The A2A version of generated cards unless an agent asks otherwise. Default `0.3.0`. */
  a2aVersion?: A2AVersion;
  /** The value of the `app.kubernetes.io/managed-by` label. Default `agent-registry`. */
  managedBy?: string;
}

export type ResolvedOptions = Required<GenerateOptions>;

export const DEFAULT_OPTIONS: ResolvedOptions = {
  clusterDomain: 'cluster.local',
  defaultPort: 8080,
  a2aVersion: DEFAULT_A2A_VERSION,
  managedBy: DEFAULT_MANAGED_BY,
};

// A Kubernetes label value, and not empty (the label must name this controller).
const isManagedByValue = (value: string): boolean => value !== '' && labelValueProblems(value).length === 0;

export const isA2AVersion = (value: unknown): value is A2AVersion =>
  typeof value === 'string' && (A2A_VERSIONS as readonly string[]).includes(value);

/**
 * Fills in defaults and checks the options themselves. Options come from the
 * operator, not from agents, so the controller should call this once at start-up
 * and refuse to run on errors; `generateAgentCard` repeats the check and makes no card.
 */
export function resolveOptions(options: GenerateOptions | undefined): {
  options: ResolvedOptions;
  diagnostics: Diagnostic[];
} {
  const diagnostics: Diagnostic[] = [];
  const given = (typeof options === 'object' && options !== null ? options : {}) as Record<string, unknown>;
  if (options !== undefined && given !== options) diagnostics.push(error('options', 'must be an object'));
  const resolved = { ...DEFAULT_OPTIONS };

  const { clusterDomain, defaultPort, a2aVersion, managedBy } = given;
  if (clusterDomain !== undefined) {
    if (
      typeof clusterDomain === 'string' &&
      clusterDomain.length <= limits.name &&
      clusterDomain.split('.').every(isDns1123Label)
    ) {
      resolved.clusterDomain = clusterDomain;
    } else {
      diagnostics.push(error('options.clusterDomain', 'must be a DNS domain such as cluster.local'));
    }
  }
  if (defaultPort !== undefined) {
    if (
      typeof defaultPort === 'number' &&
      Number.isInteger(defaultPort) &&
      defaultPort >= 1 &&
      defaultPort <= 65535
    ) {
      resolved.defaultPort = defaultPort;
    } else {
      diagnostics.push(error('options.defaultPort', 'must be an integer port from 1 to 65535'));
    }
  }
  if (a2aVersion !== undefined) {
    if (isA2AVersion(a2aVersion)) resolved.a2aVersion = a2aVersion;
    else diagnostics.push(error('options.a2aVersion', `must be one of ${A2A_VERSIONS.join(', ')}`));
  }
  if (managedBy !== undefined) {
    if (typeof managedBy === 'string' && isManagedByValue(managedBy)) resolved.managedBy = managedBy;
    else
      diagnostics.push(
        error('options.managedBy', 'must be a Kubernetes label value (at most 63 characters)'),
      );
  }
  return { options: resolved, diagnostics };
}
