import type { Health } from '@agent-registry/crds';
import { MANAGED_BY_LABEL } from './annotations.js';

const HEALTH: ReadonlySet<string> = new Set<Health>(['Healthy', 'Unhealthy', 'Unknown']);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What a card inherits from its agent — one policy for the controller and the embedded store:
 *
 * - **Labels**: every label of the agent (string values), so a label selector written for agents
 *   (`?labelSelector=team=platform`) finds their cards in both modes; the generator's own
 *   `app.kubernetes.io/managed-by` wins over an agent's label of that name.
 * - **Health**: the health the agent itself reports (`status.health`), the card's health until a
 *   probe says otherwise. The controller probes every agent and writes the probe's answer (the
 *   status subresource); the embedded store has no prober, so the reported health stays.
 */
export function inheritedLabels(agent: unknown, managedBy: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const metadata = isObject(agent) && isObject(agent.metadata) ? agent.metadata : {};
  if (isObject(metadata.labels)) {
    for (const [key, value] of Object.entries(metadata.labels))
      if (typeof value === 'string') labels[key] = value;
  }
  labels[MANAGED_BY_LABEL] = managedBy;
  return labels;
}

/** The health an agent reports in its own `status.health`, if it states a valid one (see {@link inheritedLabels}). */
export function reportedHealth(agent: unknown): Health | undefined {
  const status = isObject(agent) && isObject(agent.status) ? agent.status : undefined;
  const health = status?.health;
  return typeof health === 'string' && HEALTH.has(health) ? (health as Health) : undefined;
}
