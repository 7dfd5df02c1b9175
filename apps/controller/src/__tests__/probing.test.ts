import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { expect, onTestFinished, test } from 'vitest';
import { KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { RequestContext } from '@kubernetes/client-node';
import { integration } from '@agent-registry/testing';
import type { AgentCard } from '@agent-registry/crds';
import { startController, type RunningController } from '../controller.js';
import { EndpointReadiness } from '@agent-registry/kube-runtime';
import { Prober } from '@agent-registry/agent-prober';
import { serviceReadinessPreflight } from '../serviceReadiness.js';
import { createLogger, silentLogger } from '@agent-registry/app-shell';
import type { ControllerConfig } from '../config.js';
import type { ControllerOptions } from '../controller.js';
import { kagentAgent, kube, REGISTER, startAgentServer, testConfig, waitFor } from '../testing.js';

/** A kubeconfig that records every API request (method and URL) made through it; watches excluded. */
class RecordingKubeConfig extends KubeConfig {
  readonly requests: { method: string; url: URL }[] = [];

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    this.requests.push({ method: String(context.getHttpMethod()), url: new URL(context.getUrl()) });
    await super.applySecurityAuthentication(context);
  }
}

const endpointSlice = (namespace: string, service: string, port: number, ready: boolean) =>
  ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${service}-abcde`, namespace, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    // The address is never dialled: probes go to the agent URL (a stand-in for cluster DNS below).
    endpoints: [{ addresses: ['10.0.0.7'], conditions: { ready } }],
    ports: [{ name: 'http', port, protocol: 'TCP' }],
  }) as KubernetesObject;

/** A server that accepts connections and never answers; counts sockets opened and closed. */
async function startHangingServer(): Promise<{
  url: string;
  opened(): number;
  closed(): number;
  close(): Promise<void>;
}> {
  let opened = 0;
  let closed = 0;
  const server: Server = createServer(() => {
    // never respond
  });
  server.on('connection', (socket: Socket) => {
    opened += 1;
    socket.on('close', () => (closed += 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    opened: () => opened,
    closed: () => closed,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

integration.withKagent('prober against a real apiserver and real agents', (controlPlane) => {
  const k = kube(controlPlane.kubeConfig);

  async function run(config: ControllerConfig, options: ControllerOptions = {}): Promise<RunningController> {
    const controller = await startController(config, {
      kubeConfig: controlPlane.kubeConfig,
      logger: process.env.TEST_LOGS ? createLogger({ level: 'debug' }) : silentLogger,
      processMetrics: false,
      ...options,
    });
    onTestFinished(() => controller.stop());
    return controller;
  }

  const probesDone = async (controller: RunningController): Promise<number> => {
    const metric = controller.metrics.registry.getSingleMetric('agent_registry_probe_total');
    const { values } = (await metric?.get()) ?? { values: [] };
    return values.reduce((sum, v) => sum + v.value, 0);
  };

  test('in-cluster services: ready EndpointSlice → probed Healthy, not ready → Unhealthy without a request, no LIST per probe', async () => {
    const { name: ns } = await controlPlane.createNamespace('slices');
    const agent = await startAgentServer();
    onTestFinished(() => agent.close());
    await k.apply(endpointSlice(ns, 'ready-agent', agent.port, true));
    await k.apply(endpointSlice(ns, 'down-agent', agent.port, false));

    // Cluster DNS stand-in: <service>.<ns>.svc.cluster.local:<port> → the real agent on 127.0.0.1:<port>.
    const dialled: string[] = [];
    const probeFetch: typeof fetch = (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      dialled.push(url.hostname);
      if (url.hostname.endsWith('.svc.cluster.local')) url.hostname = '127.0.0.1';
      return fetch(url, init);
    };
    const recording = new RecordingKubeConfig();
    recording.loadFromFile(controlPlane.kubeconfigPath);
    const endpointSliceLists = () =>
      recording.requests.filter(
        (r) =>
          r.method === 'GET' && r.url.pathname.endsWith('/endpointslices') && !r.url.search.includes('watch'),
      ).length;

    const controller = await run(
      testConfig(ns, { probeIntervalMs: 300, probeTimeoutMs: 250, defaultPort: agent.port }),
      { kubeConfig: recording, probeFetch },
    );
    await controller.whenReady();
    const listsAfterSync = endpointSliceLists();
    expect(listsAfterSync).toBe(1); // the informer's initial list of the one watched namespace

    await k.apply(kagentAgent(ns, 'ready-agent', REGISTER));
    await k.apply(kagentAgent(ns, 'down-agent', REGISTER));
    const ready = await waitFor('ready-agent Healthy', async () => {
      const card = await k.card(ns, 'ready-agent');
      return card?.status?.health === 'Healthy' ? card : undefined;
    });
    expect(ready.spec.endpoints).toEqual([`http://ready-agent.${ns}.svc.cluster.local:${agent.port}`]);
    await waitFor(
      'down-agent Unhealthy',
      async () => (await k.card(ns, 'down-agent'))?.status?.health === 'Unhealthy',
    );
    expect(agent.requests()).toBeGreaterThan(0);

    // Many probe rounds later: still the one LIST, and no request ever went to the service without ready endpoints.
    const before = await probesDone(controller);
    await waitFor('ten more probes', async () => (await probesDone(controller)) >= before + 10);
    expect(endpointSliceLists()).toBe(listsAfterSync);
    expect(dialled.filter((host) => host.startsWith('down-agent.'))).toEqual([]);

    // The cache follows the watch: the slice turns ready → the agent is probed and Healthy.
    await k.apply(endpointSlice(ns, 'down-agent', agent.port, true));
    await waitFor(
      'down-agent Healthy',
      async () => (await k.card(ns, 'down-agent'))?.status?.health === 'Healthy',
    );
    expect(dialled.some((host) => host.startsWith('down-agent.'))).toBe(true);
    expect(endpointSliceLists()).toBe(listsAfterSync);
  });

  test('a hanging agent times out as Unhealthy and does not stall probes of a healthy one', async () => {
    const { name: ns } = await controlPlane.createNamespace('hanging');
    const hanging = await startHangingServer();
    onTestFinished(() => hanging.close());
    const healthy = await startAgentServer();
    onTestFinished(() => healthy.close());
    // One probe slot: a probe that never ended would keep every other card from being probed.
    await run(testConfig(ns, { probeIntervalMs: 400, probeTimeoutMs: 150, probeConcurrency: 1 }));
    await k.apply(kagentAgent(ns, 'hang', { ...REGISTER, 'kagent.dev/a2a-endpoint': hanging.url }));
    await k.apply(kagentAgent(ns, 'fine', { ...REGISTER, 'kagent.dev/a2a-endpoint': healthy.url }));

    await waitFor('hang Unhealthy', async () => (await k.card(ns, 'hang'))?.status?.health === 'Unhealthy');
    await waitFor('fine Healthy', async () => (await k.card(ns, 'fine'))?.status?.health === 'Healthy');
    expect(hanging.opened()).toBeGreaterThan(0);

    // Over 2.4 s (six intervals) both keep being probed on schedule, and each hanging request is abandoned.
    const fineBefore = healthy.requests();
    const hangBefore = hanging.opened();
    await new Promise((resolve) => setTimeout(resolve, 2400));
    expect(healthy.requests() - fineBefore).toBeGreaterThanOrEqual(4);
    expect(hanging.opened() - hangBefore).toBeGreaterThanOrEqual(4);
    // The prober closed (aborted) every connection but possibly the one in flight.
    expect(hanging.closed()).toBeGreaterThanOrEqual(hanging.opened() - 1);
    expect((await k.card(ns, 'hang'))?.status?.health).toBe('Unhealthy');
    expect((await k.card(ns, 'fine'))?.status?.health).toBe('Healthy');
  });

  test('EndpointSlices not permitted: readiness does not wait, probes fall back to HTTP', async () => {
    const agent = await startAgentServer();
    onTestFinished(() => agent.close());
    const admin = controlPlane.kubeConfig;
    // A user without any RBAC grant: every EndpointSlice list is 403 Forbidden.
    const nobody = new KubeConfig();
    nobody.loadFromOptions({
      clusters: admin.clusters,
      contexts: admin.contexts,
      currentContext: admin.currentContext,
      users: admin.users.map((user) => ({ ...user, impersonateUser: 'nobody@example.com' })),
    });
    const readiness = new EndpointReadiness({ kubeConfig: nobody, namespaces: [], logger: silentLogger });
    readiness.start();
    onTestFinished(() => readiness.stop());
    await Promise.all(readiness.informers.map((informer) => informer.whenSynced()));
    expect(readiness.informers.map((informer) => informer.state)).toEqual(['absent']);
    expect(readiness.hasReadyEndpoints('team', 'agent')).toBeUndefined();

    const prober = new Prober({
      preflight: serviceReadinessPreflight(readiness, 'cluster.local'),
      fetch: (input, init) => {
        const url = new URL(String(input));
        url.hostname = '127.0.0.1';
        return fetch(url, init);
      },
      intervalMs: 1000,
      timeoutMs: 500,
      concurrency: 1,
      logger: silentLogger,
      cards: () => [],
      onChange: () => undefined,
    });
    const card = {
      metadata: { name: 'agent', namespace: 'team' },
      spec: { endpoints: [`http://agent.team.svc.cluster.local:${agent.port}`] },
    } as AgentCard;
    expect(await prober.probe(card)).toMatchObject({ health: 'Healthy' });
    expect(agent.requests()).toBe(1);
  });
});
