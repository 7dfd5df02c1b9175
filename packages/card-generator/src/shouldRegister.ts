import {
  A2A_AGENT_API_VERSION,
  A2A_AGENT_KIND,
  KAGENT_AGENT_API_VERSION,
  KAGENT_AGENT_KIND,
} from '@agent-registry/crds';
import { ANNOTATIONS, isTrue } from './annotations.js';

const read = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null && Object.hasOwn(value, key)
    ? (value as Record<string, unknown>)[key]
    : undefined;

const annotationOf = (source: unknown, key: string): string | undefined => {
  const value = read(read(read(source, 'metadata'), 'annotations'), key);
  return typeof value === 'string' ? value : undefined;
};

/**
 * Whether an agent should have a card. kagent Agents opt in with
 * `kagent.dev/register-to-registry: "true"`; a2a.io Agents are always in. Either
 * opts out with `kagent.dev/discovery-disabled: "true"` or
 * `a2a.io/discovery-disabled: "true"`, which win over opting in.
 *
 * It reads only apiVersion, kind and annotations, so an agent that opted in but
 * is otherwise invalid still gets to `generateAgentCard` and its diagnostics.
 * Never throws; anything else (including AgentCards) is `false`.
 */
export function shouldRegister(source: unknown): boolean {
  try {
    if (isTrue(annotationOf(source, ANNOTATIONS.discoveryDisabled))) return false;
    if (isTrue(annotationOf(source, ANNOTATIONS.a2aDiscoveryDisabled))) return false;
    const apiVersion = read(source, 'apiVersion');
    const kind = read(source, 'kind');
    if (apiVersion === A2A_AGENT_API_VERSION && kind === A2A_AGENT_KIND) return true;
    if (apiVersion === KAGENT_AGENT_API_VERSION && kind === KAGENT_AGENT_KIND) {
      return isTrue(annotationOf(source, ANNOTATIONS.registerToRegistry));
    }
    return false;
  } catch {
    // A hostile getter or proxy: such an object is not an agent we register.
    return false;
  }
}
