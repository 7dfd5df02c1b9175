import { describe, expect, it } from 'vitest';
import { ConfigError, helpText, parseConfig } from '../config.js';

const problemsOf = (argv: string[], env: NodeJS.ProcessEnv = {}): readonly string[] => {
  try {
    parseConfig(argv, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('parseConfig', () => {
  it('has the documented defaults', () => {
    const { config, help } = parseConfig([], {});
    expect(help).toBe(false);
    expect(config).toMatchObject({
      namespaces: [],
      clusterDomain: 'cluster.local',
      defaultPort: 8080,
      a2aVersion: '0.3.0',
      concurrency: 4,
      probeIntervalMs: 30_000,
      probeTimeoutMs: 5_000,
      probeConcurrency: 8,
      leaderElect: true,
      leaseName: 'agent-registry-controller',
      leaseNamespace: 'default',
      leaseDurationMs: 15_000,
      httpPort: 8081,
      httpHost: '0.0.0.0',
      logLevel: 'info',
      fieldManager: 'agent-registry-controller',
    });
    expect(config.kubeconfig).toBeUndefined();
  });

  it('reads the environment, and flags win over it', () => {
    const env = {
      WATCH_NAMESPACES: 'a, b,a',
      CONCURRENCY: '2',
      LEADER_ELECT: 'false',
      POD_NAMESPACE: 'ops',
      PROBE_INTERVAL: '1m',
    };
    const { config } = parseConfig(['--concurrency=7', '--probe-timeout', '2s'], env);
    expect(config.namespaces).toEqual(['a', 'b']);
    expect(config.concurrency).toBe(7);
    expect(config.leaderElect).toBe(false);
    expect(config.leaseNamespace).toBe('ops');
    expect(config.probeIntervalMs).toBe(60_000);
    expect(config.probeTimeoutMs).toBe(2_000);
  });

  it('accepts bare and negated boolean flags', () => {
    expect(parseConfig(['--leader-elect'], { LEADER_ELECT: 'false' }).config.leaderElect).toBe(true);
    expect(parseConfig(['--no-leader-elect'], {}).config.leaderElect).toBe(false);
    expect(parseConfig(['--leader-elect', 'false'], {}).config.leaderElect).toBe(false);
    expect(parseConfig(['--lease-namespace=x', '--leader-elect=0'], {}).config).toMatchObject({
      leaderElect: false,
      leaseNamespace: 'x',
    });
  });

  it('reports every problem at once, naming where each value came from', () => {
    const problems = problemsOf(
      ['--concurrency=0', '--probe-interval=soon', '--bogus', '--a2a-version=2.0'],
      {
        LOG_LEVEL: 'loud',
        WATCH_NAMESPACES: 'Bad_NS',
        HTTP_PORT: '70000',
      },
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('--concurrency: "0" must be an integer from 1 to 1000'),
        expect.stringContaining('--probe-interval: "soon" is not a duration'),
        expect.stringContaining('unknown flag --bogus'),
        expect.stringContaining('--a2a-version: "2.0" must be one of 0.3.0, 1.0'),
        expect.stringContaining('LOG_LEVEL: "loud"'),
        expect.stringContaining('WATCH_NAMESPACES: "Bad_NS" is not a namespace name'),
        expect.stringContaining('HTTP_PORT: "70000"'),
      ]),
    );
  });

  it('rejects a probe timeout longer than the interval', () => {
    expect(problemsOf(['--probe-interval=1s', '--probe-timeout=2s'])).toEqual([
      expect.stringContaining('must not exceed the probe interval'),
    ]);
  });

  it.each([
    [['--probe-interval', 'x'], '--probe-interval: "x" is not a duration'],
    [['--probe-timeout', 'soon', '--probe-interval', '1s'], '--probe-timeout: "soon" is not a duration'],
    [['--probe-interval', '50ms'], '--probe-interval: 50ms must be between'],
    [['--probe-timeout', '11m'], '--probe-timeout: 11m must be between'],
  ])('reports only the bad value of %j, not a timeout-vs-interval clash', (argv, problem) => {
    expect(problemsOf(argv)).toEqual([expect.stringContaining(problem)]);
  });

  it('rejects a flag without its value', () => {
    expect(problemsOf(['--lease-name'])).toEqual([expect.stringContaining('--lease-name needs a value')]);
  });

  it('recognises --help and documents every flag with its variable', () => {
    expect(parseConfig(['--help'], {}).help).toBe(true);
    const text = helpText();
    for (const name of [
      '--kubeconfig',
      '--namespaces',
      'WATCH_NAMESPACES',
      '--field-manager',
      'FIELD_MANAGER',
      '--http-port',
    ]) {
      expect(text).toContain(name);
    }
  });
});
