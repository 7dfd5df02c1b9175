import { stringify } from 'yaml';

/**
 * Manifests of varied agents for the interop suite, beside `examples/`: AgentCards of both A2A
 * versions, a2a.io Agents and opted-in kagent Agents; security schemes of every kind in both forms;
 * unicode; extra interfaces; cards without endpoints or without optional fields; empty metadata the
 * translator must mend. Every one is a card the registry must serve to every client.
 */
export interface CorpusCard {
  namespace: string;
  name: string;
}

type Manifest = Record<string, unknown>;

const CARDS = 'interop-cards';
const A2A_AGENTS = 'interop-a2a';
const KAGENT_AGENTS = 'interop-kagent';

const json = (value: unknown): string => JSON.stringify(value);

const bearer03 = { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } };
const schemes03 = {
  key: { type: 'apiKey', name: 'X-API-Key', in: 'header', description: 'Clé d’API' },
  basic: { type: 'http', scheme: 'basic' },
  oauth: {
    type: 'oauth2',
    flows: {
      clientCredentials: { tokenUrl: 'https://auth.example.com/token', scopes: { 'agents.read': 'Read' } },
    },
  },
  oidc: {
    type: 'openIdConnect',
    openIdConnectUrl: 'https://id.example.com/.well-known/openid-configuration',
  },
  mtls: { type: 'mutualTLS' },
};
const schemes1 = {
  bearer: { httpAuthSecurityScheme: { scheme: 'bearer', bearerFormat: 'JWT' } },
  cookie: { apiKeySecurityScheme: { location: 'cookie', name: 'session' } },
  code: {
    oauth2SecurityScheme: {
      flows: {
        authorizationCode: {
          authorizationUrl: 'https://auth.example.com/authorize',
          tokenUrl: 'https://auth.example.com/token',
          scopes: { openid: 'OpenID', 'agents.write': 'Write' },
        },
      },
    },
  },
  oidc: {
    openIdConnectSecurityScheme: {
      openIdConnectUrl: 'https://id.example.com/.well-known/openid-configuration',
    },
  },
  mtls: { mtlsSecurityScheme: { description: 'Client certificate' } },
};

function agentCard(
  name: string,
  a2aVersion: '0.3.0' | '1.0',
  spec: Record<string, unknown>,
  labels: Record<string, string> = {},
): Manifest {
  return {
    apiVersion: 'kagent.dev/v1alpha1',
    kind: 'AgentCard',
    metadata: { name, namespace: CARDS, labels: { corpus: 'interop', ...labels } },
    spec: { a2aVersion, ...spec },
  };
}

const endpoint = (name: string) => [`https://${name}.agents.example.com/a2a`];

