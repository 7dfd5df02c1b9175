import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, onTestFinished, test } from 'vitest';
import { integration } from '@agent-registry/testing';
import { kagentAgent, kube, REGISTER, waitFor } from './support.js';

const mainFile = fileURLToPath(new URL('../main.ts', import.meta.url));

/**
 * A module hook that reports every `@opentelemetry/*` module the process resolves on stderr:
 * proof of what the process did (not) load, ESM and dynamic import() alike.
 */
const REPORT_OTEL_MODULES =
  'data:text/javascript,import{register}from"node:module";register("data:text/javascript,' +
  'export async function resolve(s,c,n){const r=await n(s,c);' +
  'if(r.url.includes(\\"/@opentelemetry/\\"))process.stderr.write(\\"otel-module \\"+r.url+\\"\\\\n\\");return r}")';

interface ReceivedSpan {
  name: string;
  attributes: Record<string, unknown>;
  service?: unknown;
}

type AnyValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean };
type KeyValue = { key: string; value: AnyValue };
type OtlpJson = {
  resourceSpans?: {
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: { spans?: { name: string; attributes?: KeyValue[] }[] }[];
  }[];
};

const valueOf = (value: AnyValue): unknown => value.stringValue ?? value.intValue ?? value.boolValue;

function spansOf(body: OtlpJson): ReceivedSpan[] {
  return (body.resourceSpans ?? []).flatMap((resourceSpans) => {
    const service = resourceSpans.resource?.attributes?.find((a) => a.key === 'service.name');
    return (resourceSpans.scopeSpans ?? []).flatMap((scope) =>
      (scope.spans ?? []).map((span) => ({
        name: span.name,
        attributes: Object.fromEntries((span.attributes ?? []).map((a) => [a.key, valueOf(a.value)])),
        service: service && valueOf(service.value),
      })),
    );
  });
}

/** A tiny real OTLP/HTTP receiver: records every request, and the spans of JSON trace exports. */
async function startOtlpReceiver() {
  const requests: { path: string; contentType: string }[] = [];
  const spans: ReceivedSpan[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const contentType = request.headers['content-type'] ?? '';
      requests.push({ path: request.url ?? '', contentType });
      if (request.url === '/v1/traces' && contentType.includes('json')) {
        spans.push(...spansOf(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpJson));
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    spans,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The controller's real entry point, as a process, against the test control plane. */
function runController(kubeconfigPath: string, namespace: string, env: NodeJS.ProcessEnv) {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('OTEL_') && key !== 'KUBECONFIG'),
  );
  const child = spawn(
    process.execPath,
    [
      '--import',
      REPORT_OTEL_MODULES,
      '--import',
      'tsx',
      mainFile,
      '--kubeconfig',
      kubeconfigPath,
      '--leader-elect=false',
      '--namespaces',
      namespace,
      '--http-host',
      '127.0.0.1',
      '--http-port',
      '0',
      '--log-level',
      'warn',
    ],
    { env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  onTestFinished(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exit;
  });
  return { child, exit, output: () => output };
}

integration.describe('OpenTelemetry export of the controller process', (controlPlane) => {
  const k = kube(controlPlane.kubeConfig);
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(() => receiver.close());

  test('exports reconcile spans over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set, flushed on SIGTERM', async () => {
    const { name: ns } = await controlPlane.createNamespace('otel');
    const controller = runController(controlPlane.kubeconfigPath, ns, {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      // Long enough that only the shutdown flush can deliver the spans in time.
      OTEL_BSP_SCHEDULE_DELAY: '60000',
    });
    await k.apply(kagentAgent(ns, 'traced', REGISTER));
    await waitFor('the card of the traced agent', () => k.card(ns, 'traced'));
    expect(receiver.spans).toEqual([]);

    controller.child.kill('SIGTERM');
    expect(await controller.exit, controller.output()).toBe(0);

    expect(receiver.requests.some((r) => r.path === '/v1/traces' && r.contentType.includes('json'))).toBe(
      true,
    );
    const reconciles = receiver.spans.filter((span) => span.name === 'reconcile');
    expect(reconciles).toContainEqual(
      expect.objectContaining({
        attributes: expect.objectContaining({
          'agent_registry.key': `${ns}/traced`,
          'agent_registry.result': 'success',
        }) as unknown,
        service: 'agent-registry-controller',
      }),
    );
    expect(controller.output()).toMatch(/otel-module .*\/@opentelemetry\/sdk-node\//);
  });

  test('sends nothing and never loads the SDK without OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    const { name: ns } = await controlPlane.createNamespace('otel-off');
    const controller = runController(controlPlane.kubeconfigPath, ns, {
      // Everything else that would configure an exporter is there; only the endpoint is missing.
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '50',
    });
    await k.apply(kagentAgent(ns, 'untraced', REGISTER));
    await waitFor('the card of the untraced agent', () => k.card(ns, 'untraced'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    controller.child.kill('SIGTERM');
    expect(await controller.exit, controller.output()).toBe(0);
    expect(receiver.requests).toEqual([]);
    expect(controller.output()).toMatch(/otel-module .*\/@opentelemetry\/api\//);
    expect(controller.output()).not.toMatch(/otel-module .*\/@opentelemetry\/sdk-node\//);
  });
});
