import { parseAgentCard } from '@agent-registry/crds';
import { describe, expect, it } from 'vitest';
import { generateAgentCard, MANAGED_BY_LABEL } from '../index.js';
import { designExample } from './fixtures.js';
import { officialA2ASchema } from '@agent-registry/testing';

// The design document's annotated Agent and its "Example A2A Card Output".
const schema = officialA2ASchema();
/** ajv's errors against the official A2A 0.3.0 AgentCard; never [] when the schema is unavailable. */
const officialErrors = (card: unknown): unknown[] =>
  schema.available ? schema.agentCardErrors(card) : [schema.reason];

describe('the design example', () => {
  const { card, diagnostics } = generateAgentCard(designExample());

  it('generates a card; the only diagnostics are the translator filling in the skill fields A2A requires', () => {
    expect(card).toBeDefined();
    expect(diagnostics).toEqual(
      ['kubernetes', 'monitoring'].flatMap((name, index) => [
        {
          severity: 'warning',
          path: `card.spec.capabilities[${index}]`,
          message: `skill has no description, which A2A requires: filled with "Capability: ${name}"`,
        },
        {
          severity: 'warning',
          path: `card.spec.capabilities[${index}]`,
          message: `skill has no tags, which A2A 1.0 requires (at least one): derived ["${name}"] from its name and id`,
        },
      ]),
    );
  });

  it('is a valid AgentCard resource owned by its agent', () => {
    const parsed = parseAgentCard(card);
    expect(parsed.ok ? [] : parsed.issues).toEqual([]);
    expect(card?.apiVersion).toBe('kagent.dev/v1alpha1');
    expect(card?.kind).toBe('AgentCard');
    expect(card?.metadata.name).toBe('my-agent');
    expect(card?.metadata.namespace).toBe('default');
    expect(card?.metadata.labels).toEqual({ [MANAGED_BY_LABEL]: 'agent-registry' });
    expect(card?.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'kagent.dev/v1alpha2',
        kind: 'Agent',
        name: 'my-agent',
        uid: '6f1c9a2e-0000-4000-8000-000000000001',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
  });

  it('has the spec the annotations describe', () => {
    expect(card?.spec.sourceRef).toEqual({
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'Agent',
      name: 'my-agent',
      uid: '6f1c9a2e-0000-4000-8000-000000000001',
    });
    expect(card?.spec.a2aVersion).toBe('0.3.0');
    expect(card?.spec.endpoints).toEqual(['http://my-agent.default.svc.cluster.local:8080']);
    expect(card?.spec.capabilities).toEqual(['kubernetes', 'monitoring']);
    expect(card?.spec.skills).toBeUndefined();
    expect(card?.spec.metadata).toEqual({
      description: 'My custom agent',
      'provider.organization': 'My Company',
      'provider.url': 'https://company.com',
      iconUrl: 'https://company.com/icon.png',
      documentationUrl: 'https://docs.company.com',
    });
    expect(card?.spec.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  // The seed's "Example A2A Card Output", field by field, with the translator's
  // documented conformance fixes for A2A 0.3.0: skills get the description the
  // schema requires, and input/output modes are media types (text/plain, not text).
  it('renders the public card of the design', () => {
    const publicCard = card?.spec.publicCard as Record<string, unknown>;
    expect(Object.keys(publicCard).sort()).toEqual(
      [
        'name',
        'description',
        'version',
        'url',
        'provider',
        'iconUrl',
        'documentationUrl',
        'capabilities',
        'defaultInputModes',
        'defaultOutputModes',
        'skills',
        'protocolVersion',
      ].sort(),
    );
    expect(publicCard.name).toBe('my-agent');
    expect(publicCard.description).toBe('My custom agent');
    expect(publicCard.version).toBe('1.0.0');
    expect(publicCard.url).toBe('http://my-agent.default.svc.cluster.local:8080');
    expect(publicCard.provider).toEqual({ organization: 'My Company', url: 'https://company.com' });
    expect(publicCard.iconUrl).toBe('https://company.com/icon.png');
    expect(publicCard.documentationUrl).toBe('https://docs.company.com');
    expect(publicCard.capabilities).toEqual({
      streaming: true,
      pushNotifications: false,
      stateTransitionHistory: false,
    });
    expect(publicCard.defaultInputModes).toEqual(['text/plain']);
    expect(publicCard.defaultOutputModes).toEqual(['text/plain']);
    expect(publicCard.skills).toEqual([
      { id: 'skill-0', name: 'kubernetes', description: 'Capability: kubernetes', tags: ['kubernetes'] },
      { id: 'skill-1', name: 'monitoring', description: 'Capability: monitoring', tags: ['monitoring'] },
    ]);
    expect(publicCard.protocolVersion).toBe('0.3.0');
  });

  it.skipIf(!schema.available)('renders a public card valid against the official A2A schema', () => {
    expect(officialErrors(card?.spec.publicCard)).toEqual([]);
  });
});
