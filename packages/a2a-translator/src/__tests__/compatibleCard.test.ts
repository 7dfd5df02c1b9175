import { AgentCard as SdkAgentCard } from '@a2a-js/sdk';
import { officialA2ASchema } from '@agent-registry/testing';
import { describe, expect, it } from 'vitest';
import { toA2ACard, toCompatibleA2ACard, validateA2ACard, type AgentCardLike } from '../index.js';
import { rendered } from './rendered.js';

const schema = officialA2ASchema();
/** ajv's errors against the official A2A 0.3.0 AgentCard; never [] when the schema is unavailable. */
const officialErrors = (card: unknown): unknown[] =>
  schema.available ? schema.agentCardErrors(card) : [schema.reason];

const ONLY_03 = ['url', 'preferredTransport', 'additionalInterfaces', 'protocolVersion', 'security'];

/** The 1.0 card inside a compatible one: the 0.3 fields and the 0.3 form of each scheme removed. */
function currentPart(card: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(card);
  for (const field of ONLY_03) delete copy[field];
  for (const scheme of Object.values(
    (copy.securitySchemes ?? {}) as Record<string, Record<string, unknown>>,
  )) {
    for (const key of Object.keys(scheme)) if (!key.endsWith('SecurityScheme')) delete scheme[key];
  }
  for (const skill of copy.skills as Record<string, unknown>[]) delete skill.security;
  return copy;
}

const agent: AgentCardLike = {
  metadata: { name: 'weather', namespace: 'tools' },
  spec: {
    a2aVersion: '1.0',
    endpoints: ['https://weather.example.com/a2a'],
    skills: [{ id: 'forecast', name: 'Forecast', description: 'Forecasts weather' }],
    metadata: {
      description: 'Météo ☀️ for everyone',
      additionalInterfaces: '[{"url":"https://weather.example.com/grpc","transport":"GRPC"}]',
      securitySchemes:
        '{"bearer":{"type":"http","scheme":"bearer","bearerFormat":"JWT"},"key":{"type":"apiKey","name":"X-Key","in":"header"}}',
      security: '[{"bearer":[]}]',
      'skills.forecast.security': '[{"key":[]}]',
      'capabilities.stateTransitionHistory': 'true',
    },
  },
};

describe('toCompatibleA2ACard', () => {
  it('is the 1.0 card with the 0.3 connection and security fields merged in', () => {
    const { card } = rendered(toCompatibleA2ACard(agent));
    const current = rendered(toA2ACard(agent, { a2aVersion: '1.0' })).card;
    expect(currentPart(card as unknown as Record<string, unknown>)).toEqual(current);
    expect(card).toMatchObject({
      url: 'https://weather.example.com/a2a',
      preferredTransport: 'JSONRPC',
      protocolVersion: '0.3.0',
      additionalInterfaces: [{ url: 'https://weather.example.com/grpc', transport: 'GRPC' }],
      security: [{ bearer: [] }],
      securityRequirements: [{ schemes: { bearer: { list: [] } } }],
    });
    expect(card.securitySchemes?.bearer).toEqual({
      httpAuthSecurityScheme: { scheme: 'bearer', bearerFormat: 'JWT' },
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    expect(card.skills[0]).toMatchObject({
      securityRequirements: [{ schemes: { key: { list: [] } } }],
      security: [{ key: [] }],
    });
    // As the official Python SDK's server does: no 0.3-only capability, no false extended-card flag.
    expect(card.capabilities).not.toHaveProperty('stateTransitionHistory');
    expect(card).not.toHaveProperty('supportsAuthenticatedExtendedCard');
  });

  it('reads as a valid 0.3 card and, without its 0.3 fields, as a valid 1.0 card', () => {
    const { card } = rendered(toCompatibleA2ACard(agent));
    expect(validateA2ACard(card, '0.3.0')).toMatchObject({ ok: true, issues: [] });
    expect(validateA2ACard(currentPart(card as never), '1.0')).toMatchObject({ ok: true, issues: [] });
    const parsed = SdkAgentCard.fromJSON(card);
    expect(parsed.supportedInterfaces.map((item) => item.url)).toEqual([
      'https://weather.example.com/a2a',
      'https://weather.example.com/grpc',
    ]);
    expect(parsed.skills[0]?.tags).toEqual(['forecast']);
  });

  it.skipIf(!schema.available)('is valid against the official A2A schema', () => {
    expect(officialErrors(rendered(toCompatibleA2ACard(agent)).card)).toEqual([]);
  });

  it('gives an OAuth scheme 0.3 cannot express (device code) the empty 0.3 form, as the Python SDK does', () => {
    const device = {
      oauth2SecurityScheme: {
        flows: { deviceCode: { deviceAuthorizationUrl: 'https://d', tokenUrl: 'https://t', scopes: {} } },
        description: 'Device login',
      },
    };
    const { card } = rendered(
      toCompatibleA2ACard({
        metadata: { name: 'tv' },
        spec: {
          endpoints: ['https://tv.example.com'],
          metadata: { securitySchemes: JSON.stringify({ device }) },
        },
      }),
    );
    expect(card.securitySchemes?.device).toEqual({
      ...device,
      type: 'oauth2',
      flows: {},
      description: 'Device login',
    });
    expect(validateA2ACard(card, '0.3.0')).toMatchObject({ ok: true, issues: [] });
    expect(validateA2ACard(currentPart(card as never), '1.0')).toMatchObject({ ok: true, issues: [] });
  });

  it('fails as toA2ACard does when the card has no URL', () => {
    const result = toCompatibleA2ACard({ metadata: { name: 'x' }, spec: {} });
    expect(result).toMatchObject({ ok: false, issues: [{ path: 'spec.endpoints' }] });
  });
});
