import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AUTH_MODES, type AuthMode } from './auth/types.js';
import { isIpOrCidr } from './http/clientAddress.js';
import { LOG_LEVELS, type LogLevel } from './logger.js';
import { ConfigError } from '@agent-registry/app-shell';

export const STORE_KINDS = ['embedded', 'kubernetes'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

export interface RegistryConfig {
  store: StoreKind;
  manifests: string;
  kubeconfig: string | undefined;
  namespaces: string[];
  host: string;
  port: number;
  auth: AuthMode;
  tokensFile: string | undefined;
  corsOrigins: string[];
  rateLimit: number;
  rateBurst: number;
  cacheMaxAge: number;
  requestTimeoutMs: number;
  logLevel: LogLevel;
  publicUrl: string | undefined;
  allowedHosts: string[];
  exposeProblems: boolean;
  trustedProxies: string[];
  watchMaxDurationMs: number;
  metricsAuth: boolean;
  /** Files or directories of private keys that sign served cards (loaded by @agent-registry/card-signing). */
  signingKeyFiles: string[];
  /** Files or directories of JWK Sets trusted to verify the signatures publishers put on their cards. */
  trustedJwksFiles: string[];
  /** Origins whose JWK Sets a publisher signature's `jku` may name (fetched, bounded, cached). */
  trustedJkuOrigins: string[];
}

/** The repo's examples/, resolved from this module (src/ or dist/ alike). */
export const DEFAULT_MANIFESTS_DIR = fileURLToPath(new URL('../../../examples/', import.meta.url)).replace(
  /\/$/,
  '',
);

/** Each flag, its env variable and help text. */
const FLAGS = {
  store: { env: 'STORE', help: 'embedded | kubernetes (default embedded)' },
  manifests: {
    env: 'MANIFESTS_DIR',
    help: `directory of manifests for the embedded store (default ${DEFAULT_MANIFESTS_DIR})`,
  },
  kubeconfig: { env: 'KUBECONFIG', help: 'kubeconfig file (default: in-cluster, else ~/.kube/config)' },
  namespaces: { env: 'WATCH_NAMESPACES', help: 'comma-separated namespaces to watch (default all)' },
  host: { env: 'HOST', help: 'listen address (default 127.0.0.1)' },
  port: { env: 'PORT', help: 'listen port (default 8084; 0 = any free port)' },
  auth: { env: 'AUTH_MODE', help: 'none | token | kubernetes (default none)' },
  'tokens-file': { env: 'TOKENS_FILE', help: 'YAML/JSON tokens file for --auth=token' },
  'cors-origins': {
    env: 'CORS_ORIGINS',
    help: 'comma-separated allowed origins, * for any (default: CORS off)',
  },
  'rate-limit': { env: 'RATE_LIMIT', help: 'requests per second per client, 0 = off (default 50)' },
  'rate-burst': { env: 'RATE_BURST', help: 'burst size per client (default 100)' },
  'trusted-proxies': {
    env: 'TRUSTED_PROXIES',
    help: 'comma-separated proxy IPs/CIDRs whose X-Forwarded-For is believed (default none)',
  },
  'cache-max-age': { env: 'CACHE_MAX_AGE', help: 'Cache-Control max-age of cards in seconds (default 60)' },
  'request-timeout': {
    env: 'REQUEST_TIMEOUT',
    help: 'time budget per request, e.g. 10s, 500ms (default 10s)',
  },
  'watch-max-duration': {
    env: 'WATCH_MAX_DURATION',
    help: 'longest life of a watch stream, e.g. 30m, 1h; 0 = unlimited (default 30m, jittered)',
  },
  'metrics-auth': {
    env: 'METRICS_AUTH',
    help: 'true: /metrics needs a valid token when --auth is on (default false: public)',
  },
  'signing-key': {
    env: 'SIGNING_KEY_FILE',
    help: 'comma-separated PEM/JWK/JWK Set files or directories of keys that sign served cards (default: unsigned)',
  },
  'trusted-jwks': {
    env: 'TRUSTED_JWKS',
    help: 'comma-separated JWK Set/JWK/PEM files or directories trusted for publisher card signatures (default none)',
  },
  'trusted-jku-origins': {
    env: 'TRUSTED_JKU_ORIGINS',
    help: "comma-separated origins (https://keys.example.com) whose JWK Sets a publisher signature's jku may name (default none)",
  },
  'log-level': { env: 'LOG_LEVEL', help: 'debug | info | warn | error | silent (default info)' },
  'public-url': {
    env: 'PUBLIC_URL',
    help: 'base URL used in emitted cards (default: an --allowed-hosts Host, else relative URLs)',
  },
  'allowed-hosts': {
    env: 'ALLOWED_HOSTS',
    help: 'comma-separated Host values (name or name:port) card URLs may be built from without --public-url (default none)',
  },
  'expose-problems': {
    env: 'EXPOSE_PROBLEMS',
    help: 'true: serve /api/v1alpha1/registry/problems with --auth=none (default false; with auth it is always served, filtered)',
  },
} as const;

export { ConfigError };

export function helpText(): string {
  const lines = Object.entries(FLAGS).map(
    ([flag, { env, help }]) => `  --${flag.padEnd(18)} ${help} [${env}]`,
  );
  return [
    'Usage: node apps/registry/dist/main.js [flags]',
    '',
    'Agent Registry: REST API, per-agent A2A well-known cards, MCP and a web catalog.',
    'Each flag can also be set by the environment variable in brackets; a flag wins.',
    '',
    ...lines,
    '  --help               show this help',
  ].join('\n');
}

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

function duration(flag: string, value: string, { maxHours = 1, allowZero = false } = {}): number {
  if (allowZero && value.trim() === '0') return 0;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!match)
    throw new ConfigError(`--${flag}: ${JSON.stringify(value)} is not a duration such as 10s, 500ms or 1m`);
  const ms = Number(match[1]) * UNIT_MS[(match[2] ?? 's') as keyof typeof UNIT_MS];
  if (ms < 1 || ms > maxHours * 3_600_000) {
    throw new ConfigError(`--${flag}: must be between 1ms and ${maxHours}h${allowZero ? ' (or 0)' : ''}`);
  }
  return Math.round(ms);
}