/** AgentCard resources: both versions, every metadata key family. */
function agentCards(): Manifest[] {
  const cards: Manifest[] = [];
  for (const version of ['0.3.0', '1.0'] as const) {
    const v = version === '1.0' ? '10' : '03';
    cards.push(
      agentCard(`minimal-${v}`, version, { endpoints: endpoint(`minimal-${v}`) }),
      agentCard(`no-endpoint-${v}`, version, { metadata: { description: 'Served under the registry URL' } }),
      agentCard(`unicode-${v}`, version, {
        endpoints: endpoint(`unicode-${v}`),
        metadata: {
          name: 'Agent Ünïcödé 🤖 日本語エージェント',
          description: 'Répond en français, 日本語, עברית and emoji 🚀✨ — with “quotes” and \\ backslashes.',
          'provider.organization': 'Åke & Søn Ltd. 株式会社',
          'provider.url': 'https://xn--ke-son-dua.example.com',
        },
        skills: [
          {
            id: 'traduire',
            name: 'Traduire 🌍',
            description: 'Traduit un texte',
            tags: ['traduction', '翻訳'],
          },
          { id: 'summarise', name: '要約する', examples: ['この記事を要約して'] },
        ],
      }),
      agentCard(`bearer-${v}`, version, {
        endpoints: endpoint(`bearer-${v}`),
        metadata: { securitySchemes: json(bearer03), security: json([{ bearer: [] }]) },
        capabilities: ['search', 'summarize'],
      }),
      agentCard(`schemes-${v}`, version, {
        endpoints: endpoint(`schemes-${v}`),
        metadata: {
          securitySchemes: json(schemes03),
          security: json([{ oauth: ['agents.read'] }, { key: [], mtls: [] }]),
          'skills.lookup.security': json([{ oidc: ['openid'] }]),
        },
        skills: [{ id: 'lookup', name: 'Lookup', description: 'Looks things up', tags: ['lookup'] }],
      }),
      agentCard(`schemes-proto-${v}`, version, {
        endpoints: endpoint(`schemes-proto-${v}`),
        metadata: {
          securitySchemes: json(schemes1),
          security: json([{ schemes: { code: { list: ['openid'] } } }]),
        },
      }),
      agentCard(`device-code-${v}`, version, {
        endpoints: endpoint(`device-code-${v}`),
        metadata: {
          securitySchemes: json({
            device: {
              oauth2SecurityScheme: {
                flows: {
                  deviceCode: {
                    deviceAuthorizationUrl: 'https://auth.example.com/device',
                    tokenUrl: 'https://auth.example.com/token',
                    scopes: {},
                  },
                },
              },
            },
            bearer: bearer03.bearer,
          }),
        },
      }),
      agentCard(`interfaces-${v}`, version, {
        endpoints: endpoint(`interfaces-${v}`),
        metadata: {
          preferredTransport: 'HTTP+JSON',
          additionalInterfaces: json([
            { url: `https://interfaces-${v}.agents.example.com/grpc`, transport: 'GRPC' },
            { url: `https://interfaces-${v}.agents.example.com/jsonrpc`, transport: 'JSONRPC' },
          ]),
        },
      }),
      agentCard(`full-${v}`, version, {
        endpoints: endpoint(`full-${v}`),
        metadata: {
          name: 'Full Agent',
          description: 'Every optional field set',
          version: '4.2.1',
          'provider.organization': 'Example Org',
          'provider.url': 'https://example.com',
          iconUrl: 'https://example.com/icon.png',
          documentationUrl: 'https://example.com/docs',
          'capabilities.streaming': 'false',
          'capabilities.pushNotifications': 'true',
          'capabilities.extensions': json([
            {
              uri: 'https://example.com/ext/v1',
              description: 'An extension',
              required: false,
              params: { a: 1 },
            },
          ]),
          'capabilities.extendedAgentCard': 'true',
          defaultInputModes: 'text/plain, application/json',
          defaultOutputModes: json(['application/json', 'image/png']),
          ...(version === '1.0' ? { tenant: 'tenant-a' } : { 'capabilities.stateTransitionHistory': 'true' }),
          signatures: json([{ protected: 'eyJhbGciOiJFUzI1NiJ9', signature: 'c2lnbmF0dXJl' }]),
        },
        skills: [
          {
            id: 'report',
            name: 'Report',
            description: 'Writes reports',
            tags: ['reports'],
            examples: ['Weekly report'],
            inputModes: ['text/plain'],
            outputModes: ['application/pdf'],
          },
        ],
      }),
      agentCard(`capabilities-${v}`, version, {
        endpoints: endpoint(`capabilities-${v}`),
        capabilities: ['kubernetes', 'monitoring', 'cost analysis', 'on-call paging'],
      }),
      agentCard(`empty-metadata-${v}`, version, {
        endpoints: endpoint(`empty-metadata-${v}`),
        metadata: { name: '', description: '', version: '', defaultInputModes: '[]' },
      }),
      agentCard(`patch-version-${v}`, version, {
        endpoints: endpoint(`patch-version-${v}`),
        metadata: { protocolVersion: version === '1.0' ? '1.0.5' : '0.3.5' },
      }),
      agentCard(`untagged-skills-${v}`, version, {
        endpoints: endpoint(`untagged-skills-${v}`),
        skills: [
          { id: 'plan-trip', name: 'Plan a trip', description: 'Plans trips' },
          { id: 'book_hotel', name: '🏨', description: 'Books hotels', examples: ['Book Paris'] },
        ],
      }),
      agentCard(`many-skills-${v}`, version, {
        endpoints: endpoint(`many-skills-${v}`),
        skills: Array.from({ length: 25 }, (_, index) => ({
          id: `skill-${index}`,
          name: `Skill number ${index}`,
          description: `Does thing ${index}`,
          tags: [`tag-${index % 5}`],
        })),
      }),
    );
  }
  return cards;
}

