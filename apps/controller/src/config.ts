import {
  ConfigError,
  helpText as renderHelp,
  LOG_LEVELS,
  PROBE_FLAGS,
  readFlags,
  readProbeFlags,
  type FlagSpecs,
  type LogLevel,
} from '@agent-registry/app-shell';
import {
  A2A_VERSIONS,
  dns1123LabelProblems,
  dns1123SubdomainProblems,
  type A2AVersion,
} from '@agent-registry/crds';

export { ConfigError };

/** Everything the controller is configured with (flags > environment > defaults). */
export interface ControllerConfig {
  /** Path of a kubeconfig; undefined = in-cluster service account, else ~/.kube/config. */
  kubeconfig?: string;
  /** Namespaces to watch; empty = all namespaces. */
  namespaces: string[];
  clusterDomain: string;
  defaultPort: number;
  a2aVersion: A2AVersion;
  concurrency: number;
  probeIntervalMs: number;
  probeTimeoutMs: number;
  probeConcurrency: number;
  leaderElect: boolean;
  leaseName: string;
  leaseNamespace: string;
  leaseDurationMs: number;
  httpPort: number;
  httpHost: string;
  logLevel: LogLevel;
  fieldManager: string;
  /** Full resync of every key (repairs drift, removes orphans). Env RESYNC_PERIOD. */
  resyncPeriodMs: number;
  /** JWK Set/JWK/PEM files or directories trusted for publishers' card signatures (SignatureVerified). */
  trustedJwksFiles: string[];
  /** Origins whose JWK Sets a publisher signature's `jku` may name. */
  trustedJkuOrigins: string[];
}

export const FLAGS = {
  kubeconfig: {
    env: 'KUBECONFIG',
    kind: 'string',
    help: 'kubeconfig path; else in-cluster, else ~/.kube/config',
  },
  namespaces: {
    env: 'WATCH_NAMESPACES',
    kind: 'list',
    help: 'comma-separated namespaces to watch; empty = all',
    default: '',
  },
  'cluster-domain': {
    env: 'CLUSTER_DOMAIN',
    kind: 'string',
    help: 'cluster DNS domain of service URLs',
    default: 'cluster.local',
  },
  'default-port': {
    env: 'DEFAULT_PORT',
    kind: 'int',
    help: 'agent port when the source names none',
    default: '8080',
  },
  'a2a-version': {
    env: 'A2A_VERSION',
    kind: 'string',
    help: `A2A version of generated cards (${A2A_VERSIONS.join(', ')})`,
    default: '0.3.0',
  },
  concurrency: {
    env: 'CONCURRENCY',
    kind: 'int',
    help: 'agents reconciled in parallel',
    default: '4',
  },
  ...PROBE_FLAGS,
  'leader-elect': {
    env: 'LEADER_ELECT',
    kind: 'bool',
    help: 'elect a leader with a Lease (false for one replica/dev)',
    default: 'true',
  },
  'lease-name': {
    env: 'LEASE_NAME',
    kind: 'string',
    help: 'name of the leader election Lease',
    default: 'agent-registry-controller',
  },
  'lease-namespace': {
    env: 'LEASE_NAMESPACE',
    kind: 'string',
    help: 'namespace of the Lease (else POD_NAMESPACE, else default)',
  },
  'lease-duration': {
    env: 'LEASE_DURATION',
    kind: 'duration',
    help: 'how long a leader holds the Lease without renewing',
    default: '15s',
  },
  'http-port': {
    env: 'HTTP_PORT',
    kind: 'int',
    help: 'port of /healthz, /readyz, /metrics (0 = any free port)',
    default: '8081',
  },
  'http-host': {
    env: 'HTTP_HOST',
    kind: 'string',
    help: 'address the HTTP server binds',
    default: '0.0.0.0',
  },
  'log-level': {
    env: 'LOG_LEVEL',
    kind: 'string',
    help: `log level (${LOG_LEVELS.join(', ')})`,
    default: 'info',
  },
  'field-manager': {
    env: 'FIELD_MANAGER',
    kind: 'string',
    help: 'server-side apply field manager',
    default: 'agent-registry-controller',
  },
  'resync-period': {
    env: 'RESYNC_PERIOD',
    kind: 'duration',
    help: 'full resync of every agent and card',
    default: '10m',
  },
  'trusted-jwks': {
    env: 'TRUSTED_JWKS',
    kind: 'list',
    help: 'comma-separated JWK Set/JWK/PEM files or directories trusted for publisher card signatures; empty = not checked',
    default: '',
  },
  'trusted-jku-origins': {
    env: 'TRUSTED_JKU_ORIGINS',
    kind: 'list',
    help: "comma-separated origins (https://keys.example.com) whose JWK Sets a publisher signature's jku may name",
    default: '',
  },
} as const satisfies FlagSpecs;

