import {
  A2A_AGENT_API_VERSION,
  A2AAuthenticationSchema,
  A2ACapabilitySchema,
  A2AEndpointSchema,
  KAGENT_AGENT_API_VERSION,
  KAGENT_AGENT_TYPES,
  KagentSkillSchema,
  limits,
  ObjectMetaSchema,
  parseResource,
  parseWith,
  text,
  validateObjectMeta,
  type A2AAgent,
  type Problem,
  type KagentAgent,
  type ObjectMeta,
} from '@agent-registry/crds';
import { error, type Diagnostic } from './diagnostics.js';

/** An agent a card can be generated for. */
export type Source =
  { type: 'KagentAgent'; resource: KagentAgent } | { type: 'A2AAgent'; resource: A2AAgent };

export interface ReadSourceResult {
  /** Absent when the input is unusable (not an agent, no valid name). */
  source?: Source;
  diagnostics: Diagnostic[];
}

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const field = (value: unknown, key: string): unknown =>
  isObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;

// Status is what the agent reports, not what its card says: problems there do not concern the card.
const concernsCard = (issue: Problem): boolean => !issue.path.startsWith('status');

/**
 * Parses an agent resource, keeping what is valid. A fully valid resource is
 * returned as parsed; otherwise every issue becomes a diagnostic and each part
 * is re-read on its own (a bad endpoint drops that endpoint, not the agent).
 */
export function readSource(input: unknown): ReadSourceResult {
  const parsed = parseResource(input);
  if (parsed.ok) {
    const { value } = parsed;
    if (value.type === 'AgentCard') {
      return {
        diagnostics: [error('kind', 'an AgentCard is not an agent; cards are generated from Agents')],
      };
    }
    const nameProblems = checkName(value.resource.metadata);
    if (nameProblems.length > 0) return { diagnostics: nameProblems };
    return { source: value, diagnostics: [] };
  }
  const diagnostics: Diagnostic[] = parsed.issues.filter(concernsCard);
  const apiVersion = field(input, 'apiVersion');
  // parseResource names apiVersion/kind only when the kind is unsupported: nothing to salvage then.
  if (
    !isObject(input) ||
    parsed.issues.some((issue) => issue.path === 'kind' || issue.path === 'apiVersion')
  ) {
    return { diagnostics };
  }
  const metadata = salvageMetadata(field(input, 'metadata'));
  if (metadata === undefined) return { diagnostics };
  const nameProblems = checkName(metadata);
  if (nameProblems.length > 0) return { diagnostics: [...diagnostics, ...nameProblems] };
  const spec = field(input, 'spec');
  if (apiVersion === KAGENT_AGENT_API_VERSION) {
    const resource = { ...(input as KagentAgent), metadata, spec: salvageKagentSpec(spec) };
    return { source: { type: 'KagentAgent', resource }, diagnostics };
  }
  if (apiVersion === A2A_AGENT_API_VERSION) {
    const resource = { ...(input as A2AAgent), metadata, spec: salvageA2ASpec(spec) };
    return { source: { type: 'A2AAgent', resource }, diagnostics };
  }
  return { diagnostics };
}

/** The name and namespace a kube-apiserver would accept (its rules, its words): without them there is no card to name. */
function checkName(metadata: ObjectMeta): Diagnostic[] {
  const identity = { name: metadata.name, namespace: metadata.namespace };
  return validateObjectMeta(identity, 'Agent');
}

/**
 * The metadata as given, or else its identity plus its string annotations (an
 * over-size total was already reported; each annotation reader bounds its own
 * work), or else nothing: without a valid name there is no card to name.
 */
function salvageMetadata(raw: unknown): ObjectMeta | undefined {
  const whole = parseWith(ObjectMetaSchema, raw);
  if (whole.ok) return whole.value;
  const uid = field(raw, 'uid');
  const identity = parseWith(ObjectMetaSchema, {
    name: field(raw, 'name'),
    namespace: field(raw, 'namespace'),
    uid: typeof uid === 'string' ? uid : undefined,
  });
  if (!identity.ok) return undefined;
  const annotations = field(raw, 'annotations');
  if (!isObject(annotations)) return identity.value;
  const strings = Object.entries(annotations).filter(([, value]) => typeof value === 'string') as [
    string,
    string,
  ][];
  return { ...identity.value, annotations: Object.fromEntries(strings) };
}

type Schema = Parameters<typeof parseWith>[0];
/** What `parseWith(schema, …)` gives when the value is valid. */
type Valid<S extends Schema> = Extract<ReturnType<typeof parseWith<S>>, { ok: true }>['value'];

function valid<S extends Schema>(schema: S, value: unknown): Valid<S> | undefined {
  if (value === undefined) return undefined;
  const result = parseWith(schema, value);
  return result.ok ? result.value : undefined;
}

/** The items of a list that are valid on their own, at most `limits.listItems`. */
function validItems<S extends Schema>(schema: S, value: unknown): Valid<S>[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const items: Valid<S>[] = [];
  for (const item of value.slice(0, limits.listItems)) {
    const result = parseWith(schema, item);
    if (result.ok) items.push(result.value);
  }
  return items;
}

const Description = text(limits.text);
const Token = text(limits.token);

function salvageKagentSpec(raw: unknown): KagentAgent['spec'] {
  const spec: KagentAgent['spec'] = {};
  const description = valid(Description, field(raw, 'description'));
  if (description !== undefined) spec.description = description;
  const type = field(raw, 'type');
  if ((KAGENT_AGENT_TYPES as readonly unknown[]).includes(type))
    spec.type = type as KagentAgent['spec']['type'];
  const skills = validItems(
    KagentSkillSchema,
    field(field(field(raw, 'declarative'), 'a2aConfig'), 'skills'),
  );
  if (skills !== undefined) spec.declarative = { a2aConfig: { skills } };
  return spec;
}

function salvageA2ASpec(raw: unknown): A2AAgent['spec'] {
  const spec: A2AAgent['spec'] = {};
  const description = valid(Description, field(raw, 'description'));
  if (description !== undefined) spec.description = description;
  const version = valid(Token, field(raw, 'version'));
  if (version !== undefined) spec.version = version;
  const capabilities = validItems(A2ACapabilitySchema, field(raw, 'capabilities'));
  if (capabilities !== undefined) spec.capabilities = capabilities;
  const endpoints = validItems(A2AEndpointSchema, field(raw, 'endpoints'));
  if (endpoints !== undefined) spec.endpoints = endpoints;
  const authentication = valid(A2AAuthenticationSchema, field(raw, 'authentication'));
  if (authentication !== undefined) spec.authentication = authentication;
  return spec;
}
