/*
 * The controller's test kit: settings, fixtures (kagent and a2a.io Agents), a small client for cards and events, and
 * a stand-in agent server. The controller's own integration tests use it, and so does tools/deploy's end-to-end RBAC
 * proof, through the declared entry point `@agent-registry/controller/testing`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CustomObjectsApi,
  EventsV1Api,
  KubernetesObjectApi,
  PatchStrategy,
  type KubeConfig,
  type KubernetesObject,
} from '@kubernetes/client-node';
import {
  AGENT_CARD_RESOURCE,
  KAGENT_AGENT_RESOURCE,
  A2A_AGENT_RESOURCE,
  type AgentCard,
} from '@agent-registry/crds';
import { defineConfig, type ControllerConfig } from './config.js';

export const TEST_MANAGER = 'controller-tests';

/** Test settings: one namespace, no leader election, short intervals, any free port. */
export function testConfig(
  namespace: string | string[],
  overrides: Partial<ControllerConfig> = {},
): ControllerConfig {
  return defineConfig({
    namespaces: Array.isArray(namespace) ? namespace : [namespace],
    leaderElect: false,
    httpPort: 0,
    httpHost: '127.0.0.1',
    probeIntervalMs: 60 * 60_000,
    probeTimeoutMs: 1000,
    resyncPeriodMs: 60 * 60_000,
    logLevel: 'error',
    ...overrides,
  });
}

export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * A kagent Agent that kagent's own CRD accepts: a Declarative agent unless `spec` says otherwise (the CRD requires
 * `type` and the matching `declarative`/`byo` block).
 */
export function kagentAgent(
  namespace: string,
  name: string,
  annotations: Record<string, string>,
  spec: Record<string, unknown> = { description: `The ${name} agent` },
): KubernetesObject {
  const type = spec.type ?? (spec.byo === undefined ? 'Declarative' : 'BYO');
  const required = type === 'Declarative' ? { declarative: { systemMessage: `You are ${name}.` } } : {};
  return {
    apiVersion: KAGENT_AGENT_RESOURCE.apiVersion,
    kind: 'Agent',
    metadata: { name, namespace, annotations },
    spec: { type, ...required, ...spec },
  } as KubernetesObject;
}

export function a2aAgent(
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
  annotations: Record<string, string> = {},
): KubernetesObject {
  return {
    apiVersion: A2A_AGENT_RESOURCE.apiVersion,
    kind: 'Agent',
    metadata: { name, namespace, annotations },
    spec,
  } as KubernetesObject;
}

export const REGISTER = { 'kagent.dev/register-to-registry': 'true' };

/** Kubernetes I/O for tests: apply (SSA with a test manager), delete, read cards and events. */
export function kube(kubeConfig: KubeConfig) {
  const objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  const eventsApi = kubeConfig.makeApiClient(EventsV1Api);
  return {
    async apply<T extends KubernetesObject>(object: T): Promise<T> {
      return objects.patch(object, undefined, undefined, TEST_MANAGER, true, PatchStrategy.ServerSideApply);
    },
    /** Replaces annotations exactly (SSA would merge with what other managers set). */
    async setAnnotations(object: KubernetesObject, annotations: Record<string, string>): Promise<void> {
      const current = await objects.read(object as KubernetesObject & { metadata: { name: string } });
      await objects.replace({ ...current, metadata: { ...current.metadata, annotations } });
    },
    async remove(object: KubernetesObject): Promise<void> {
      await objects.delete(object);
    },
    async card(namespace: string, name: string): Promise<AgentCard | undefined> {
      try {
        return (await custom.getNamespacedCustomObject({
          group: AGENT_CARD_RESOURCE.group,
          version: AGENT_CARD_RESOURCE.version,
          plural: AGENT_CARD_RESOURCE.plural,
          namespace,
          name,
        })) as AgentCard;
      } catch (error) {
        if ((error as { code?: number }).code === 404) return undefined;
        throw error;
      }
    },
    async cards(namespace: string): Promise<AgentCard[]> {
      const list = (await custom.listNamespacedCustomObject({
        group: AGENT_CARD_RESOURCE.group,
        version: AGENT_CARD_RESOURCE.version,
        plural: AGENT_CARD_RESOURCE.plural,
        namespace,
      })) as { items: AgentCard[] };
      return list.items;
    },
    async events(namespace: string) {
      return (await eventsApi.listNamespacedEvent({ namespace })).items;
    },
  };
}

export const VALID_A2A_CARD = (url: string) => ({
  protocolVersion: '0.3.0',
  name: 'probe-target',
  description: 'An agent for health probes',
  url,
  preferredTransport: 'JSONRPC',
  version: '1.0.0',
  capabilities: { streaming: false },
  defaultInputModes: ['text/plain'],
  defaultOutputModes: ['text/plain'],
  skills: [{ id: 'echo', name: 'Echo', description: 'Echoes', tags: ['test'] }],
});

/** A real HTTP agent on 127.0.0.1 serving its card at /.well-known/agent-card.json. */
export async function startAgentServer(
  card: (url: string) => unknown = VALID_A2A_CARD,
): Promise<{ url: string; port: number; requests(): number; close(): Promise<void> }> {
  let url = '';
  let requests = 0;
  const server: Server = createServer((request, response) => {
    requests += 1;
    if (request.url === '/.well-known/agent-card.json') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(card(url)));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
