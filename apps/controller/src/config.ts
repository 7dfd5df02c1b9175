import { A2A_VERSIONS, type A2AVersion } from '@agent-registry/crds';
import { LOG_LEVELS, type LogLevel } from './logger.js';

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
  /** Full resync of every key (repairs drift, removes orphans). Not a flag in CONTRACTS; env RESYNC_PERIOD. */
  resyncPeriodMs: number;
}

/** A configuration problem; main prints it and exits with status 2. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Kind = 'string' | 'duration' | 'int' | 'bool' | 'list';

interface FlagSpec {
  flag: string;
  env: string;
  kind: Kind;
  help: string;
  default?: string;
}

export const FLAGS: readonly FlagSpec[] = [
  {
    flag: 'kubeconfig',
    env: 'KUBECONFIG',
    kind: 'string',
    help: 'kubeconfig path; else in-cluster, else ~/.kube/config',
  },
  {
    flag: 'namespaces',
    env: 'WATCH_NAMESPACES',
    kind: 'list',
    help: 'comma-separated namespaces to watch; empty = all',
    default: '',
  },
  {
    flag: 'cluster-domain',
    env: 'CLUSTER_DOMAIN',
    kind: 'string',
    help: 'cluster DNS domain of service URLs',
    default: 'cluster.local',
  },
  {
    flag: 'default-port',
    env: 'DEFAULT_PORT',
    kind: 'int',
    help: 'agent port when the source names none',
    default: '8080',
  },
  {
    flag: 'a2a-version',
    env: 'A2A_VERSION',
    kind: 'string',
    help: `A2A version of generated cards (${A2A_VERSIONS.join(', ')})`,
    default: '0.3.0',
  },
  {
    flag: 'concurrency',
    env: 'CONCURRENCY',
    kind: 'int',
    help: 'agents reconciled in parallel',
    default: '4',
  },
  {
    flag: 'probe-interval',
    env: 'PROBE_INTERVAL',
    kind: 'duration',
    help: 'time between two probes of one card',
    default: '30s',
  },
  {
    flag: 'probe-timeout',
    env: 'PROBE_TIMEOUT',
    kind: 'duration',
    help: 'time limit of one probe',
    default: '5s',
  },
  {
    flag: 'probe-concurrency',
    env: 'PROBE_CONCURRENCY',
    kind: 'int',
    help: 'probes in flight at most',
    default: '8',
  },
  {
    flag: 'leader-elect',
    env: 'LEADER_ELECT',
    kind: 'bool',
    help: 'elect a leader with a Lease (false for one replica/dev)',
    default: 'true',
  },
  {
    flag: 'lease-name',
    env: 'LEASE_NAME',
    kind: 'string',
    help: 'name of the leader election Lease',
    default: 'agent-registry-controller',
  },
  {
    flag: 'lease-namespace',
    env: 'LEASE_NAMESPACE',
    kind: 'string',
    help: 'namespace of the Lease (else POD_NAMESPACE, else default)',
  },
  {
    flag: 'lease-duration',
    env: 'LEASE_DURATION',
    kind: 'duration',
    help: 'how long a leader holds the Lease without renewing',
    default: '15s',
  },
  {
    flag: 'http-port',
    env: 'HTTP_PORT',
    kind: 'int',
    help: 'port of /healthz, /readyz, /metrics (0 = any free port)',
    default: '8081',
  },
  {
    flag: 'http-host',
    env: 'HTTP_HOST',
    kind: 'string',
    help: 'address the HTTP server binds',
    default: '0.0.0.0',
  },
  {
    flag: 'log-level',
    env: 'LOG_LEVEL',
    kind: 'string',
    help: `log level (${LOG_LEVELS.join(', ')})`,
    default: 'info',
  },
  {
    flag: 'field-manager',
    env: 'FIELD_MANAGER',
    kind: 'string',
    help: 'server-side apply field manager',
    default: 'agent-registry-controller',
  },
  {
    flag: 'resync-period',
    env: 'RESYNC_PERIOD',
    kind: 'duration',
    help: 'full resync of every agent and card',
    default: '10m',
  },
];

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Parses `1h30m`, `30s`, `500ms`, `2m`; a bare number means seconds. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const parts = trimmed.match(/\d+(?:\.\d+)?(?:ms|s|m|h)/g);
  if (!parts || parts.join('') !== trimmed) return undefined;
  let total = 0;
  for (const part of parts) {
    const match = DURATION.exec(part);
    if (!match) return undefined;
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  }
  return Math.round(total);
}

function parseBool(text: string): boolean | undefined {
  const value = text.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  return undefined;
}

/** Reads `--flag=value`, `--flag value` and bare boolean `--flag` / `--no-flag`. */
function readFlags(
  argv: readonly string[],
  problems: string[],
): { values: Map<string, string>; help: boolean } {
  const values = new Map<string, string>();
  const specs = new Map(FLAGS.map((spec) => [spec.flag, spec]));
  let help = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      problems.push(`unexpected argument "${arg}" (flags look like --name=value)`);
      continue;
    }
    const eq = arg.indexOf('=');
    let name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    let value = eq === -1 ? undefined : arg.slice(eq + 1);
    if (value === undefined && name.startsWith('no-') && specs.get(name.slice(3))?.kind === 'bool') {
      name = name.slice(3);
      value = 'false';
    }
    const spec = specs.get(name);
    if (!spec) {
      problems.push(`unknown flag --${name} (see --help)`);
      continue;
    }
    if (value === undefined) {
      const next = argv[i + 1];
      if (
        spec.kind === 'bool' &&
        (next === undefined || next.startsWith('--') || parseBool(next) === undefined)
      ) {
        value = 'true';
      } else if (next === undefined) {
        problems.push(`--${name} needs a value`);
        continue;
      } else {
        value = next;
        i += 1;
      }
    }
    values.set(name, value);
  }
  return { values, help };
}

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
  const problems: string[] = [];
  /** Flags whose value was rejected: cross-field checks skip them (their fallback value is not the user's). */
  const rejected = new Set<string>();
  const { values, help } = readFlags(argv, problems);
  const raw = (flag: string): { text: string | undefined; source: string } => {
    const spec = FLAGS.find((f) => f.flag === flag) as FlagSpec;
    if (values.has(flag)) return { text: values.get(flag), source: `--${flag}` };
    const fromEnv = env[spec.env];
    if (fromEnv !== undefined && fromEnv !== '') return { text: fromEnv, source: spec.env };
    return { text: spec.default, source: `default of --${flag}` };
  };
  const str = (flag: string): string | undefined => raw(flag).text;
  const int = (flag: string, min: number, max: number): number => {
    const { text, source } = raw(flag);
    const value = Number(text);
    if (text === undefined || !/^\d+$/.test(text.trim()) || value < min || value > max) {
      problems.push(`${source}: "${text}" must be an integer from ${min} to ${max}`);
      rejected.add(flag);
      return min;
    }
    return value;
  };
  const duration = (flag: string, minMs: number, maxMs: number): number => {
    const { text, source } = raw(flag);
    const value = text === undefined ? undefined : parseDuration(text);
    if (value === undefined) {
      problems.push(`${source}: "${text}" is not a duration (e.g. 500ms, 30s, 2m, 1h)`);
      rejected.add(flag);
      return minMs;
    }
    if (value < minMs || value > maxMs) {
      problems.push(`${source}: ${text} must be between ${minMs}ms and ${maxMs / 1000}s`);
      rejected.add(flag);
    }
    return value;
  };

  const namespaces = (str('namespaces') ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  for (const namespace of namespaces) {
    if (!DNS_LABEL.test(namespace))
      problems.push(`${raw('namespaces').source}: "${namespace}" is not a namespace name`);
  }

  const clusterDomain = (str('cluster-domain') ?? '').replace(/\.$/, '');
  if (!DNS_SUBDOMAIN.test(clusterDomain)) {
    problems.push(`${raw('cluster-domain').source}: "${clusterDomain}" is not a DNS domain`);
  }

  const a2aVersion = str('a2a-version') as A2AVersion;
  if (!(A2A_VERSIONS as readonly string[]).includes(a2aVersion)) {
    problems.push(`${raw('a2a-version').source}: "${a2aVersion}" must be one of ${A2A_VERSIONS.join(', ')}`);
  }

  const leaderElectRaw = raw('leader-elect');
  const leaderElect = parseBool(leaderElectRaw.text ?? '');
  if (leaderElect === undefined)
    problems.push(`${leaderElectRaw.source}: "${leaderElectRaw.text}" must be true or false`);

  const leaseName = str('lease-name') ?? '';
  if (!DNS_SUBDOMAIN.test(leaseName))
    problems.push(`${raw('lease-name').source}: "${leaseName}" is not a valid name`);
  const leaseNamespace = str('lease-namespace') || env.POD_NAMESPACE || 'default';
  if (!DNS_LABEL.test(leaseNamespace))
    problems.push(`lease namespace "${leaseNamespace}" is not a namespace name`);

  const logLevel = str('log-level') as LogLevel;
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push(`${raw('log-level').source}: "${logLevel}" must be one of ${LOG_LEVELS.join(', ')}`);
  }

  const fieldManager = str('field-manager') ?? '';
  if (fieldManager.length === 0 || fieldManager.length > 128) {
    problems.push(`${raw('field-manager').source}: must be 1 to 128 characters`);
  }

  const httpHost = str('http-host') ?? '';
  if (httpHost === '') problems.push(`${raw('http-host').source}: must not be empty`);

  const config: ControllerConfig = {
    kubeconfig: str('kubeconfig') || undefined,
    namespaces: [...new Set(namespaces)],
    clusterDomain,
    defaultPort: int('default-port', 1, 65535),
    a2aVersion,
    concurrency: int('concurrency', 1, 1000),
    probeIntervalMs: duration('probe-interval', 100, 24 * 3_600_000),
    probeTimeoutMs: duration('probe-timeout', 10, 10 * 60_000),
    probeConcurrency: int('probe-concurrency', 1, 1000),
    leaderElect: leaderElect ?? true,
    leaseName,
    leaseNamespace,
    leaseDurationMs: duration('lease-duration', 1000, 10 * 60_000),
    httpPort: int('http-port', 0, 65535),
    httpHost,
    logLevel,
    fieldManager,
    resyncPeriodMs: duration('resync-period', 1000, 24 * 3_600_000),
  };
  if (
    !rejected.has('probe-interval') &&
    !rejected.has('probe-timeout') &&
    config.probeTimeoutMs > config.probeIntervalMs
  ) {
    problems.push(
      `probe timeout (${config.probeTimeoutMs}ms) must not exceed the probe interval (${config.probeIntervalMs}ms)`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { config, help };
}

/** The defaults with `overrides` on top, for tests and embedding (overrides are not re-validated). */
export function defineConfig(overrides: Partial<ControllerConfig> = {}): ControllerConfig {
  return { ...parseConfig([], {}).config, ...overrides };
}

export function helpText(): string {
  const lines = FLAGS.map((spec) => {
    const name = `--${spec.flag}`.padEnd(22);
    const def = spec.default === undefined || spec.default === '' ? '' : ` (default ${spec.default})`;
    return `  ${name} ${spec.help}${def} [env ${spec.env}]`;
  });
  return [
    'agent-registry-controller: turns annotated Agents into AgentCards and probes their health.',
    '',
    'Usage: node dist/main.js [flags]',
    '',
    'Flags (each also read from the environment variable shown; a flag wins):',
    ...lines,
    '',
  ].join('\n');
}