/** Why `value` is not a namespace name (an RFC 1123 label); undefined when it is one. */
const namespaceProblem = (value: string): string | undefined => dns1123LabelProblems(value)[0];

export interface ParsedArgs {
  config: ControllerConfig;
  help: boolean;
}

/**
 * Builds the configuration from command-line flags and the environment (a
 * flag wins over its variable) and validates every value. Throws
 * {@link ConfigError} listing all problems at once.
 */
export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ParsedArgs {
  const flags = readFlags(FLAGS, argv, env);

  const namespaces = flags.list('namespaces');
  for (const namespace of namespaces) {
    if (namespaceProblem(namespace)) flags.problem('namespaces', `"${namespace}" is not a namespace name`);
  }

  const clusterDomain = (flags.string('cluster-domain') ?? '').replace(/\.$/, '');
  if (dns1123SubdomainProblems(clusterDomain).length > 0)
    flags.problem('cluster-domain', `"${clusterDomain}" is not a DNS domain`);

  const leaseName = flags.string('lease-name') ?? '';
  if (dns1123SubdomainProblems(leaseName).length > 0)
    flags.problem('lease-name', `"${leaseName}" is not a valid name`);
  const leaseNamespace = flags.string('lease-namespace') || env.POD_NAMESPACE || 'default';
  if (namespaceProblem(leaseNamespace))
    flags.problem(undefined, `lease namespace "${leaseNamespace}" is not a namespace name`);

  const fieldManager = flags.string('field-manager') ?? '';
  if (fieldManager.length === 0 || fieldManager.length > 128)
    flags.problem('field-manager', 'must be 1 to 128 characters');

  const httpHost = flags.string('http-host') ?? '';
  if (httpHost === '') flags.problem('http-host', 'must not be empty');

  const config: ControllerConfig = {
    kubeconfig: flags.string('kubeconfig') || undefined,
    namespaces,
    clusterDomain,
    defaultPort: flags.int('default-port', 1, 65535),
    a2aVersion: flags.oneOf('a2a-version', A2A_VERSIONS),
    concurrency: flags.int('concurrency', 1, 1000),
    ...readProbeFlags(flags),
    leaderElect: flags.bool('leader-elect'),
    leaseName,
    leaseNamespace,
    leaseDurationMs: flags.duration('lease-duration', 1000, 10 * 60_000),
    httpPort: flags.int('http-port', 0, 65535),
    httpHost,
    logLevel: flags.oneOf('log-level', LOG_LEVELS),
    fieldManager,
    resyncPeriodMs: flags.duration('resync-period', 1000, 24 * 3_600_000),
    trustedJwksFiles: flags.list('trusted-jwks'),
    trustedJkuOrigins: flags.list('trusted-jku-origins'),
  };
  for (const origin of config.trustedJkuOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin))
      flags.problem('trusted-jku-origins', `"${origin}" is not an origin such as https://keys.example.com`);
  }
  flags.finish();
  return { config, help: flags.help };
}

/** The defaults with `overrides` on top, for tests and embedding (overrides are not re-validated). */
export function defineConfig(overrides: Partial<ControllerConfig> = {}): ControllerConfig {
  return { ...parseConfig([], {}).config, ...overrides };
}

export function helpText(): string {
  return renderHelp(FLAGS, {
    summary: 'agent-registry-controller: turns annotated Agents into AgentCards and probes their health.',
    usage: 'node dist/main.js',
  });
}
