import { describe, expect, it } from 'vitest';
import { ANNOTATIONS, generateAgentCard as generateWithCardNotes } from '../index.js';

/** The card, and the diagnostics about the source (the translator's notes on the rendering are tested elsewhere). */
const generateAgentCard = (source: unknown) => {
  const { card, diagnostics } = generateWithCardNotes(source);
  return { card, diagnostics: sourceDiagnostics(diagnostics) };
};
import { a2aAgent, sourceDiagnostics } from './fixtures.js';

const metadataJson = (card: ReturnType<typeof generateAgentCard>['card'], key: string): unknown => {
  const value = card?.spec.metadata?.[key];
  return value === undefined ? undefined : JSON.parse(value);
};

describe('a2a.io Agent', () => {
  it('turns description, version and capabilities into metadata and typed skills', () => {
    const { card, diagnostics } = generateAgentCard(
      a2aAgent({
        description: 'Forecasts the weather',
        version: '2.1.0',
        capabilities: [
          {
            name: 'Get Forecast',
            description: 'Five-day forecast',
            tags: ['weather'],
            examples: ['rain in Oslo?'],
          },
          { name: 'alerts', id: 'severe-alerts' },
          { name: '!!!' },
        ],
      }),
    );
    expect(diagnostics).toEqual([]);
    expect(card?.spec.metadata).toEqual({ description: 'Forecasts the weather', version: '2.1.0' });
    expect(card?.spec.skills).toEqual([
      {
        id: 'get-forecast',
        name: 'Get Forecast',
        description: 'Five-day forecast',
        tags: ['weather'],
        examples: ['rain in Oslo?'],
      },
      { id: 'severe-alerts', name: 'alerts' },
      { id: 'skill-2', name: '!!!' },
    ]);
    expect(card?.spec.capabilities).toBeUndefined();
    expect(card?.metadata.ownerReferences?.[0]).toMatchObject({
      apiVersion: 'a2a.io/v1',
      kind: 'Agent',
      name: 'weather',
    });
  });

  it('derives the in-cluster endpoint when it lists none', () => {
    const { card } = generateAgentCard(a2aAgent({}));
    expect(card?.spec.endpoints).toEqual(['http://weather.agents.svc.cluster.local:8080']);
    expect(card?.spec.metadata).toBeUndefined();
  });

  it('makes the first endpoint primary and lists transports as additional interfaces', () => {
    const { card, diagnostics } = generateAgentCard(
      a2aAgent({
        endpoints: [
          { url: 'https://weather.example/a2a', transport: 'JSONRPC' },
          { url: 'https://weather.example/grpc', transport: 'GRPC' },
          { url: 'https://weather.example/rest', transport: 'HTTP+JSON' },
          { url: 'https://weather.example/other' },
        ],
      }),
    );
    expect(card?.spec.endpoints).toEqual([
      'https://weather.example/a2a',
      'https://weather.example/grpc',
      'https://weather.example/rest',
      'https://weather.example/other',
    ]);
    expect(card?.spec.metadata?.preferredTransport).toBe('JSONRPC');
    expect(metadataJson(card, 'additionalInterfaces')).toEqual([
      { url: 'https://weather.example/a2a', transport: 'JSONRPC' },
      { url: 'https://weather.example/grpc', transport: 'GRPC' },
      { url: 'https://weather.example/rest', transport: 'HTTP+JSON' },
    ]);
    expect(diagnostics).toEqual([
      {
        severity: 'warning',
        path: 'spec.endpoints[3].transport',
        message: 'is not set, so this endpoint is not listed in additionalInterfaces',
      },
    ]);
  });

  it('does not pass on the translator note that only endpoints[0] becomes the URL once additionalInterfaces lists the rest', () => {
    const endpoints = [
      { url: 'https://weather.example/a2a', transport: 'JSONRPC' },
      { url: 'https://weather.example/grpc', transport: 'GRPC' },
    ];
    const listed = generateWithCardNotes(a2aAgent({ endpoints }));
    expect(listed.diagnostics.filter((d) => d.path === 'card.spec.endpoints')).toEqual([]);
    expect((listed.card?.spec.publicCard as { additionalInterfaces?: unknown }).additionalInterfaces).toEqual(
      endpoints,
    );
    const unlisted = generateWithCardNotes(a2aAgent({ endpoints: endpoints.map(({ url }) => ({ url })) }));
    expect(unlisted.diagnostics.filter((d) => d.path === 'card.spec.endpoints')).toHaveLength(1);
  });

  it('sets neither preferredTransport nor additionalInterfaces for one endpoint without a transport', () => {
    const { card } = generateAgentCard(a2aAgent({ endpoints: [{ url: 'https://weather.example/a2a' }] }));
    expect(card?.spec.endpoints).toEqual(['https://weather.example/a2a']);
    expect(card?.spec.metadata).toBeUndefined();
  });

  it('drops an invalid endpoint and keeps the valid ones', () => {
    const { card, diagnostics } = generateAgentCard(
      a2aAgent({ endpoints: [{ url: 'ftp://weather.example' }, { url: 'https://weather.example/a2a' }] }),
    );
    expect(card?.spec.endpoints).toEqual(['https://weather.example/a2a']);
    expect(diagnostics).toEqual([
      { severity: 'error', path: 'spec.endpoints[0].url', message: 'must be an http(s) URL' },
    ]);
  });

  const authCases: [string, Record<string, unknown>, unknown, unknown][] = [
    ['none', { scheme: 'none' }, undefined, undefined],
    [
      'http bearer',
      { scheme: 'http', parameters: { scheme: 'bearer' } },
      { http: { type: 'http', scheme: 'bearer' } },
      [{ http: [] }],
    ],
    [
      'http bearer with format and description',
      {
        scheme: 'http',
        parameters: { scheme: 'Bearer', bearerFormat: 'JWT', description: 'Cluster tokens' },
      },
      { http: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Cluster tokens' } },
      [{ http: [] }],
    ],
    [
      'apiKey',
      { scheme: 'apiKey', parameters: { in: 'header', name: 'X-API-Key' } },
      { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' } },
      [{ apiKey: [] }],
    ],
    [
      'oauth2 client credentials (inferred) with scopes',
      { scheme: 'oauth2', parameters: { tokenUrl: 'https://idp.example/token', scopes: 'read write, read' } },
      {
        oauth2: {
          type: 'oauth2',
          flows: {
            clientCredentials: { tokenUrl: 'https://idp.example/token', scopes: { read: '', write: '' } },
          },
        },
      },
      [{ oauth2: ['read', 'write'] }],
    ],
    [
      'oauth2 authorization code',
      {
        scheme: 'oauth2',
        parameters: {
          authorizationUrl: 'https://idp.example/auth',
          tokenUrl: 'https://idp.example/token',
          refreshUrl: 'https://idp.example/refresh',
          oauth2MetadataUrl: 'https://idp.example/.well-known/oauth-authorization-server',
        },
      },
      {
        oauth2: {
          type: 'oauth2',
          flows: {
            authorizationCode: {
              authorizationUrl: 'https://idp.example/auth',
              tokenUrl: 'https://idp.example/token',
              refreshUrl: 'https://idp.example/refresh',
              scopes: {},
            },
          },
          oauth2MetadataUrl: 'https://idp.example/.well-known/oauth-authorization-server',
        },
      },
      [{ oauth2: [] }],
    ],
    [
      'openIdConnect',
      {
        scheme: 'openIdConnect',
        parameters: { openIdConnectUrl: 'https://idp.example/.well-known/openid-configuration' },
      },
      {
        openIdConnect: {
          type: 'openIdConnect',
          openIdConnectUrl: 'https://idp.example/.well-known/openid-configuration',
        },
      },
      [{ openIdConnect: [] }],
    ],
    ['mutualTLS', { scheme: 'mutualTLS' }, { mutualTLS: { type: 'mutualTLS' } }, [{ mutualTLS: [] }]],
  ];
  it.each(authCases)('authentication %s', (_, authentication, schemes, security) => {
    const { card, diagnostics } = generateAgentCard(a2aAgent({ authentication }));
    expect(diagnostics).toEqual([]);
    expect(metadataJson(card, 'securitySchemes')).toEqual(schemes);
    expect(metadataJson(card, 'security')).toEqual(security);
  });

  const badAuthCases: [string, Record<string, unknown>, string][] = [
    ['http without scheme', { scheme: 'http' }, 'spec.authentication.parameters.scheme'],
    [
      'apiKey in body',
      { scheme: 'apiKey', parameters: { in: 'body', name: 'k' } },
      'spec.authentication.parameters.in',
    ],
    [
      'apiKey without name',
      { scheme: 'apiKey', parameters: { in: 'query' } },
      'spec.authentication.parameters.name',
    ],
    [
      'openIdConnect without URL',
      { scheme: 'openIdConnect' },
      'spec.authentication.parameters.openIdConnectUrl',
    ],
    [
      'openIdConnect with a bad URL',
      { scheme: 'openIdConnect', parameters: { openIdConnectUrl: 'idp.example' } },
      'spec.authentication.parameters.openIdConnectUrl',
    ],
    ['oauth2 without URLs', { scheme: 'oauth2' }, 'spec.authentication.parameters.flow'],
    [
      'oauth2 implicit without authorizationUrl',
      { scheme: 'oauth2', parameters: { flow: 'implicit', tokenUrl: 'https://idp.example/token' } },
      'spec.authentication.parameters.authorizationUrl',
    ],
  ];
  it.each(badAuthCases)('authentication %s: an error, no security, a card', (_, authentication, path) => {
    const { card, diagnostics } = generateAgentCard(a2aAgent({ authentication }));
    expect(card).toBeDefined();
    expect(card?.spec.metadata).toBeUndefined();
    expect(diagnostics).toEqual([
      { severity: 'error', path, message: expect.stringContaining('no authentication') },
    ]);
  });

  it('warns about authentication parameters it does not know', () => {
    const { card, diagnostics } = generateAgentCard(
      a2aAgent({ authentication: { scheme: 'mutualTLS', parameters: { caBundle: 'x' } } }),
    );
    expect(metadataJson(card, 'securitySchemes')).toEqual({ mutualTLS: { type: 'mutualTLS' } });
    expect(diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', path: 'spec.authentication.parameters["caBundle"]' }),
    ]);
  });

  it('applies card-metadata annotations over the spec', () => {
    const { card, diagnostics } = generateAgentCard(
      a2aAgent(
        { description: 'From spec' },
        {
          [`${ANNOTATIONS.cardMetadataPrefix}description`]: 'From annotation',
          [`${ANNOTATIONS.cardMetadataPrefix}provider.organization`]: 'Weather Inc',
        },
      ),
    );
    expect(diagnostics).toEqual([]);
    expect(card?.spec.metadata).toEqual({
      description: 'From annotation',
      'provider.organization': 'Weather Inc',
    });
  });

  it('warns that the kagent capabilities and endpoint annotations do not apply', () => {
    const { card, diagnostics } = generateAgentCard(
      a2aAgent(
        {},
        { [ANNOTATIONS.capabilities]: 'x', [ANNOTATIONS.a2aEndpoint]: 'https://elsewhere.example' },
      ),
    );
    expect(card?.spec.capabilities).toBeUndefined();
    expect(card?.spec.endpoints).toEqual(['http://weather.agents.svc.cluster.local:8080']);
    expect(diagnostics.map((d) => [d.severity, d.annotation])).toEqual([
      ['warning', ANNOTATIONS.capabilities],
      ['warning', ANNOTATIONS.a2aEndpoint],
    ]);
  });

  it('omits owner references, with no diagnostic, when the source has no uid', () => {
    const { card, diagnostics } = generateAgentCard(a2aAgent({}, undefined, { uid: undefined }));
    expect(diagnostics).toEqual([]);
    expect(card?.metadata.ownerReferences).toBeUndefined();
    expect(card?.spec.sourceRef).toEqual({ apiVersion: 'a2a.io/v1', kind: 'Agent', name: 'weather' });
  });

  it('uses the managedBy option for the label', () => {
    const { card } = generateWithCardNotes(a2aAgent({}), { managedBy: 'my-registry' });
    expect(card?.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'my-registry' });
  });
});
