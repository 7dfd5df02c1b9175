import * as v from 'valibot';
import type { A2AVersion } from '@agent-registry/crds';
import { parseJson } from './json.js';
import {
  AgentCardSignatureSchema,
  AgentExtensionSchema,
  mapOf,
  type WithoutIndexSignature,
} from './schemas/common.js';
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

/** A metadata value read from its text, or why it cannot be. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

/** A format and how a value in it is read, typed by what it reads. */
interface Reader<T> {
  format: MetadataFormat;
  read(value: string): Parsed<T>;
}

export function isHttpUrl(value: string): boolean {
  return /^https?:\/\//i.test(value) && URL.canParse(value);
}

const text: Reader<string> = { format: 'text', read: (value) => ({ ok: true, value }) };

const url: Reader<string> = {
  format: 'url',
  read: (value) => (isHttpUrl(value) ? { ok: true, value } : fail('must be an http(s) URL')),
};

const boolean: Reader<boolean> = {
  format: 'boolean',
  read: (value) =>
    value === 'true' || value === 'false'
      ? { ok: true, value: value === 'true' }
      : fail('must be "true" or "false"'),
};

const transport: Reader<string> = {
  format: 'transport',
  read(value) {
    if ((CORE_TRANSPORTS as readonly string[]).includes(value)) return { ok: true, value };
    const core = CORE_TRANSPORTS.find((name) => name.toLowerCase() === value.toLowerCase());
    if (core) return fail(`must be ${core} (transport names are case-sensitive)`);
    return /^[A-Za-z0-9+._-]{1,64}$/.test(value)
      ? { ok: true, value }
      : fail(`must be ${CORE_TRANSPORTS.join(', ')} or a custom binding name`);
  },
};

const StringList = v.array(v.string());

const list: Reader<string[]> = {
  format: 'list',
  read(value) {
    if (value.trimStart().startsWith('[')) {
      const parsed = parseJson(value);
      if (!parsed.ok || !v.is(StringList, parsed.value))
        return fail('must be a comma-separated list or a JSON array of strings');
      return { ok: true, value: parsed.value };
    }
    const items: string[] = [];
    for (const item of value.split(',')) {
      const trimmed = item.trim();
      if (trimmed !== '') items.push(trimmed);
    }
    return { ok: true, value: items };
  },
};

/** JSON text of the shape `schema` accepts; `expected` says that shape in words. */
function json<S extends v.GenericSchema>(schema: S, expected: string): Reader<v.InferOutput<S>> {
  return {
    format: 'json',
    read(value) {
      const parsed = parseJson(value);
      if (!parsed.ok) return fail(`must be ${expected} (invalid JSON: ${parsed.error})`);
      if (!v.is(schema, parsed.value)) {
        return fail(
          `must be ${expected.startsWith('a JSON array') ? 'a JSON array' : 'a JSON object'}: ${expected}`,
        );
      }
      return { ok: true, value: parsed.value };
    },
  };
}

/** An interface of `additionalInterfaces` in the 0.3 form. */
const InterfaceItemV03Schema = v.looseObject({ url: v.string(), transport: v.string() });
/** An interface of `additionalInterfaces` in the 1.0 form. */
const InterfaceItemV1Schema = v.looseObject({
  url: v.string(),
  protocolBinding: v.string(),
  protocolVersion: v.optional(v.string()),
  tenant: v.optional(v.string()),
});
const InterfaceItemSchema = v.union([InterfaceItemV03Schema, InterfaceItemV1Schema]);

export type InterfaceItemV03 = WithoutIndexSignature<v.InferOutput<typeof InterfaceItemV03Schema>>;
export type InterfaceItemV1 = WithoutIndexSignature<v.InferOutput<typeof InterfaceItemV1Schema>>;
/** An `additionalInterfaces` item (other keys pass through, untyped). */
export type InterfaceItem = InterfaceItemV03 | InterfaceItemV1;

/* An item may be valid in both forms: 0.3's `transport` names the binding for a 0.3 card, 1.0's form
 * (with its protocol version and tenant) is copied into a 1.0 card. */
export const isInterfaceItemV03 = (item: InterfaceItem): item is InterfaceItemV03 =>
  v.is(InterfaceItemV03Schema, item);
export const isInterfaceItemV1 = (item: InterfaceItem): item is InterfaceItemV1 =>
  v.is(InterfaceItemV1Schema, item);

/** `additionalInterfaces` as read: the items, typed by their form. */
const interfaceItems: Reader<InterfaceItem[]> = json(
  v.array(InterfaceItemSchema),
  'a JSON array of {url, transport} or {url, protocolBinding}',
);

const requirements = json(
  v.array(v.union([SecurityRequirementV03Schema, SecurityRequirementV1Schema])),
  'a JSON array of security requirements',
);

const BOTH = ['0.3.0', '1.0'] as const;