function boolean(flag: string, value: string): boolean {
  const normalized = value.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(normalized)) return true;
  if (['false', '0', 'no'].includes(normalized)) return false;
  throw new ConfigError(`--${flag}: ${JSON.stringify(value)} must be true or false`);
}

function integer(flag: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(`--${flag}: ${JSON.stringify(value)} must be an integer from ${min} to ${max}`);
  }
  return Number(value);
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(`--${flag}: ${JSON.stringify(value)} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** Parses flags and environment; `help: true` when --help was given. Throws ConfigError on bad input. */
export function parseConfig(
  argv: string[],
  env: NodeJS.ProcessEnv,
  cwd: string = process.cwd(),
): { help: true } | { help: false; config: RegistryConfig } {
  const options = Object.fromEntries(
    Object.keys(FLAGS).map((flag) => [flag, { type: 'string' as const }]),
  ) as Record<keyof typeof FLAGS, { type: 'string' }>;
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ConfigError(`${(error as Error).message} (see --help)`);
  }
  if (values.help) return { help: true };
  const get = (flag: keyof typeof FLAGS): string | undefined => {
    const value = values[flag] ?? env[FLAGS[flag].env];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };

  const store = oneOf('store', get('store') ?? 'embedded', STORE_KINDS);
  const manifests = resolve(cwd, get('manifests') ?? DEFAULT_MANIFESTS_DIR);
  if (store === 'embedded' && !(existsSync(manifests) && statSync(manifests).isDirectory())) {
    throw new ConfigError(`--manifests: ${manifests} is not a directory`);
  }
  const namespaces = list(get('namespaces'));
  for (const namespace of namespaces) {
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace)) {
      throw new ConfigError(`--namespaces: ${JSON.stringify(namespace)} is not a namespace name`);
    }
  }
  const auth = oneOf('auth', get('auth') ?? 'none', AUTH_MODES);
  const tokensFile = get('tokens-file') ? resolve(cwd, get('tokens-file') as string) : undefined;
  if (auth === 'token' && !tokensFile) throw new ConfigError('--auth=token needs --tokens-file');
  if (tokensFile && !existsSync(tokensFile))
    throw new ConfigError(`--tokens-file: ${tokensFile} does not exist`);
  const publicUrl = get('public-url');
  if (publicUrl !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(publicUrl);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.search || parsed.hash) {
      throw new ConfigError(
        `--public-url: ${JSON.stringify(publicUrl)} must be an http(s) URL without query or fragment`,
      );
    }
  }
  const allowedHosts = list(get('allowed-hosts')).map((host) => host.toLowerCase());
  for (const host of allowedHosts) {
    if (!/^[a-z0-9]([a-z0-9.-]{0,252})(:\d{1,5})?$|^\[[0-9a-f:.]{2,45}\](:\d{1,5})?$/.test(host)) {
      throw new ConfigError(
        `--allowed-hosts: ${JSON.stringify(host)} must be a host name or address, optionally with :port`,
      );
    }
  }
  const trustedProxies = list(get('trusted-proxies'));
  for (const proxy of trustedProxies) {
    if (!isIpOrCidr(proxy)) {
      throw new ConfigError(
        `--trusted-proxies: ${JSON.stringify(proxy)} must be an IP address or CIDR such as 10.0.0.0/8`,
      );
    }
  }
  const trustedJkuOrigins = list(get('trusted-jku-origins'));
  for (const origin of trustedJkuOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new ConfigError(
        `--trusted-jku-origins: ${JSON.stringify(origin)} must be an origin such as https://keys.example.com`,
      );
    }
  }
  const corsOrigins = list(get('cors-origins'));
  for (const origin of corsOrigins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new ConfigError(
        `--cors-origins: ${JSON.stringify(origin)} must be * or an origin such as https://example.com`,
      );
    }
  }
  return {
    help: false,
    config: {
      store,
      manifests,
      kubeconfig: get('kubeconfig') ? resolve(cwd, get('kubeconfig') as string) : undefined,
      namespaces,
      host: get('host') ?? '127.0.0.1',
      port: integer('port', get('port') ?? '8084', 0, 65535),
      auth,
      tokensFile,
      corsOrigins,
      rateLimit: integer('rate-limit', get('rate-limit') ?? '50', 0, 1_000_000),
      rateBurst: integer('rate-burst', get('rate-burst') ?? '100', 1, 1_000_000),
      cacheMaxAge: integer('cache-max-age', get('cache-max-age') ?? '60', 0, 31_536_000),
      requestTimeoutMs: duration('request-timeout', get('request-timeout') ?? '10s'),
      logLevel: oneOf('log-level', get('log-level') ?? 'info', LOG_LEVELS),
      publicUrl,
      allowedHosts,
      exposeProblems: boolean('expose-problems', get('expose-problems') ?? 'false'),
      trustedProxies,
      watchMaxDurationMs: duration('watch-max-duration', get('watch-max-duration') ?? '30m', {
        maxHours: 24,
        allowZero: true,
      }),
      metricsAuth: boolean('metrics-auth', get('metrics-auth') ?? 'false'),
      // Read (and refused, naming the file) when the server starts, as mounted Secrets may appear late.
      signingKeyFiles: list(get('signing-key')).map((path) => resolve(cwd, path)),
      trustedJwksFiles: list(get('trusted-jwks')).map((path) => resolve(cwd, path)),
      trustedJkuOrigins,
    },
  };
}
