import * as v from 'valibot';
import type { A2AVersion } from '@agent-registry/crds';
import { parseJson } from './json.js';
import { AgentCardSignatureSchema, AgentExtensionSchema, mapOf } from './schemas/common.js';
import { SecurityRequirementV03Schema, SecuritySchemeV03Schema } from './schemas/v03.js';
import { SecurityRequirementV1Schema, SecuritySchemeV1Schema } from './schemas/v1.js';
import { CORE_TRANSPORTS } from './types.js';

/** How a `spec.metadata` value is written. */
export type MetadataFormat = 'text' | 'url' | 'boolean' | 'transport' | 'list' | 'json';

export interface MetadataKeyInfo {
  /** The key; `<skillId>` stands for a skill's id. */
  key: string;
  /** Where the value lands in the A2A card. */
  field: string;
  format: MetadataFormat;
  /** Versions whose cards carry the value; the others ignore it (with a warning when set). */
  versions: readonly A2AVersion[];
  description: string;
}

const BOTH = ['0.3.0', '1.0'] as const;
const key = (
  name: string,
  field: string,
  format: MetadataFormat,
  description: string,
  versions: readonly A2AVersion[] = BOTH,
): MetadataKeyInfo => ({ key: name, field, format, versions, description });

/** The documented `spec.metadata` key scheme (also the card generator's `kagent.dev/card-<key>` annotations). */
export const METADATA_KEYS: readonly MetadataKeyInfo[] = Object.freeze([
  key('name', '.name', 'text', 'Display name; defaults to metadata.name.'),
  key('description', '.description', 'text', 'Defaults to "Agent {name}".'),
  key('version', '.version', 'text', 'Agent version; defaults to "1.0.0".'),
  key(
    'protocolVersion',
    '.protocolVersion (0.3) / .supportedInterfaces[0].protocolVersion (1.0)',
    'text',
    'Defaults to "0.3.0" / "1.0".',
  ),
  key(
    'preferredTransport',
    '.preferredTransport (0.3) / .supportedInterfaces[0].protocolBinding (1.0)',
    'transport',
    'JSONRPC, GRPC, HTTP+JSON or a custom binding; 1.0 defaults to JSONRPC.',
  ),
  key('tenant', '.supportedInterfaces[0].tenant', 'text', 'Tenant of the primary interface.', ['1.0']),
  key(
    'additionalInterfaces',
    '.additionalInterfaces (0.3) / .supportedInterfaces[1..] (1.0)',
    'json',
    'JSON array of {url, transport} or {url, protocolBinding, protocolVersion?, tenant?}.',
  ),
  key('provider.organization', '.provider.organization', 'text', 'Emitted only together with provider.url.'),
  key('provider.url', '.provider.url', 'url', 'Emitted only together with provider.organization.'),
  key('iconUrl', '.iconUrl', 'url', 'http(s) URL.'),
  key('documentationUrl', '.documentationUrl', 'url', 'http(s) URL.'),
  key('capabilities.streaming', '.capabilities.streaming', 'boolean', 'Defaults to true.'),
  key('capabilities.pushNotifications', '.capabilities.pushNotifications', 'boolean', 'Defaults to false.'),
  key(
    'capabilities.stateTransitionHistory',
    '.capabilities.stateTransitionHistory',
    'boolean',
    'Defaults to false; not in 1.0.',
    ['0.3.0'],
  ),
  key(
    'capabilities.extendedAgentCard',
    '.supportsAuthenticatedExtendedCard (0.3) / .capabilities.extendedAgentCard (1.0)',
    'boolean',
    'Same as supportsAuthenticatedExtendedCard.',
  ),
  key(
    'supportsAuthenticatedExtendedCard',
    '.supportsAuthenticatedExtendedCard (0.3) / .capabilities.extendedAgentCard (1.0)',
    'boolean',
    'Same as capabilities.extendedAgentCard.',
  ),
  key(
    'capabilities.extensions',
    '.capabilities.extensions',
    'json',
    'JSON array of {uri, description?, required?, params?}.',
  ),
  key(
    'securitySchemes',
    '.securitySchemes',
    'json',
    'JSON object of named schemes, in 0.3 form ({"type":"http",...}) or 1.0 form ({"httpAuthSecurityScheme":{...}}); converted to the card version.',
  ),
  key(
    'security',
    '.security (0.3) / .securityRequirements (1.0)',
    'json',
    'JSON array of requirements, in 0.3 form ({"name":["scope"]}) or 1.0 form ({"schemes":{"name":{"list":["scope"]}}}).',
  ),
  key(
    'defaultInputModes',
    '.defaultInputModes',
    'list',
    'Media types, comma-separated or a JSON array; defaults to text/plain.',
  ),
  key(
    'defaultOutputModes',
    '.defaultOutputModes',
    'list',
    'Media types, comma-separated or a JSON array; defaults to text/plain.',
  ),
  key(
    'signatures',
    '.signatures',
    'json',
    'JSON array of {protected, signature, header?} (JWS over the finished card).',
  ),
  key('skills.<skillId>.name', '.skills[id=skillId].name', 'text', 'Overrides the skill name.'),
  key(
    'skills.<skillId>.description',
    '.skills[id=skillId].description',
    'text',
    'Overrides the skill description.',
  ),
  key('skills.<skillId>.tags', '.skills[id=skillId].tags', 'list', 'Comma-separated or a JSON array.'),
  key('skills.<skillId>.examples', '.skills[id=skillId].examples', 'json', 'JSON array of strings.'),
  key(
    'skills.<skillId>.inputModes',
    '.skills[id=skillId].inputModes',
    'list',
    'Comma-separated or a JSON array.',
  ),
  key(
    'skills.<skillId>.outputModes',
    '.skills[id=skillId].outputModes',
    'list',
    'Comma-separated or a JSON array.',
  ),
  key(
    'skills.<skillId>.security',
    '.skills[id=skillId].security (0.3) / .securityRequirements (1.0)',
    'json',
    'JSON array of requirements, either form.',
  ),
]);