interface KeyDefinition<T> {
  field: string;
  reader: Reader<T>;
  description: string;
  versions: readonly A2AVersion[];
}

const define = <T>(
  field: string,
  reader: Reader<T>,
  description: string,
  versions: readonly A2AVersion[] = BOTH,
): KeyDefinition<T> => ({ field, reader, description, versions });

/** The card's keys, in the documented order. */
const CARD_KEY_DEFINITIONS = {
  name: define('.name', text, 'Display name; defaults to metadata.name.'),
  description: define('.description', text, 'Defaults to "Agent {name}".'),
  version: define('.version', text, 'Agent version; defaults to "1.0.0".'),
  protocolVersion: define(
    '.protocolVersion (0.3) / .supportedInterfaces[0].protocolVersion (1.0)',
    text,
    'Defaults to "0.3.0" / "1.0".',
  ),
  preferredTransport: define(
    '.preferredTransport (0.3) / .supportedInterfaces[0].protocolBinding (1.0)',
    transport,
    'JSONRPC, GRPC, HTTP+JSON or a custom binding; 1.0 defaults to JSONRPC.',
  ),
  tenant: define('.supportedInterfaces[0].tenant', text, 'Tenant of the primary interface.', ['1.0']),
  additionalInterfaces: define(
    '.additionalInterfaces (0.3) / .supportedInterfaces[1..] (1.0)',
    interfaceItems,
    'JSON array of {url, transport} or {url, protocolBinding, protocolVersion?, tenant?}.',
  ),
  'provider.organization': define('.provider.organization', text, 'Emitted only together with provider.url.'),
  'provider.url': define('.provider.url', url, 'Emitted only together with provider.organization.'),
  iconUrl: define('.iconUrl', url, 'http(s) URL.'),
  documentationUrl: define('.documentationUrl', url, 'http(s) URL.'),
  'capabilities.streaming': define('.capabilities.streaming', boolean, 'Defaults to true.'),
  'capabilities.pushNotifications': define('.capabilities.pushNotifications', boolean, 'Defaults to false.'),
  'capabilities.stateTransitionHistory': define(
    '.capabilities.stateTransitionHistory',
    boolean,
    'Defaults to false; not in 1.0.',
    ['0.3.0'],
  ),
  'capabilities.extendedAgentCard': define(
    '.supportsAuthenticatedExtendedCard (0.3) / .capabilities.extendedAgentCard (1.0)',
    boolean,
    'Same as supportsAuthenticatedExtendedCard.',
  ),
  supportsAuthenticatedExtendedCard: define(
    '.supportsAuthenticatedExtendedCard (0.3) / .capabilities.extendedAgentCard (1.0)',
    boolean,
    'Same as capabilities.extendedAgentCard.',
  ),
  'capabilities.extensions': define(
    '.capabilities.extensions',
    json(v.array(AgentExtensionSchema), 'a JSON array of {uri, description?, required?, params?}'),
    'JSON array of {uri, description?, required?, params?}.',
  ),
  securitySchemes: define(
    '.securitySchemes',
    json(
      mapOf(v.union([SecuritySchemeV03Schema, SecuritySchemeV1Schema])),
      'a JSON object of A2A security schemes',
    ),
    'JSON object of named schemes, in 0.3 form ({"type":"http",...}) or 1.0 form ({"httpAuthSecurityScheme":{...}}); converted to the card version.',
  ),
  security: define(
    '.security (0.3) / .securityRequirements (1.0)',
    requirements,
    'JSON array of requirements, in 0.3 form ({"name":["scope"]}) or 1.0 form ({"schemes":{"name":{"list":["scope"]}}}).',
  ),
  defaultInputModes: define(
    '.defaultInputModes',
    list,
    'Media types, comma-separated or a JSON array; defaults to text/plain.',
  ),
  defaultOutputModes: define(
    '.defaultOutputModes',
    list,
    'Media types, comma-separated or a JSON array; defaults to text/plain.',
  ),
  signatures: define(
    '.signatures',
    json(v.array(AgentCardSignatureSchema), 'a JSON array of {protected, signature, header?}'),
    'JSON array of {protected, signature, header?} (JWS over the finished card).',
  ),
};

/** The fields of `skills.<skillId>.<field>`, in the documented order. */
const SKILL_KEY_DEFINITIONS = {
  name: define('.skills[id=skillId].name', text, 'Overrides the skill name.'),
  description: define('.skills[id=skillId].description', text, 'Overrides the skill description.'),
  tags: define('.skills[id=skillId].tags', list, 'Comma-separated or a JSON array.'),
  examples: define(
    '.skills[id=skillId].examples',
    json(v.array(v.string()), 'a JSON array of strings'),
    'JSON array of strings.',
  ),
  inputModes: define('.skills[id=skillId].inputModes', list, 'Comma-separated or a JSON array.'),
  outputModes: define('.skills[id=skillId].outputModes', list, 'Comma-separated or a JSON array.'),
  security: define(
    '.skills[id=skillId].security (0.3) / .securityRequirements (1.0)',
    requirements,
    'JSON array of requirements, either form.',
  ),
};

