import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { refuseImports } from '@agent-registry/testing';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_MANIFESTS_DIR, parseConfig } from '../config.js';

const mainFile = fileURLToPath(new URL('../main.ts', import.meta.url));

function run(args: string[], env: NodeJS.ProcessEnv = {}, nodeFlags: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', ...nodeFlags, mainFile, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exit, output: () => ({ stdout, stderr }) };
}

describe('configuration', () => {
  it('has the contract defaults', () => {
    const parsed = parseConfig([], {});
    expect(parsed).toMatchObject({
      help: false,
      config: {
        store: 'embedded',
        manifests: DEFAULT_MANIFESTS_DIR,
        host: '127.0.0.1',
        port: 8084,
        auth: 'none',
        rateLimit: 50,
        rateBurst: 100,
        cacheMaxAge: 60,
        requestTimeoutMs: 10_000,
        logLevel: 'info',
        corsOrigins: [],
        trustedProxies: [],
        watchMaxDurationMs: 30 * 60_000,
        metricsAuth: false,
      },
    });
  });

  it('parses --trusted-proxies, --watch-max-duration and --metrics-auth (and their env variables)', () => {
    const parsed = parseConfig(['--watch-max-duration', '2h', '--metrics-auth', 'true'], {
      TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.7,fd00::/8',
      WATCH_MAX_DURATION: '5m',
      METRICS_AUTH: 'false',
    });
    expect(parsed).toMatchObject({
      config: {
        trustedProxies: ['10.0.0.0/8', '192.168.1.7', 'fd00::/8'],
        watchMaxDurationMs: 2 * 3_600_000,
        metricsAuth: true,
      },
    });
    expect(parseConfig([], { WATCH_MAX_DURATION: '0' })).toMatchObject({ config: { watchMaxDurationMs: 0 } });
  });

  it('reads env, lets flags win, and parses durations and lists', () => {
    const parsed = parseConfig(['--port', '9000', '--request-timeout', '500ms'], {
      PORT: '1234',
      HOST: '0.0.0.0',
      CORS_ORIGINS: 'https://a.example.com, https://b.example.com',
      WATCH_NAMESPACES: 'a,b',
      STORE: 'kubernetes',
    });
    expect(parsed).toMatchObject({
      config: {
        port: 9000,
        host: '0.0.0.0',
        requestTimeoutMs: 500,
        namespaces: ['a', 'b'],
        store: 'kubernetes',
      },
    });
    if (!parsed.help)
      expect(parsed.config.corsOrigins).toEqual(['https://a.example.com', 'https://b.example.com']);
  });

  it.each([
    [['--port', 'x'], '--port'],
    [['--store', 'sql'], '--store'],
    [['--auth', 'token'], '--tokens-file'],
    [['--manifests', '/does/not/exist'], '--manifests'],
    [['--request-timeout', 'soon'], '--request-timeout'],
    [['--public-url', 'ftp://x'], '--public-url'],
    [['--namespaces', 'Bad_Name'], '--namespaces'],
    [['--bogus'], 'bogus'],
    [['--trusted-proxies', '10.0.0.0/40'], '--trusted-proxies'],
    [['--trusted-proxies', 'ingress.local'], '--trusted-proxies'],
    [['--watch-max-duration', '25h'], '--watch-max-duration'],
    [['--metrics-auth', 'maybe'], '--metrics-auth'],
  ])('rejects %j naming %s', (args, mention) => {
    expect(() => parseConfig(args, {})).toThrow(ConfigError);
    expect(() => parseConfig(args, {})).toThrow(mention);
  });

  it('--trusted-jku-origins takes origins only', () => {
    expect(() => parseConfig(['--trusted-jku-origins', 'https://keys.example.com/jwks.json'], {})).toThrow(
      /--trusted-jku-origins: "https:\/\/keys.example.com\/jwks.json" must be an origin/,
    );
    expect(
      parseConfig([], { TRUSTED_JKU_ORIGINS: 'https://a.example,https://b.example:8443' }),
    ).toMatchObject({
      config: { trustedJkuOrigins: ['https://a.example', 'https://b.example:8443'] },
    });
  });

  it('takes --signing-key / SIGNING_KEY_FILE and --trusted-jwks / TRUSTED_JWKS as lists of paths', () => {
    const parsed = parseConfig(['--signing-key', 'keys/a.pem, /etc/b'], { TRUSTED_JWKS: 'partners' }, '/srv');
    expect(parsed).toMatchObject({
      config: { signingKeyFiles: ['/srv/keys/a.pem', '/etc/b'], trustedJwksFiles: ['/srv/partners'] },
    });
    expect(parseConfig([], { SIGNING_KEY_FILE: '/etc/agent-registry/signing' })).toMatchObject({
      config: { signingKeyFiles: ['/etc/agent-registry/signing'], trustedJwksFiles: [] },
    });
  });
});

describe('main', () => {
  it('starts on the examples, prints the URL, and exits 0 on SIGTERM', async () => {
    // On its embedded store the registry never loads @kubernetes/client-node (≈ 60 MB of RSS).
    const proc = run(['--port', '0', '--log-level', 'warn'], {}, refuseImports('@kubernetes/client-node'));
    await expect
      .poll(() => proc.output().stdout, { timeout: 15_000 })
      .toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    const { stdout } = proc.output();
    expect(stdout).toMatch(/\(embedded store, 7 cards from .*examples\)/);
    const [, url] = /(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout) ?? [];
    if (url === undefined) throw new Error(`no URL in the output: ${stdout}`);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const controller = new AbortController();
    const watch = await fetch(`${url}/api/v1alpha1/registry/cards?watch=true`, { signal: controller.signal });
    expect(watch.status).toBe(200);
    proc.child.kill('SIGTERM');
    expect(await proc.exit).toBe(0);
    controller.abort();
  });

  it('exits 2 with a clear message on a bad flag, and 0 for --help', async () => {
    const bad = run(['--port', 'nope']);
    const help = run(['--help']);
    expect(await bad.exit).toBe(2);
    expect(bad.output().stderr).toContain('--port');
    expect(await help.exit).toBe(0);
    expect(help.output().stdout).toContain('--manifests');
  });
});