const byKey = new Map(METADATA_KEYS.map((info) => [info.key, info]));
/** Lookup results for the plain keys, made once (translation looks keys up for every card). */
const directLookups = new Map(METADATA_KEYS.map((info) => [info.key, Object.freeze({ info })]));
const SKILL_FIELDS = new Set([
  'name',
  'description',
  'tags',
  'examples',
  'inputModes',
  'outputModes',
  'security',
]);

/** The scheme entry for a key, and the skill id for `skills.<id>.<field>` keys. */
export function lookupMetadataKey(name: string): { info: MetadataKeyInfo; skillId?: string } | undefined {
  const direct = directLookups.get(name);
  if (direct) return direct;
  if (!name.startsWith('skills.')) return undefined;
  const dot = name.lastIndexOf('.');
  const field = name.slice(dot + 1);
  const skillId = name.slice('skills.'.length, dot);
  if (dot <= 'skills.'.length || skillId === '' || !SKILL_FIELDS.has(field)) return undefined;
  const info = byKey.get(`skills.<skillId>.${field}`);
  return info ? { info, skillId } : undefined;
}

export type ParsedValue = string | boolean | string[] | unknown;
type Parsed = { ok: true; value: ParsedValue } | { ok: false; reason: string };

const fail = (reason: string): Parsed => ({ ok: false, reason });

export function isHttpUrl(value: string): boolean {
  return /^https?:\/\//i.test(value) && URL.canParse(value);
}