type ValueOf<D> = D extends KeyDefinition<infer T> ? T : never;

/** A card-level metadata key (every key but `skills.<skillId>.*`). */
export type CardMetadataKey = keyof typeof CARD_KEY_DEFINITIONS;
/** The field of a `skills.<skillId>.<field>` key. */
export type SkillMetadataField = keyof typeof SKILL_KEY_DEFINITIONS;

/** What each card-level key holds once read: `description` a string, `security` requirements in either form, … */
export type CardMetadataValues = {
  [K in CardMetadataKey]: ValueOf<(typeof CARD_KEY_DEFINITIONS)[K]>;
};
/** What each `skills.<skillId>.<field>` key holds once read. */
export type SkillMetadataValues = {
  [F in SkillMetadataField]: ValueOf<(typeof SKILL_KEY_DEFINITIONS)[F]>;
};

const CARD_KEYS: { readonly [K in CardMetadataKey]: KeyDefinition<CardMetadataValues[K]> } =
  CARD_KEY_DEFINITIONS;
const SKILL_KEYS: { readonly [F in SkillMetadataField]: KeyDefinition<SkillMetadataValues[F]> } =
  SKILL_KEY_DEFINITIONS;

const infoOf = (key: string, { field, reader, versions, description }: KeyDefinition<unknown>) =>
  Object.freeze({ key, field, format: reader.format, versions, description });

const cardEntries = (Object.keys(CARD_KEYS) as CardMetadataKey[]).map((key) =>
  Object.freeze({ scope: 'card' as const, key, info: infoOf(key, CARD_KEYS[key]) }),
);
const skillInfos = new Map(
  (Object.keys(SKILL_KEYS) as SkillMetadataField[]).map((field) => [
    field,
    infoOf(`skills.<skillId>.${field}`, SKILL_KEYS[field]),
  ]),
);

/** The documented `spec.metadata` key scheme (also the card generator's `kagent.dev/card-<key>` annotations). */
export const METADATA_KEYS: readonly MetadataKeyInfo[] = Object.freeze([
  ...cardEntries.map((entry) => entry.info),
  ...skillInfos.values(),
]);

/** A key of the scheme: a card-level key, or a skill's field with the skill's id. */
export type MetadataEntry =
  | { scope: 'card'; key: CardMetadataKey; info: MetadataKeyInfo }
  | { scope: 'skill'; field: SkillMetadataField; skillId: string; info: MetadataKeyInfo };

/** Lookup results for the card-level keys, made once (translation looks keys up for every card). */
const cardLookups = new Map<string, MetadataEntry>(cardEntries.map((entry) => [entry.key, entry]));

const isSkillField = (field: string): field is SkillMetadataField => Object.hasOwn(SKILL_KEYS, field);

/** The scheme entry for a key: a card-level key, or `skills.<id>.<field>` with the skill id. */
export function lookupMetadataKey(name: string): MetadataEntry | undefined {
  const direct = cardLookups.get(name);
  if (direct) return direct;
  if (!name.startsWith('skills.')) return undefined;
  const dot = name.lastIndexOf('.');
  const field = name.slice(dot + 1);
  const skillId = name.slice('skills.'.length, dot);
  if (dot <= 'skills.'.length || skillId === '' || !isSkillField(field)) return undefined;
  const info = skillInfos.get(field);
  return info ? { scope: 'skill', field, skillId, info } : undefined;
}

/** Reads the value of a card-level key, typed by the key. Never throws. */
export function readCardMetadata<K extends CardMetadataKey>(
  key: K,
  value: string,
): Parsed<CardMetadataValues[K]> {
  return CARD_KEYS[key].reader.read(value);
}

/** Reads the value of a `skills.<skillId>.<field>` key, typed by the field. Never throws. */
export function readSkillMetadata<F extends SkillMetadataField>(
  field: F,
  value: string,
): Parsed<SkillMetadataValues[F]> {
  return SKILL_KEYS[field].reader.read(value);
}

/** Reads the value of any key of the scheme. Never throws. */
function readEntry(entry: MetadataEntry, value: string): Parsed<unknown> {
  return entry.scope === 'card' ? readCardMetadata(entry.key, value) : readSkillMetadata(entry.field, value);
}

/**
 * Checks one `spec.metadata` entry. Returns undefined when it is fine, else a
 * reason a person can act on ("unknown card-metadata key", "must be an http(s) URL", ...).
 */
export function checkMetadataEntry(key: string, value: string): string | undefined {
  const found = lookupMetadataKey(key);
  if (!found) return 'unknown card-metadata key';
  if (typeof value !== 'string') return 'must be a string';
  const parsed = readEntry(found, value);
  return parsed.ok ? undefined : parsed.reason;
}
