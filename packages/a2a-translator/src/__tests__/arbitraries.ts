import fc from 'fast-check';

/** Generators for tests: A2A 0.3.0 cards as the official schema allows them, and AgentCard resources. */

const str = fc.string({ maxLength: 8 });
const strs = fc.array(str, { maxLength: 3 });
const scopes = fc.dictionary(str, str, { maxKeys: 2 });
const opt = { requiredKeys: [] as never[] };

const flowsV03 = fc.record(
  {
    authorizationCode: fc.record(
      { authorizationUrl: str, tokenUrl: str, refreshUrl: str, scopes },
      { requiredKeys: ['authorizationUrl', 'tokenUrl', 'scopes'] },
    ),
    clientCredentials: fc.record(
      { tokenUrl: str, refreshUrl: str, scopes },
      { requiredKeys: ['tokenUrl', 'scopes'] },
    ),
    implicit: fc.record(
      { authorizationUrl: str, refreshUrl: str, scopes },
      { requiredKeys: ['authorizationUrl', 'scopes'] },
    ),
    password: fc.record({ tokenUrl: str, refreshUrl: str, scopes }, { requiredKeys: ['tokenUrl', 'scopes'] }),
  },
  opt,
);

export const schemeV03 = fc.oneof(
  fc.record(
    {
      type: fc.constant('apiKey'),
      name: str,
      in: fc.constantFrom('cookie', 'header', 'query'),
      description: str,
    },
    { requiredKeys: ['type', 'name', 'in'] },
  ),
  fc.record(
    { type: fc.constant('http'), scheme: str, bearerFormat: str, description: str },
    { requiredKeys: ['type', 'scheme'] },
  ),
  fc.record(
    { type: fc.constant('oauth2'), flows: flowsV03, oauth2MetadataUrl: str, description: str },
    { requiredKeys: ['type', 'flows'] },
  ),
  fc.record(
    { type: fc.constant('openIdConnect'), openIdConnectUrl: str, description: str },
    { requiredKeys: ['type', 'openIdConnectUrl'] },
  ),
  fc.record({ type: fc.constant('mutualTLS'), description: str }, { requiredKeys: ['type'] }),
);

export const requirementV03 = fc.dictionary(str, strs, { maxKeys: 2 });
const extension = fc.record(
  {
    uri: str,
    description: str,
    required: fc.boolean(),
    params: fc.dictionary(str, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }),
  },
  { requiredKeys: ['uri'] },
);

/** Any card the official 0.3.0 schema accepts (strings unconstrained). */
export const anyCardV03 = (text: fc.Arbitrary<string> = str, url: fc.Arbitrary<string> = str) =>
  fc.record(
    {
      protocolVersion: fc.constantFrom('0.3.0', '0.2.5'),
      name: text,
      description: text,
      url,
      preferredTransport: fc.constantFrom('JSONRPC', 'GRPC', 'HTTP+JSON'),
      additionalInterfaces: fc.array(
        fc.record({ url, transport: fc.constantFrom('JSONRPC', 'GRPC', 'HTTP+JSON') }),
        { maxLength: 2 },
      ),
      iconUrl: url,
      provider: fc.record({ organization: text, url }),
      version: text,
      documentationUrl: url,
      capabilities: fc.record(
        {
          streaming: fc.boolean(),
          pushNotifications: fc.boolean(),
          stateTransitionHistory: fc.boolean(),
          extensions: fc.array(extension, { maxLength: 2 }),
        },
        opt,
      ),
      securitySchemes: fc.dictionary(str, schemeV03, { maxKeys: 2 }),
      security: fc.array(requirementV03, { maxLength: 2 }),
      defaultInputModes: strs,
      defaultOutputModes: strs,
      skills: fc.array(
        fc.record(
          {
            id: text,
            name: text,
            description: text,
            tags: strs,
            examples: strs,
            inputModes: strs,
            outputModes: strs,
            security: fc.array(requirementV03, { maxLength: 1 }),
          },
          { requiredKeys: ['id', 'name', 'description', 'tags'] },
        ),
        { maxLength: 3 },
      ),
      supportsAuthenticatedExtendedCard: fc.boolean(),
      signatures: fc.array(
        fc.record(
          { protected: str, signature: str, header: fc.dictionary(str, str, { maxKeys: 1 }) },
          { requiredKeys: ['protected', 'signature'] },
        ),
        { maxLength: 1 },
      ),
    },
    {
      requiredKeys: [
        'protocolVersion',
        'name',
        'description',
        'url',
        'version',
        'capabilities',
        'defaultInputModes',
        'defaultOutputModes',
        'skills',
      ],
    },
  );

