import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, onTestFinished, test } from 'vitest';
import { integration, REPORT_OTEL_MODULES, startOtlpReceiver } from '@agent-registry/testing';
import { kagentAgent, kube, REGISTER, waitFor } from '../testing.js';

const mainFile = fileURLToPath(new URL('../main.ts', import.meta.url));

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

integration.withKagent('OpenTelemetry export of the controller process', (controlPlane) => {
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
