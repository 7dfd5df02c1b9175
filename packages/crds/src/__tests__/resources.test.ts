import { describe, expect, it } from 'vitest';
import { A2A_AGENT_API_VERSION, AGENT_CARD_API_VERSION, KAGENT_AGENT_API_VERSION } from '../index.js';
import { DEFAULT_NAMESPACE, namespaceOf } from '../namespace.js';
import { A2A_AGENT_RESOURCE, AGENT_CARD_RESOURCE, KAGENT_AGENT_RESOURCE } from '../resources.js';

describe('resource descriptors', () => {
  it('describe the three kinds with the apiVersion their objects carry', () => {
    expect(AGENT_CARD_RESOURCE).toEqual({
      group: 'kagent.dev',
      version: 'v1alpha1',
      plural: 'agentcards',
      kind: 'AgentCard',
      apiVersion: AGENT_CARD_API_VERSION,
    });
    expect(KAGENT_AGENT_RESOURCE).toMatchObject({
      plural: 'agents',
      kind: 'Agent',
      apiVersion: KAGENT_AGENT_API_VERSION,
    });
    expect(A2A_AGENT_RESOURCE).toMatchObject({
      plural: 'agents',
      kind: 'Agent',
      apiVersion: A2A_AGENT_API_VERSION,
    });
    expect(Object.isFrozen(AGENT_CARD_RESOURCE)).toBe(true);
  });
});

describe('namespaceOf', () => {
  it('is the object’s namespace, else default', () => {
    expect(namespaceOf({ metadata: { namespace: 'team-a' } })).toBe('team-a');
    expect(namespaceOf({ metadata: {} })).toBe(DEFAULT_NAMESPACE);
    expect(namespaceOf({ metadata: { namespace: null } })).toBe('default');
    expect(namespaceOf({})).toBe('default');
  });
});