const DELETE = Symbol('delete');

/** Replaces (or deletes) one node of a JSON document, for broken-card corpora. */
export function mutate(document: unknown, pick: number, replacement: unknown): unknown {
  const copy = structuredClone(document) as unknown;
  const slots: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node))
      node.forEach((item, index) => (slots.push({ parent: node, key: index }), walk(item)));
    else if (node !== null && typeof node === 'object') {
      for (const key of Object.keys(node)) {
        slots.push({ parent: node as Record<string, unknown>, key });
        walk((node as Record<string, unknown>)[key]);
      }
    }
  };
  walk(copy);
  if (slots.length === 0) return replacement === DELETE ? null : replacement;
  const { parent, key } = slots[pick % slots.length]!;
  if (replacement === DELETE) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key as string];
  } else if (Array.isArray(parent)) parent[key as number] = replacement;
  else
    Object.defineProperty(parent, key, {
      value: replacement,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return copy;
}

export const replacement = fc.oneof(fc.constant(DELETE), fc.jsonValue({ maxDepth: 2 }));

// ---- AgentCard resources -----------------------------------------------------

const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);
const webUrl = fc.webUrl({ withQueryParameters: false, withFragments: false });

const metadataEntry = fc.oneof(
  fc.tuple(fc.constant('description'), fc.string({ maxLength: 20 })),
  fc.tuple(fc.constant('version'), fc.string({ minLength: 1, maxLength: 8 })),
  fc.tuple(
    fc.constantFrom('provider.url', 'iconUrl', 'documentationUrl'),
    fc.oneof(webUrl, fc.string({ maxLength: 6 })),
  ),
  fc.tuple(fc.constant('provider.organization'), fc.string({ maxLength: 10 })),
  fc.tuple(
    fc.constantFrom(
      'capabilities.streaming',
      'capabilities.pushNotifications',
      'capabilities.stateTransitionHistory',
      'supportsAuthenticatedExtendedCard',
    ),
    fc.constantFrom('true', 'false', 'yes'),
  ),
  fc.tuple(fc.constant('preferredTransport'), fc.constantFrom('JSONRPC', 'GRPC', 'HTTP+JSON', 'jsonrpc')),
  fc.tuple(
    fc.constantFrom('defaultInputModes', 'defaultOutputModes'),
    fc.constantFrom('text/plain', 'application/json,text/plain', ''),
  ),
  fc.tuple(
    fc.constant('securitySchemes'),
    fc.dictionary(token, schemeV03, { maxKeys: 2 }).map((s) => JSON.stringify(s)),
  ),
  fc.tuple(
    fc.constant('security'),
    fc
      .array(fc.dictionary(token, fc.array(token, { maxLength: 2 }), { maxKeys: 1 }), { maxLength: 2 })
      .map((s) => JSON.stringify(s)),
  ),
  fc.tuple(
    fc.constant('additionalInterfaces'),
    fc
      .array(fc.record({ url: webUrl, transport: fc.constantFrom('GRPC', 'HTTP+JSON') }), { maxLength: 2 })
      .map((s) => JSON.stringify(s)),
  ),
  fc.tuple(fc.constant('skills.skill-0.description'), fc.string({ maxLength: 10 })),
  fc.tuple(fc.constant('skills.skill-0.tags'), fc.constantFrom('a,b', '["x, y"]', '[1]')),
  fc.tuple(fc.constant('bogus.key'), fc.string({ maxLength: 4 })),
);

export const agentCardResource = fc.record({
  apiVersion: fc.constant('kagent.dev/v1alpha1' as const),
  kind: fc.constant('AgentCard' as const),
  metadata: fc.record({ name: token, namespace: fc.constant('default') }),
  spec: fc.record(
    {
      a2aVersion: fc.constantFrom('0.3.0' as const, '1.0' as const),
      metadata: fc.array(metadataEntry, { maxLength: 8 }).map((entries) => Object.fromEntries(entries)),
      endpoints: fc.array(webUrl, { maxLength: 2 }),
      capabilities: fc.array(token, { maxLength: 3 }),
      skills: fc.array(
        fc.record(
          {
            id: token,
            name: fc.string({ minLength: 1, maxLength: 10 }),
            description: fc.string({ maxLength: 10 }),
            tags: fc.array(token, { maxLength: 2 }),
            examples: fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }),
          },
          { requiredKeys: ['id', 'name'] },
        ),
        { maxLength: 3 },
      ),
    },
    { requiredKeys: ['metadata'] },
  ),
});
