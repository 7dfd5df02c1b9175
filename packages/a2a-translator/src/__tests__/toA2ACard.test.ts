import { describe, expect, it } from 'vitest';
import { checkMetadataEntry, toA2ACard, validateA2ACard, type A2ACardV03, type A2ACardV1 } from '../index.js';
import { officialV03 } from './ajv.js';

const resource = (metadata: Record<string, string>, extra: object = {}) => ({
  metadata: { name: 'agent' },
  spec: { endpoints: ['https://agent.example.com'], metadata, ...extra },
});

describe('toA2ACard', () => {
  it('fills a General Purpose skill and the design defaults when nothing is given', () => {
    const { card, warnings } = toA2ACard({ metadata: { name: 'bare' }, spec: {} });
    expect(card).toMatchObject({ description: 'Agent bare', version: '1.0.0', url: '' });
    expect(card.skills).toEqual([
      {
        id: 'general',
        name: 'General Purpose',
        description: 'General-purpose skill of agent bare',
        tags: [],
      },
    ]);
    expect(warnings.map((w) => w.path)).toEqual(['spec.endpoints', 'spec.skills']);
    expect(officialV03(card)).toBe(true);
  });

  it('omits a half provider and bad URLs with a warning each, never throwing', () => {
    const { card, warnings } = toA2ACard(
      resource({ 'provider.organization': 'Acme', iconUrl: 'javascript:alert(1)' }),
    );
    expect(card).not.toHaveProperty('provider');
    expect(card).not.toHaveProperty('iconUrl');
    expect(warnings).toContainEqual({
      path: 'spec.metadata.iconUrl',
      message: 'must be an http(s) URL; omitted',
    });
    expect(warnings).toContainEqual({
      path: 'spec.metadata["provider.url"]',
      message: 'provider omitted: A2A requires both provider.organization and provider.url',
    });
  });

  it('maps every metadata key into a 0.3 card', () => {
    const { card, warnings } = toA2ACard(
      resource(
        {
          name: 'Pretty Agent',
          version: '2.1.0',
          preferredTransport: 'HTTP+JSON',
          additionalInterfaces: '[{"url":"https://agent.example.com/grpc","transport":"GRPC"}]',
          'capabilities.streaming': 'false',
          'capabilities.pushNotifications': 'true',
          'capabilities.stateTransitionHistory': 'true',
          'capabilities.extensions': '[{"uri":"https://ext.example.com/v1","required":true}]',
          supportsAuthenticatedExtendedCard: 'true',
          securitySchemes: '{"bearer":{"type":"http","scheme":"bearer","bearerFormat":"JWT"}}',
          security: '[{"bearer":[]}]',
          defaultInputModes: 'text/plain, application/json',
          defaultOutputModes: '["application/json"]',
          'skills.search.description': 'Finds things',
          'skills.search.examples': '["find cats"]',
          'skills.search.security': '[{"bearer":["read"]}]',
        },
        { skills: [{ id: 'search', name: 'Search', tags: ['find'] }] },
      ),
      { a2aVersion: '0.3.0' },
    );
    expect(warnings).toEqual([]);
    expect(officialV03(card)).toBe(true);
    expect(card).toMatchObject({
      name: 'Pretty Agent',
      version: '2.1.0',
      preferredTransport: 'HTTP+JSON',
      additionalInterfaces: [{ url: 'https://agent.example.com/grpc', transport: 'GRPC' }],
      capabilities: {
        streaming: false,
        pushNotifications: true,
        stateTransitionHistory: true,
        extensions: [{ uri: 'https://ext.example.com/v1', required: true }],
      },
      supportsAuthenticatedExtendedCard: true,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      security: [{ bearer: [] }],
      defaultInputModes: ['text/plain', 'application/json'],
      defaultOutputModes: ['application/json'],
      skills: [
        {
          id: 'search',
          name: 'Search',
          description: 'Finds things',
          tags: ['find'],
          examples: ['find cats'],
          security: [{ bearer: ['read'] }],
        },
      ],
    } satisfies Partial<A2ACardV03>);
  });

  it('converts 0.3-form security metadata into 1.0 wrappers and requirement lists', () => {
    const { card, warnings } = toA2ACard(
      resource({
        securitySchemes: JSON.stringify({
          key: { type: 'apiKey', name: 'X-Key', in: 'header' },
          oauth: {
            type: 'oauth2',
            flows: {
              clientCredentials: { tokenUrl: 'https://t', scopes: { read: 'Read' } },
              password: { tokenUrl: 'https://p', scopes: {} },
            },
          },
          tls: { type: 'mutualTLS' },
        }),
        security: '[{"oauth":["read"]}]',
        'capabilities.stateTransitionHistory': 'true',
        supportsAuthenticatedExtendedCard: 'true',
      }),
      { a2aVersion: '1.0' },
    );
    const v1 = card as A2ACardV1;
    expect(v1.securitySchemes).toEqual({
      key: { apiKeySecurityScheme: { location: 'header', name: 'X-Key' } },
      oauth: {
        oauth2SecurityScheme: {
          flows: { clientCredentials: { tokenUrl: 'https://t', scopes: { read: 'Read' } } },
        },
      },
      tls: { mtlsSecurityScheme: {} },
    });
    expect(v1.securityRequirements).toEqual([{ schemes: { oauth: { list: ['read'] } } }]);
    expect(v1.capabilities).toEqual({ streaming: true, pushNotifications: false, extendedAgentCard: true });
    expect(warnings.map((w) => w.path).filter((path) => path !== 'spec.skills')).toEqual([
      'spec.metadata["capabilities.stateTransitionHistory"]',
      'spec.metadata.securitySchemes.oauth.flows',
    ]);
    expect(validateA2ACard(card, '1.0').valid).toBe(true);
  });

  it('converts 1.0-form security metadata into 0.3 and drops what 0.3 cannot say', () => {
    const { card, warnings } = toA2ACard(
      resource({
        securitySchemes: JSON.stringify({
          oidc: {
            openIdConnectSecurityScheme: { openIdConnectUrl: 'https://id/.well-known/openid-configuration' },
          },
          device: {
            oauth2SecurityScheme: {
              flows: {
                deviceCode: { deviceAuthorizationUrl: 'https://d', tokenUrl: 'https://t', scopes: {} },
              },
            },
          },
          odd: { apiKeySecurityScheme: { location: 'body', name: 'k' } },
        }),
        security: '[{"schemes":{"oidc":{"list":["openid"]}}}]',
      }),
    );
    const v03 = card as A2ACardV03;
    expect(v03.securitySchemes).toEqual({
      oidc: { type: 'openIdConnect', openIdConnectUrl: 'https://id/.well-known/openid-configuration' },
    });
    expect(v03.security).toEqual([{ oidc: ['openid'] }]);
    expect(warnings.map((w) => w.path).filter((path) => path !== 'spec.skills')).toEqual([
      'spec.metadata.securitySchemes.device.oauth2SecurityScheme.flows.deviceCode',
      'spec.metadata.securitySchemes.odd.apiKeySecurityScheme.location',
    ]);
    expect(officialV03(card)).toBe(true);
  });

  it('gives the same bytes for the same input', () => {
    const input = resource({
      securitySchemes: '{"b":{"type":"http","scheme":"basic"},"a":{"type":"mutualTLS"}}',
    });
    expect(JSON.stringify(toA2ACard(input).card)).toBe(
      JSON.stringify(toA2ACard(structuredClone(input)).card),
    );
  });
});

describe('checkMetadataEntry', () => {
  it.each([
    ['provider.url', 'https://x.example', undefined],
    ['provider.url', 'ftp://x', 'must be an http(s) URL'],
    ['nope', 'x', 'unknown card-metadata key'],
    ['capabilities.streaming', 'yes', 'must be "true" or "false"'],
    ['preferredTransport', 'jsonrpc', 'must be JSONRPC (transport names are case-sensitive)'],
    ['skills.my.skill.tags', 'a,b', undefined],
    ['skills.x.bogus', 'a', 'unknown card-metadata key'],
  ])('%s=%s', (key, value, reason) => {
    expect(checkMetadataEntry(key, value)).toBe(reason);
  });

  it('explains bad JSON', () => {
    expect(checkMetadataEntry('security', '{')).toMatch(/^must be a JSON array/);
    expect(checkMetadataEntry('securitySchemes', '[]')).toMatch(/^must be a JSON object/);
  });
});
