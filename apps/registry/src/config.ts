import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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
import { isDns1123Label } from '@agent-registry/crds';
import {
  AUTH_MODES,
  isIpOrCidr,
  STORE_KINDS,
  type AuthMode,
  type StoreKind,
} from '@agent-registry/registry-server';

export { ConfigError };

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
  /** Embedded store: probe each card's endpoint for `status.health` and `status.lastSeen`. */
  probing: boolean;
  probeIntervalMs: number;
  probeTimeoutMs: number;
  probeConcurrency: number;
}

/** The repo's examples/, resolved from this module (src/ or dist/ alike). */
export const DEFAULT_MANIFESTS_DIR = fileURLToPath(new URL('../../../examples/', import.meta.url)).replace(
  /\/$/,
  '',
);

/** Each flag: its environment variable, grammar (the app shell's), default and help. */
export const FLAGS = {
  store: { env: 'STORE', kind: 'string', default: 'embedded', help: 'embedded | kubernetes' },
  manifests: {
    env: 'MANIFESTS_DIR',
    kind: 'string',
    help: `directory of manifests for the embedded store (default ${DEFAULT_MANIFESTS_DIR})`,
  },
  kubeconfig: {
    env: 'KUBECONFIG',
    kind: 'string',
    help: 'kubeconfig file (default: in-cluster, else ~/.kube/config)',
  },
  namespaces: {
    env: 'WATCH_NAMESPACES',
    kind: 'list',
    help: 'comma-separated namespaces to watch (default all)',
  },
  host: { env: 'HOST', kind: 'string', default: '127.0.0.1', help: 'listen address' },
  port: { env: 'PORT', kind: 'int', default: '8084', help: 'listen port (0 = any free port)' },
  auth: { env: 'AUTH_MODE', kind: 'string', default: 'none', help: 'none | token | kubernetes' },
  'tokens-file': { env: 'TOKENS_FILE', kind: 'string', help: 'YAML/JSON tokens file for --auth=token' },
  'cors-origins': {
    env: 'CORS_ORIGINS',
    kind: 'list',
    help: 'comma-separated allowed origins, * for any (default: CORS off)',
  },
  'rate-limit': {
    env: 'RATE_LIMIT',
    kind: 'int',
    default: '50',
    help: 'requests per second per client, 0 = off',
  },
  'rate-burst': { env: 'RATE_BURST', kind: 'int', default: '100', help: 'burst size per client' },
  'trusted-proxies': {
    env: 'TRUSTED_PROXIES',
    kind: 'list',
    help: 'comma-separated proxy IPs/CIDRs whose X-Forwarded-For is believed (default none)',
  },
  'cache-max-age': {
    env: 'CACHE_MAX_AGE',
    kind: 'int',
    default: '60',
    help: 'Cache-Control max-age of cards in seconds',
  },
  'request-timeout': {
    env: 'REQUEST_TIMEOUT',
    kind: 'duration',
    default: '10s',
    help: 'time budget per request, e.g. 10s, 500ms',
  },
  'watch-max-duration': {
    env: 'WATCH_MAX_DURATION',
    kind: 'duration',
    default: '30m',
    help: 'longest life of a watch stream, e.g. 30m, 1h; 0 = unlimited (jittered)',
  },
  'metrics-auth': {
    env: 'METRICS_AUTH',
    kind: 'bool',
    default: 'false',
    help: 'true: /metrics needs a valid token when --auth is on (false: public)',
  },
  'signing-key': {
    env: 'SIGNING_KEY_FILE',
    kind: 'list',
    help: 'comma-separated PEM/JWK/JWK Set files or directories of keys that sign served cards (default: unsigned)',
  },
  'trusted-jwks': {
    env: 'TRUSTED_JWKS',
    kind: 'list',
    help: 'comma-separated JWK Set/JWK/PEM files or directories trusted for publisher card signatures (default none)',
  },
  'trusted-jku-origins': {
    env: 'TRUSTED_JKU_ORIGINS',
    kind: 'list',
    help: "comma-separated origins (https://keys.example.com) whose JWK Sets a publisher signature's jku may name (default none)",
  },
  probing: {
    env: 'PROBING',
    kind: 'bool',
    default: 'true',
    help: "embedded store: probe each card's endpoint for status.health and lastSeen, as the controller does (--no-probing: cards keep the health their files say)",
  },
  ...PROBE_FLAGS,
  'log-level': {
    env: 'LOG_LEVEL',
    kind: 'string',
    default: 'info',
    help: 'debug | info | warn | error | silent',
  },
  'public-url': {
    env: 'PUBLIC_URL',
    kind: 'string',
    help: 'base URL used in emitted cards (default: an --allowed-hosts Host, else relative URLs)',
  },
  'allowed-hosts': {
    env: 'ALLOWED_HOSTS',
    kind: 'list',
    help: 'comma-separated Host values (name or name:port) card URLs may be built from without --public-url (default none)',
  },
  'expose-problems': {
    env: 'EXPOSE_PROBLEMS',
    kind: 'bool',
    default: 'false',
    help: 'true: serve /api/v1alpha1/registry/problems with --auth=none (with auth it is always served, filtered)',
  },
} as const satisfies FlagSpecs;

