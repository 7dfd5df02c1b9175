import { A2A_AGENT_GROUP, A2A_AGENT_KIND, A2A_AGENT_PLURAL, A2A_AGENT_VERSION } from './a2aAgent.js';
import { AGENT_CARD_GROUP, AGENT_CARD_KIND, AGENT_CARD_PLURAL, AGENT_CARD_VERSION } from './agentCard.js';
import {
  KAGENT_AGENT_GROUP,
  KAGENT_AGENT_KIND,
  KAGENT_AGENT_PLURAL,
  KAGENT_AGENT_VERSION,
} from './kagentAgent.js';

/**
 * Where a resource type lives in the Kubernetes API: what an informer, a
 * custom-objects call or an RBAC rule needs (`@agent-registry/kube-runtime`'s
 * `ResourceType` has this shape).
 */
export interface ResourceDescriptor {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
  /** `<group>/<version>`, as objects carry it. */
  readonly apiVersion: string;
}

const descriptor = (group: string, version: string, plural: string, kind: string): ResourceDescriptor =>
  Object.freeze({ group, version, plural, kind, apiVersion: `${group}/${version}` });

export const AGENT_CARD_RESOURCE = descriptor(
  AGENT_CARD_GROUP,
  AGENT_CARD_VERSION,
  AGENT_CARD_PLURAL,
  AGENT_CARD_KIND,
);
export const KAGENT_AGENT_RESOURCE = descriptor(
  KAGENT_AGENT_GROUP,
  KAGENT_AGENT_VERSION,
  KAGENT_AGENT_PLURAL,
  KAGENT_AGENT_KIND,
);
export const A2A_AGENT_RESOURCE = descriptor(
  A2A_AGENT_GROUP,
  A2A_AGENT_VERSION,
  A2A_AGENT_PLURAL,
  A2A_AGENT_KIND,
);
