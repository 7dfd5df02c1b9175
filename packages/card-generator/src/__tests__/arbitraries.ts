import fc from 'fast-check';
import { ANNOTATIONS } from '../index.js';
import { DECLARATIVE } from './fixtures.js';

const token = fc.stringMatching(/^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/);
const url = fc
  .tuple(fc.domain(), fc.stringMatching(/^[a-z0-9/]{0,12}$/))
  .map(([domain, path]) => `https://${domain}/${path}`);
const text = fc.string({ maxLength: 40 }).filter((s) => s.trim() !== '');

const cardMetadata = fc.record(
  {
    'provider.organization': text,
    'provider.url': url,
    iconUrl: url,
    documentationUrl: url,
  },
  { requiredKeys: [] },
);

/** A valid, opted-in kagent Agent with a random selection of every card-relevant input. */
export const kagentAgentArbitrary = fc
  .record(
    {
      name: token,
      namespace: token,
      uid: fc.uuid(),
      capabilities: fc.array(token, { maxLength: 6 }),
      metadata: cardMetadata,
      endpoint: url,
      description: text,
      a2aVersion: fc.constantFrom('0.3.0', '1.0'),
      skills: fc.uniqueArray(fc.record({ id: token, name: text, description: text }), {
        maxLength: 3,
        selector: (skill) => skill.id,
      }),
    },
    { requiredKeys: ['name', 'namespace'] },
  )
  .map((input) => {
    const annotations: Record<string, string> = { [ANNOTATIONS.registerToRegistry]: 'true' };
    if (input.capabilities !== undefined)
      annotations[ANNOTATIONS.capabilities] = input.capabilities.join(',');
    if (input.endpoint !== undefined) annotations[ANNOTATIONS.a2aEndpoint] = input.endpoint;
    if (input.a2aVersion !== undefined) annotations[ANNOTATIONS.a2aVersion] = input.a2aVersion;
    for (const [key, value] of Object.entries(input.metadata ?? {})) {
      annotations[`${ANNOTATIONS.cardMetadataPrefix}${key}`] = value;
    }
    const declarative: Record<string, unknown> = { ...DECLARATIVE };
    const spec: Record<string, unknown> = { type: 'Declarative', declarative };
    if (input.description !== undefined) spec.description = input.description;
    if (input.skills !== undefined && input.skills.length > 0)
      declarative.a2aConfig = { skills: input.skills };
    return {
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'Agent',
      metadata: { name: input.name, namespace: input.namespace, uid: input.uid, annotations },
      spec,
    };
  });

/** A valid a2a.io Agent. */
export const a2aAgentArbitrary = fc
  .record(
    {
      name: token,
      namespace: token,
      uid: fc.uuid(),
      description: text,
      version: token,
      capabilities: fc.uniqueArray(fc.record({ name: token, description: text }), {
        maxLength: 4,
        selector: (capability) => capability.name,
      }),
      endpoints: fc.uniqueArray(
        fc.record({ url, transport: fc.constantFrom('JSONRPC', 'GRPC', 'HTTP+JSON') }),
        { minLength: 1, maxLength: 3, selector: (endpoint) => endpoint.url },
      ),
      authentication: fc.constantFrom(
        { scheme: 'http', parameters: { scheme: 'bearer' } },
        { scheme: 'apiKey', parameters: { in: 'header', name: 'X-Key' } },
        { scheme: 'mutualTLS' },
      ),
    },
    { requiredKeys: ['name', 'namespace'] },
  )
  .map(({ name, namespace, uid, ...spec }) => ({
    apiVersion: 'a2a.io/v1',
    kind: 'Agent',
    metadata: { name, namespace, ...(uid ? { uid } : {}) },
    spec,
  }));

export const agentArbitrary = fc.oneof(kagentAgentArbitrary, a2aAgentArbitrary);

/** The same JSON value with every object's keys in a different (seeded) order. */
export function reorderKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((item, index) => reorderKeys(item, seed + index));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  const rotated =
    entries.length === 0
      ? entries
      : [...entries.slice(seed % entries.length), ...entries.slice(0, seed % entries.length)];
  if (seed % 2 === 1) rotated.reverse();
  return Object.fromEntries(rotated.map(([key, item]) => [key, reorderKeys(item, seed + key.length)]));
}
