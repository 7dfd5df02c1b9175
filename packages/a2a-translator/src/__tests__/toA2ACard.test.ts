import { describe, expect, it } from 'vitest';
import { checkMetadataEntry, toA2ACard, validateA2ACard, type A2ACardV03, type A2ACardV1 } from '../index.js';
import { rendered } from './rendered.js';
import { officialA2ASchema } from '@agent-registry/testing';

const schema = officialA2ASchema();
/** ajv's errors against the official A2A 0.3.0 AgentCard; never [] when the schema is unavailable. */
const officialErrors = (card: unknown): unknown[] =>
  schema.available ? schema.agentCardErrors(card) : [schema.reason];
/** The 0.3 cards the tests below render, checked against the official schema by the last test. */
const renderedV03: unknown[] = [];

const resource = (metadata: Record<string, string>, extra: object = {}) => ({
  metadata: { name: 'agent' },
  spec: { endpoints: ['https://agent.example.com'], metadata, ...extra },
});

describe('toA2ACard', () => {
  it('fills a General Purpose skill and the design defaults when nothing but a URL is given', () => {
    const { card, warnings } = rendered(
      toA2ACard({ metadata: { name: 'bare' }, spec: { endpoints: ['https://bare.example.com'] } }),
    );
    expect(card).toMatchObject({
      description: 'Agent bare',
      version: '1.0.0',
      url: 'https://bare.example.com',
    });
    expect(card.skills).toEqual([
      {
        id: 'general',
        name: 'General Purpose',
        description: 'General-purpose skill of agent bare',
        tags: ['general', 'purpose'],
      },
    ]);
    expect(warnings.map((w) => w.path)).toEqual(['spec.skills', 'spec.skills']);
    renderedV03.push(card);
  });

  it.each(['0.3.0', '1.0'] as const)(
    'says so as an error when no endpoint and no baseUrl give the card a URL (%s)',
    (a2aVersion) => {
      for (const spec of [{}, { endpoints: [] }, { endpoints: [''] }]) {
        const result = toA2ACard({ metadata: { name: 'bare' }, spec }, { a2aVersion });
        expect(result).toMatchObject({ ok: false });
        if (result.ok) continue;
        expect(result.issues).toEqual([
          {
            severity: 'error',
            path: 'spec.endpoints',
            message:
              'no endpoint and no baseUrl: a card needs a URL clients can reach the agent at (set spec.endpoints or the baseUrl option)',
          },
        ]);
      }
      const invalidBase = toA2ACard(
        { metadata: { name: 'bare' }, spec: {} },
        { a2aVersion, baseUrl: 'nope' },
      );
      expect(invalidBase.ok).toBe(false);
      expect(invalidBase.warnings).toContainEqual({
        severity: 'warning',
        path: 'options.baseUrl',
        message: 'ignored: must be an http(s) URL',
      });
      const withBase = toA2ACard(
        { metadata: { name: 'bare' }, spec: {} },
        { a2aVersion, baseUrl: 'https://registry.example.com/agents/default/bare' },
      );
      expect(withBase.ok).toBe(true);
    },
  );

  it('keeps the 1.0 REQUIRED rules: empty strings and lists fall back to the defaults, skills get tags', () => {
    const { card, warnings } = rendered(
      toA2ACard(
        resource(
          {
            name: '',
            description: ' ',
            version: '',
            defaultInputModes: '[]',
            protocolVersion: '1.0.5',
            additionalInterfaces: JSON.stringify([
              { url: 'https://agent.example.com/grpc', protocolBinding: 'GRPC' },
              { url: 'https://agent.example.com/v03', protocolBinding: 'JSONRPC', protocolVersion: '0.3.2' },
              {
                url: 'https://agent.example.com/odd',
                protocolBinding: 'HTTP+JSON',
                protocolVersion: 'latest',
              },
            ]),
            'skills.search.description': '',
            'skills.search.name': '',
          },
          {
            skills: [
              { id: 'search', name: 'Search the Wiki ✨ Pages', tags: [] },
              { id: 'x_y', name: '✨' },
            ],
          },
        ),
        { a2aVersion: '1.0' },
      ),
    );
    expect(card).toMatchObject({
      name: 'agent',
      description: 'Agent agent',
      version: '1.0.0',
      defaultInputModes: ['text/plain'],
    });
    expect(card.supportedInterfaces).toEqual([
      { url: 'https://agent.example.com', protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
      { url: 'https://agent.example.com/grpc', protocolBinding: 'GRPC', protocolVersion: '1.0' },
      { url: 'https://agent.example.com/v03', protocolBinding: 'JSONRPC', protocolVersion: '0.3' },
      { url: 'https://agent.example.com/odd', protocolBinding: 'HTTP+JSON', protocolVersion: '1.0' },
    ]);
    expect(card.skills).toEqual([
      {
        id: 'search',
        name: 'Search the Wiki ✨ Pages',
        description: 'Capability: Search the Wiki ✨ Pages',
        tags: ['search', 'the', 'wiki', 'pages'],
      },
      { id: 'x_y', name: '✨', description: 'Capability: ✨', tags: ['x', 'y'] },
    ]);
    expect(warnings).toEqual(
      expect.arrayContaining([
        {
          severity: 'warning',
          path: 'spec.metadata.name',
          message: 'empty, which A2A does not allow: "agent" used',
        },
        {
          severity: 'warning',
          path: 'spec.metadata.description',
          message: 'empty, which A2A does not allow: "Agent agent" used',
        },
        {
          severity: 'warning',
          path: 'spec.metadata.version',
          message: 'empty, which A2A does not allow: "1.0.0" used',
        },
        {
          severity: 'warning',
          path: 'spec.metadata.defaultInputModes',
          message: 'empty, which A2A 1.0 does not allow: ["text/plain"] used',
        },
        {
          severity: 'warning',
          path: 'spec.metadata.protocolVersion',
          message: '"1.0.5" declared as 1.0: A2A 1.0 interfaces carry Major.Minor',
        },
        {
          severity: 'warning',
          path: 'spec.metadata["skills.search.name"]',
          message: 'ignored: a skill name must not be empty',
        },
        {
          severity: 'warning',
          path: 'spec.skills[0]',
          message:
            'skill has no tags, which A2A 1.0 requires (at least one): derived ["search","the","wiki","pages"] from its name and id',
        },
      ]),
    );
    expect(validateA2ACard(card, '1.0')).toMatchObject({ ok: true, version: '1.0', issues: [] });
  });

  it('omits a half provider and bad URLs with a warning each, never throwing', () => {
    const { card, warnings } = rendered(
      toA2ACard(resource({ 'provider.organization': 'Acme', iconUrl: 'javascript:alert(1)' })),
    );
    expect(card).not.toHaveProperty('provider');
    expect(card).not.toHaveProperty('iconUrl');
    expect(warnings).toContainEqual({
      severity: 'warning',
      path: 'spec.metadata.iconUrl',
      message: 'must be an http(s) URL; omitted',
    });
    expect(warnings).toContainEqual({
      severity: 'warning',
      path: 'spec.metadata["provider.url"]',
      message: 'provider omitted: A2A requires both provider.organization and provider.url',
    });
  });

  it('maps every metadata key into a 0.3 card', () => {
    const { card, warnings } = rendered(
      toA2ACard(
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
      ),
    );
    expect(warnings).toEqual([]);
    renderedV03.push(card);
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
    const { card, warnings } = rendered(
      toA2ACard(
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
      ),
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
    expect(validateA2ACard(card, '1.0').ok).toBe(true);
  });

  it('converts 1.0-form security metadata into 0.3 and drops what 0.3 cannot say', () => {
    const { card, warnings } = rendered(
      toA2ACard(
        resource({
          securitySchemes: JSON.stringify({
            oidc: {
              openIdConnectSecurityScheme: {
                openIdConnectUrl: 'https://id/.well-known/openid-configuration',
              },
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
      ),
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
    renderedV03.push(card);
  });

  it.skipIf(!schema.available)('renders those 0.3 cards valid against the official A2A schema', () => {
    expect(renderedV03).toHaveLength(3);
    for (const card of renderedV03) expect(officialErrors(card)).toEqual([]);
  });

  it('reads an extra interface in the form it is valid in, so a stray field never makes the card invalid', () => {
    const additionalInterfaces = JSON.stringify([
      // Valid only in the 1.0 form: its binding is protocolBinding, whatever `transport` holds.
      { url: 'https://a.example.com', protocolBinding: 'GRPC', transport: 5 },
      // Valid only in the 0.3 form (a tenant must be a string): its binding is transport.
      { url: 'https://b.example.com', transport: 'HTTP+JSON', protocolBinding: 'X', tenant: 5 },
    ]);
    const v03 = rendered(toA2ACard(resource({ additionalInterfaces }), { a2aVersion: '0.3.0' })).card;
    expect(v03.additionalInterfaces).toEqual([
      { url: 'https://a.example.com', transport: 'GRPC' },
      { url: 'https://b.example.com', transport: 'HTTP+JSON' },
    ]);
    expect(validateA2ACard(v03, '0.3.0').ok).toBe(true);
    const v1 = rendered(toA2ACard(resource({ additionalInterfaces }), { a2aVersion: '1.0' })).card;
    expect(v1.supportedInterfaces.slice(1)).toEqual([
      { url: 'https://a.example.com', protocolBinding: 'GRPC', transport: 5, protocolVersion: '1.0' },
      { url: 'https://b.example.com', protocolBinding: 'HTTP+JSON', protocolVersion: '1.0' },
    ]);
    expect(validateA2ACard(v1, '1.0').ok).toBe(true);
  });

  it('gives the same bytes for the same input', () => {
    const input = resource({
      securitySchemes: '{"b":{"type":"http","scheme":"basic"},"a":{"type":"mutualTLS"}}',
    });
    expect(JSON.stringify(rendered(toA2ACard(input)).card)).toBe(
      JSON.stringify(rendered(toA2ACard(structuredClone(input))).card),
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