export function helpText(): string {
  return renderHelp(FLAGS, {
    summary: 'Agent Registry: REST API, per-agent A2A well-known cards, MCP and a web catalog.',
    usage: 'node apps/registry/dist/main.js',
  });
}

const HOST = /^[a-z0-9]([a-z0-9.-]{0,252})(:\d{1,5})?$|^\[[0-9a-f:.]{2,45}\](:\d{1,5})?$/;

/**
 * Builds the configuration from command-line flags and the environment (a flag wins over its variable) with the
 * app shell's one grammar, and validates every value. `help: true` when --help was given. Throws one
 * {@link ConfigError} listing every problem.
 */
export function parseConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string = process.cwd(),
): { help: true } | { help: false; config: RegistryConfig } {
  const flags = readFlags(FLAGS, argv, env);
  if (flags.help) return { help: true };
  const path = (flag: 'manifests' | 'kubeconfig' | 'tokens-file'): string | undefined => {
    const value = flags.string(flag);
    return value ? resolve(cwd, value) : undefined;
  };

  const store = flags.oneOf('store', STORE_KINDS);
  const manifests = path('manifests') ?? DEFAULT_MANIFESTS_DIR;
  if (store === 'embedded' && !(existsSync(manifests) && statSync(manifests).isDirectory())) {
    flags.problem('manifests', `${manifests} is not a directory`);
  }
  const namespaces = flags.list('namespaces');
  for (const namespace of namespaces) {
    if (!isDns1123Label(namespace))
      flags.problem('namespaces', `${JSON.stringify(namespace)} is not a namespace name`);
  }
  const auth = flags.oneOf('auth', AUTH_MODES);
  const tokensFile = path('tokens-file');
  if (auth === 'token' && !tokensFile) flags.problem(undefined, '--auth=token needs --tokens-file');
  if (tokensFile && !existsSync(tokensFile)) flags.problem('tokens-file', `${tokensFile} does not exist`);
  const publicUrl = flags.string('public-url');
  if (publicUrl !== undefined && !isHttpBaseUrl(publicUrl)) {
    flags.problem(
      'public-url',
      `${JSON.stringify(publicUrl)} must be an http(s) URL without query or fragment`,
    );
  }
  const allowedHosts = flags.list('allowed-hosts').map((host) => host.toLowerCase());
  for (const host of allowedHosts) {
    if (!HOST.test(host)) {
      flags.problem(
        'allowed-hosts',
        `${JSON.stringify(host)} must be a host name or address, optionally with :port`,
      );
    }
  }
  const trustedProxies = flags.list('trusted-proxies');
  for (const proxy of trustedProxies) {
    if (!isIpOrCidr(proxy)) {
      flags.problem(
        'trusted-proxies',
        `${JSON.stringify(proxy)} must be an IP address or CIDR such as 10.0.0.0/8`,
      );
    }
  }
  const trustedJkuOrigins = flags.list('trusted-jku-origins');
  for (const origin of trustedJkuOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
      flags.problem(
        'trusted-jku-origins',
        `${JSON.stringify(origin)} must be an origin such as https://keys.example.com`,
      );
    }
  }
  const corsOrigins = flags.list('cors-origins');
  for (const origin of corsOrigins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      flags.problem(
        'cors-origins',
        `${JSON.stringify(origin)} must be * or an origin such as https://example.com`,
      );
    }
  }
  const config: RegistryConfig = {
    store,
    manifests,
    kubeconfig: path('kubeconfig'),
    namespaces,
    host: flags.string('host') ?? '127.0.0.1',
    port: flags.int('port', 0, 65535),
    auth,
    tokensFile,
    corsOrigins,
    rateLimit: flags.int('rate-limit', 0, 1_000_000),
    rateBurst: flags.int('rate-burst', 1, 1_000_000),
    cacheMaxAge: flags.int('cache-max-age', 0, 31_536_000),
    requestTimeoutMs: flags.duration('request-timeout', 1, 3_600_000),
    logLevel: flags.oneOf('log-level', LOG_LEVELS),
    publicUrl,
    allowedHosts,
    exposeProblems: flags.bool('expose-problems'),
    trustedProxies,
    watchMaxDurationMs: flags.duration('watch-max-duration', 1, 24 * 3_600_000, { allowZero: true }),
    metricsAuth: flags.bool('metrics-auth'),
    // Read (and refused, naming the file) when the server starts, as mounted Secrets may appear late.
    signingKeyFiles: flags.list('signing-key').map((file) => resolve(cwd, file)),
    trustedJwksFiles: flags.list('trusted-jwks').map((file) => resolve(cwd, file)),
    trustedJkuOrigins,
    probing: flags.bool('probing'),
    ...readProbeFlags(flags),
  };
  flags.finish();
  return { help: false, config };
}

function isHttpBaseUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return /^https?:$/.test(url.protocol) && !url.search && !url.hash;
  } catch {
    return false;
  }
}
