import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPORT_OTEL_MODULES, startOtlpReceiver } from '@agent-registry/testing';
import { API_BASE as API } from '@agent-registry/registry-server';
import { DEFAULT_MANIFESTS_DIR } from '../config.js';

const mainFile = fileURLToPath(new URL('../main.ts', import.meta.url));

/** The registry's real entry point on a free port over the examples. */
function runRegistry(manifests: string, env: NodeJS.ProcessEnv) {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('OTEL_')),
  );
  const child = spawn(
    process.execPath,
    [
      '--import',
      REPORT_OTEL_MODULES,
      '--import',
      'tsx',
      mainFile,
      '--port',
      '0',
      '--manifests',
      manifests,
      '--log-level',
      'warn',
    ],
    { env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exit,
    output: () => ({ stdout, stderr }),
    async url(): Promise<string> {
      await expect.poll(() => stdout, { timeout: 15_000 }).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
      const [, url] = /(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout) ?? [];
      if (url === undefined) throw new Error(`no URL in the output: ${stdout}`);
      return url;
    },
  };
}

describe('OpenTelemetry export of the registry process', { timeout: 30_000 }, () => {
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('exports a span per request to OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set, and flushes on SIGTERM', async () => {
    const registry = runRegistry(DEFAULT_MANIFESTS_DIR, {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      // Long enough that only the shutdown flush can deliver the spans in time.
      OTEL_BSP_SCHEDULE_DELAY: '60000',
      OTEL_SERVICE_NAME: 'registry-under-test',
    });
    const url = await registry.url();
    expect((await fetch(`${url}${API}/cards`)).status).toBe(200);
    expect((await fetch(`${url}${API}/cards/team-data/sql-analyst`)).status).toBe(200);
    expect((await fetch(`${url}${API}/cards/team-data/missing`)).status).toBe(404);
    expect(receiver.spans).toEqual([]);

    registry.child.kill('SIGTERM');
    expect(await registry.exit, registry.output().stderr).toBe(0);

    expect(receiver.requests.some((r) => r.path === '/v1/traces' && r.contentType.includes('json'))).toBe(
      true,
    );
    const names = receiver.spans.map((span) => span.name);
    expect(names).toContain(`HTTP GET ${API}/cards`);
    expect(names).toContain(`HTTP GET ${API}/cards/:namespace/:name`);
    const missing = receiver.spans.find(
      (span) => span.attributes['url.path'] === `${API}/cards/team-data/missing`,
    );
    expect(missing?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': `${API}/cards/:namespace/:name`,
      'http.response.status_code': 404,
    });
    expect(missing?.service).toBe('registry-under-test');
    expect(registry.output().stderr).toMatch(/otel-module .*\/@opentelemetry\/sdk-node\//);
  });

  it('sends nothing and never loads the SDK without OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    const registry = runRegistry(DEFAULT_MANIFESTS_DIR, {
      // Everything else that would configure an exporter is there; only the endpoint is missing.
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '50',
    });
    const url = await registry.url();
    expect((await fetch(`${url}${API}/cards`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    registry.child.kill('SIGTERM');
    expect(await registry.exit).toBe(0);
    expect(receiver.requests).toEqual([]);
    const { stderr } = registry.output();
    expect(stderr).toMatch(/otel-module .*\/@opentelemetry\/api\//);
    expect(stderr).not.toMatch(/otel-module .*\/@opentelemetry\/sdk-node\//);
  });
});
