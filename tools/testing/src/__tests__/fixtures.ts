import type { KubernetesObject } from '@kubernetes/client-node';

export const GROUP = 'kagent.dev';
export const VERSION = 'v1alpha1';
export const PLURAL = 'agentcards';

export interface AgentCardObject extends KubernetesObject {
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
}

/** A valid AgentCard exercising every spec field. */
export function validAgentCard(name: string, namespace: string): AgentCardObject {
  return {
    apiVersion: `${GROUP}/${VERSION}`,
    kind: 'AgentCard',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/name': 'weather' } },
    spec: {
      publicCard: {
        name: 'Weather agent',
        url: 'https://weather.example.com/a2a',
        capabilities: { streaming: true, extensions: [{ uri: 'urn:x', params: { nested: [1, 'two'] } }] },
      },
      a2aVersion: '0.3.0',
      metadata: { team: 'platform', 'agent-registry.dev/source': 'kagent' },
      endpoints: ['https://weather.example.com/a2a', 'http://weather.weather.svc:8080/'],
      capabilities: ['streaming', 'pushNotifications'],
      skills: [
        {
          id: 'forecast',
          name: 'Forecast',
          description: 'Daily forecast for a city',
          tags: ['weather'],
          examples: ['Weather in Paris tomorrow?'],
          inputModes: ['text/plain'],
          outputModes: ['application/json'],
        },
      ],
      sourceRef: { apiVersion: 'kagent.dev/v1alpha2', kind: 'Agent', name: 'weather', uid: '1234-abcd' },
      contentHash: 'sha256:0123456789abcdef',
    },
  };
}

/** The apiserver's Status body of a failed client-node call. */
export function statusOf(error: unknown): { code: number; message: string; reason?: string } {
  const { code, body } = error as { code?: number; body?: unknown };
  const parsed = (typeof body === 'string' ? JSON.parse(body) : body) as {
    message?: string;
    reason?: string;
  };
  return { code: code ?? 0, message: parsed?.message ?? String(error), reason: parsed?.reason };
}
