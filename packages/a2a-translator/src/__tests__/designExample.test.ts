import { describe, expect, it } from 'vitest';
import { toA2ACard, validateA2ACard, type A2ACardV03, type A2ACardV1 } from '../index.js';
import { rendered } from './rendered.js';
import { officialA2ASchema } from '@agent-registry/testing';

// A worked example: an agent with A2A metadata, capabilities and an endpoint, through both card versions.

const schema = officialA2ASchema();
/** ajv's errors against the official A2A 0.3.0 AgentCard; never [] when the schema is unavailable. */
const officialErrors = (card: unknown): unknown[] =>
  schema.available ? schema.agentCardErrors(card) : [schema.reason];

const designInput = {
  metadata: { name: 'my-agent', namespace: 'default' },
  spec: {
    metadata: {
      description: 'My custom agent',
      'provider.organization': 'My Company',
      'provider.url': 'https://company.com',
      iconUrl: 'https://company.com/icon.png',
      documentationUrl: 'https://docs.company.com',
    },
    capabilities: ['kubernetes', 'monitoring'],
    endpoints: ['http://my-agent.default.svc.cluster.local:8080'],
  },
};

// The design's "Example A2A Card Output", with the documented conformance fixes:
// skills get the description A2A requires, and modes are media types.
const expectedV03: A2ACardV03 = {
  name: 'my-agent',
  description: 'My custom agent',
  version: '1.0.0',
  url: 'http://my-agent.default.svc.cluster.local:8080',
  provider: { organization: 'My Company', url: 'https://company.com' },
  iconUrl: 'https://company.com/icon.png',
  documentationUrl: 'https://docs.company.com',
  capabilities: { streaming: true, pushNotifications: false, stateTransitionHistory: false },
  defaultInputModes: ['text/plain'],
  defaultOutputModes: ['text/plain'],
  skills: [
    { id: 'skill-0', name: 'kubernetes', description: 'Capability: kubernetes', tags: ['kubernetes'] },
    { id: 'skill-1', name: 'monitoring', description: 'Capability: monitoring', tags: ['monitoring'] },
  ],
  protocolVersion: '0.3.0',
};

describe('the design example', () => {
  it.skipIf(!schema.available)('renders as A2A 0.3.0 valid against the official A2A schema', () => {
    expect(officialErrors(rendered(toA2ACard(designInput)).card)).toEqual([]);
  });

  it('renders as A2A 0.3.0, byte for byte in the design key order', () => {
    const { card, warnings } = rendered(toA2ACard(designInput));
    expect(JSON.stringify(card)).toBe(JSON.stringify(expectedV03));
    expect(warnings).toEqual([
      {
        severity: 'warning',
        path: 'spec.capabilities[0]',
        message: expect.stringContaining('no description') as string,
      },
      {
        severity: 'warning',
        path: 'spec.capabilities[0]',
        message: expect.stringContaining('no tags') as string,
      },
      {
        severity: 'warning',
        path: 'spec.capabilities[1]',
        message: expect.stringContaining('no description') as string,
      },
      {
        severity: 'warning',
        path: 'spec.capabilities[1]',
        message: expect.stringContaining('no tags') as string,
      },
    ]);
  });

  it('renders as A2A 1.0 with supportedInterfaces and no 0.3-only fields', () => {
    const { card } = rendered(toA2ACard(designInput, { a2aVersion: '1.0' }));
    const expected: A2ACardV1 = {
      name: 'my-agent',
      description: 'My custom agent',
      supportedInterfaces: [
        {
          url: 'http://my-agent.default.svc.cluster.local:8080',
          protocolBinding: 'JSONRPC',
          protocolVersion: '1.0',
        },
      ],
      provider: { organization: 'My Company', url: 'https://company.com' },
      version: '1.0.0',
      documentationUrl: 'https://docs.company.com',
      capabilities: { streaming: true, pushNotifications: false },
      defaultInputModes: ['text/plain'],
      defaultOutputModes: ['text/plain'],
      skills: expectedV03.skills,
      iconUrl: 'https://company.com/icon.png',
    };
    expect(card).toStrictEqual(expected);
    expect(validateA2ACard(card)).toMatchObject({ ok: true, version: '1.0', issues: [] });
  });

  it('takes the version from spec.a2aVersion and lets options.baseUrl override the endpoint', () => {
    const { card } = rendered(
      toA2ACard(
        { ...designInput, spec: { ...designInput.spec, a2aVersion: '1.0' } },
        { baseUrl: 'https://agents.example.com/my-agent' },
      ),
    );
    expect((card as A2ACardV1).supportedInterfaces[0]?.url).toBe('https://agents.example.com/my-agent');
  });
});