/** a2a.io Agents (the card generator's A2A source): every authentication scheme, both versions. */
function a2aAgents(): Manifest[] {
  const authentications: [string, Record<string, unknown> | undefined][] = [
    ['none', { scheme: 'none' }],
    ['apikey', { scheme: 'apiKey', parameters: { in: 'query', name: 'api_key' } }],
    ['bearer', { scheme: 'http', parameters: { scheme: 'bearer', bearerFormat: 'JWT' } }],
    [
      'oauth',
      {
        scheme: 'oauth2',
        parameters: {
          flow: 'clientCredentials',
          tokenUrl: 'https://auth.example.com/token',
          scopes: 'a.read',
        },
      },
    ],
    [
      'oidc',
      {
        scheme: 'openIdConnect',
        parameters: { openIdConnectUrl: 'https://id.example.com/.well-known/openid-configuration' },
      },
    ],
    ['mtls', { scheme: 'mutualTLS' }],
    ['unauthenticated', undefined],
  ];
  const agents: Manifest[] = [];
  authentications.forEach(([label, authentication], index) => {
    const version = index % 2 === 0 ? '1.0' : '0.3.0';
    agents.push({
      apiVersion: 'a2a.io/v1',
      kind: 'Agent',
      metadata: {
        name: `a2a-${label}`,
        namespace: A2A_AGENTS,
        labels: { corpus: 'interop' },
        annotations: { 'kagent.dev/a2a-version': version },
      },
      spec: {
        description: index === 2 ? 'Agent with a bearer token — ütf-8 ✓' : `An a2a.io agent (${label})`,
        ...(index === 3 ? {} : { version: `1.${index}.0` }),
        capabilities: [
          { name: 'Answer', id: 'answer', description: 'Answers questions', tags: ['qa'] },
          ...(index % 3 === 0 ? [{ name: 'Summarise documents' }] : []),
        ],
        // The last one has no endpoints: the generator derives the in-cluster URL.
        ...(index === authentications.length - 1
          ? {}
          : {
              endpoints: [
                { url: `https://a2a-${label}.agents.example.com/a2a`, transport: 'JSONRPC' },
                ...(index % 2 === 1
                  ? [{ url: `https://a2a-${label}.agents.example.com/grpc`, transport: 'GRPC' }]
                  : []),
              ],
            }),
        ...(authentication ? { authentication } : {}),
      },
    });
  });
  return agents;
}

/** kagent Agents that opt in: Declarative with typed skills, BYO with capability strings. */
function kagentAgents(): Manifest[] {
  const agents: Manifest[] = [];
  for (let index = 0; index < 8; index++) {
    const byo = index % 2 === 1;
    const name = `kagent-${byo ? 'byo' : 'declarative'}-${index}`;
    const annotations: Record<string, string> = { 'kagent.dev/register-to-registry': 'true' };
    if (index % 4 === 0) annotations['kagent.dev/a2a-version'] = '1.0';
    if (index % 3 === 0) annotations['kagent.dev/a2a-endpoint'] = `https://${name}.agents.example.com/a2a`;
    if (byo) annotations['kagent.dev/capabilities'] = 'helm,release notes,changelog';
    if (index >= 4) {
      annotations['kagent.dev/card-provider.organization'] = 'Kagent Team';
      annotations['kagent.dev/card-provider.url'] = 'https://kagent.example.com';
      annotations['kagent.dev/card-version'] = `0.${index}.0`;
    }
    if (index === 6) annotations['kagent.dev/card-securitySchemes'] = json(bearer03);
    agents.push({
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'Agent',
      metadata: { name, namespace: KAGENT_AGENTS, labels: { corpus: 'interop' }, annotations },
      spec: byo
        ? {
            description: `A BYO agent ${index}`,
            type: 'BYO',
            byo: { deployment: { image: `ghcr.io/example/${name}:1.0.0` } },
          }
        : {
            description: index === 2 ? 'Déclaratif — 日本語 🤖' : `A declarative agent ${index}`,
            type: 'Declarative',
            declarative: {
              modelConfig: 'default-model-config',
              systemMessage: 'You help.',
              ...(index === 4
                ? {}
                : {
                    a2aConfig: {
                      skills: [
                        { id: 'triage', name: 'Triage', description: 'Triages issues', tags: ['triage'] },
                        // kagent allows skills without tags (and without ids).
                        { id: 'explain', name: 'Explain things', description: 'Explains' },
                      ],
                    },
                  }),
            },
          },
    });
  }
  return agents;
}

/** The corpus as files (relative path → text) and the cards they must yield. */
export function corpus(): { files: Record<string, string>; cards: CorpusCard[] } {
  const cards = agentCards();
  const a2a = a2aAgents();
  const kagent = kagentAgents();
  const files: Record<string, string> = {
    'interop-cards/cards.yaml': cards.map((card) => stringify(card)).join('---\n'),
    'interop-a2a/agents.json': JSON.stringify({ apiVersion: 'v1', kind: 'List', items: a2a }, null, 2),
    'interop-kagent/agents.yaml': kagent.map((agent) => stringify(agent)).join('---\n'),
  };
  const expected = [...cards, ...a2a, ...kagent].map((manifest) => {
    const metadata = manifest.metadata as { name: string; namespace: string };
    return { namespace: metadata.namespace, name: metadata.name };
  });
  return { files, cards: expected };
}
