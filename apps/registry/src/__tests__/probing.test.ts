import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ConfigError, parseConfig } from '../config.js';

const mainFile = fileURLToPath(new URL('../main.ts', import.meta.url));

describe('probe flags', () => {
  it('probe in embedded mode by default, with the controller defaults', () => {
    expect(parseConfig([], {})).toMatchObject({
      config: { probing: true, probeIntervalMs: 30_000, probeTimeoutMs: 5_000, probeConcurrency: 8 },
    });
  });

  it('--no-probing, --probing=false and PROBING=false turn probing off', () => {
    for (const [argv, env] of [
      [['--no-probing'], {}],
      [['--probing=false'], {}],
      [['--probing', 'off'], {}],
      [[], { PROBING: 'false' }],
    ] as const) {
      expect(parseConfig(argv, env), argv.join(' ')).toMatchObject({ config: { probing: false } });
    }
  });

  it('takes interval, timeout and concurrency from flags or the environment', () => {
    expect(
      parseConfig(['--probe-interval', '2s', '--probe-timeout=500ms'], { PROBE_CONCURRENCY: '3' }),
    ).toMatchObject({ config: { probeIntervalMs: 2000, probeTimeoutMs: 500, probeConcurrency: 3 } });
  });

  it.each([
    [['--probe-interval', '50ms'], '--probe-interval'],
    [['--probe-interval', 'soon'], '--probe-interval'],
    [['--probe-timeout', '0'], '--probe-timeout'],
    [['--probe-concurrency', '0'], '--probe-concurrency'],
    [['--probing', 'maybe'], '--probing'],
    [['--probe-interval', '1s', '--probe-timeout', '2s'], 'must not exceed the probe interval'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseConfig(argv, {})).toThrow(ConfigError);
    expect(() => parseConfig(argv, {})).toThrow(message);
  });
});

/** A real agent serving its card at /.well-known/agent-card.json. */
async function startAgent(): Promise<{ url: string; requests(): number; close(): Promise<void> }> {
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    response.writeHead(request.url === '/.well-known/agent-card.json' ? 200 : 404, {
      'content-type': 'application/json',
    });
    response.end(JSON.stringify({ name: 'live-agent', description: 'probed', version: '1.0.0' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  onTestFinished(close);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close,
  };
}

/** The registry app in its own process over a manifests directory holding one card for `endpoint`. */
async function runRegistry(endpoint: string, args: string[]): Promise<{ health(): Promise<string> }> {
  const dir = await mkdtemp(join(tmpdir(), 'registry-app-probing-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  await writeFile(
    join(dir, 'card.yaml'),
    [
      'apiVersion: kagent.dev/v1alpha1',
      'kind: AgentCard',
      'metadata: {name: live, namespace: team}',
      `spec: {endpoints: ['${endpoint}']}`,
      'status: {health: Unknown}',
    ].join('\n'),
  );
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', mainFile, '--manifests', dir, '--port', '0', '--log-level', 'warn', ...args],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise((resolve) => child.on('exit', resolve));
  onTestFinished(async () => {
    child.kill('SIGTERM');
    await exited;
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const listening = /listening on (http:\/\/127\.0\.0\.1:\d+)/;
  await expect.poll(() => stdout, { timeout: 20_000 }).toMatch(listening);
  const [, url] = listening.exec(stdout) ?? [];
  if (url === undefined) throw new Error(`no URL in the output: ${stdout}`);
  return {
    async health() {
      const card = (await (await fetch(`${url}/api/v1alpha1/registry/cards/team/live`)).json()) as {
        status?: { health?: string };
      };
      return card.status?.health ?? '';
    },
  };
}

describe('the registry app', () => {
  it('probes its cards: a live local agent turns Healthy, and Unhealthy once it stops', async () => {
    const agent = await startAgent();
    const registry = await runRegistry(agent.url, ['--probe-interval', '500ms', '--probe-timeout', '250ms']);
    await expect.poll(() => registry.health(), { timeout: 10_000, interval: 50 }).toBe('Healthy');
    await agent.close();
    await expect.poll(() => registry.health(), { timeout: 10_000, interval: 50 }).toBe('Unhealthy');
  });

  it('--no-probing: the card keeps the health its file says and the agent is never called', async () => {
    const agent = await startAgent();
    const registry = await runRegistry(agent.url, [
      '--no-probing',
      '--probe-interval',
      '200ms',
      '--probe-timeout',
      '100ms',
    ]);
    expect(await registry.health()).toBe('Unknown');
    await new Promise((resolve) => setTimeout(resolve, 1000)); // five intervals, had probing been on
    expect(await registry.health()).toBe('Unknown');
    expect(agent.requests()).toBe(0);
  });
});