function parseList(value: string): Parsed {
  if (value.trimStart().startsWith('[')) {
    const parsed = parseJson(value);
    if (!parsed.ok || !v.is(v.array(v.string()), parsed.value))
      return fail('must be a comma-separated list or a JSON array of strings');
    return { ok: true, value: parsed.value };
  }
  const items: string[] = [];
  for (const item of value.split(',')) {
    const trimmed = item.trim();
    if (trimmed !== '') items.push(trimmed);
  }
  return { ok: true, value: items };
}

const InterfaceItem = v.union([
  v.looseObject({ url: v.string(), transport: v.string() }),
  v.looseObject({
    url: v.string(),
    protocolBinding: v.string(),
    protocolVersion: v.optional(v.string()),
    tenant: v.optional(v.string()),
  }),
]);

const jsonShapes: Record<string, { schema: v.GenericSchema; expected: string }> = {
  additionalInterfaces: {
    schema: v.array(InterfaceItem),
    expected: 'a JSON array of {url, transport} or {url, protocolBinding}',
  },
  'capabilities.extensions': {
    schema: v.array(AgentExtensionSchema),
    expected: 'a JSON array of {uri, description?, required?, params?}',
  },
  securitySchemes: {
    schema: mapOf(v.union([SecuritySchemeV03Schema, SecuritySchemeV1Schema])),
    expected: 'a JSON object of A2A security schemes',
  },
  security: {
    schema: v.array(v.union([SecurityRequirementV03Schema, SecurityRequirementV1Schema])),
    expected: 'a JSON array of security requirements',
  },
  signatures: {
    schema: v.array(AgentCardSignatureSchema),
    expected: 'a JSON array of {protected, signature, header?}',
  },
  'skills.<skillId>.examples': { schema: v.array(v.string()), expected: 'a JSON array of strings' },
  'skills.<skillId>.security': {
    schema: v.array(v.union([SecurityRequirementV03Schema, SecurityRequirementV1Schema])),
    expected: 'a JSON array of security requirements',
  },
};

/** Parses a value for a known key; never throws. */
export function parseMetadataValue(info: MetadataKeyInfo, value: string): Parsed {
  switch (info.format) {
    case 'text':
      return { ok: true, value };
    case 'url':
      return isHttpUrl(value) ? { ok: true, value } : fail('must be an http(s) URL');
    case 'boolean':
      return value === 'true' || value === 'false'
        ? { ok: true, value: value === 'true' }
        : fail('must be "true" or "false"');
    case 'transport': {
      if ((CORE_TRANSPORTS as readonly string[]).includes(value)) return { ok: true, value };
      const core = CORE_TRANSPORTS.find((name) => name.toLowerCase() === value.toLowerCase());
      if (core) return fail(`must be ${core} (transport names are case-sensitive)`);
      return /^[A-Za-z0-9+._-]{1,64}$/.test(value)
        ? { ok: true, value }
        : fail(`must be ${CORE_TRANSPORTS.join(', ')} or a custom binding name`);
    }
    case 'list':
      return parseList(value);
    case 'json': {
      const shape = jsonShapes[info.key];
      const expected = shape?.expected ?? 'JSON';
      const parsed = parseJson(value);
      if (!parsed.ok) return fail(`must be ${expected} (invalid JSON: ${parsed.error})`);
      if (shape && !v.is(shape.schema, parsed.value)) {
        return fail(
          `must be ${expected.startsWith('a JSON array') ? 'a JSON array' : 'a JSON object'}: ${expected}`,
        );
      }
      return { ok: true, value: parsed.value };
    }
  }
}

/**
 * Checks one `spec.metadata` entry. Returns undefined when it is fine, else a
 * reason a person can act on ("unknown card-metadata key", "must be an http(s) URL", ...).
 */
export function checkMetadataEntry(key: string, value: string): string | undefined {
  const found = lookupMetadataKey(key);
  if (!found) return 'unknown card-metadata key';
  if (typeof value !== 'string') return 'must be a string';
  const parsed = parseMetadataValue(found.info, value);
  return parsed.ok ? undefined : parsed.reason;
}
