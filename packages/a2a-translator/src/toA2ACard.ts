import { DEFAULT_A2A_VERSION, formatPath, type A2AVersion, type AgentCardSpec } from '@agent-registry/crds';
import { cloneJson, getOwn, isPlainObject, type JsonObject } from './json.js';
import { isHttpUrl, lookupMetadataKey, parseMetadataValue, type ParsedValue } from './metadataKeys.js';
import { convertRequirements, convertSchemes, type Path } from './security.js';
import type { A2ACard, A2ACardV03, A2ACardV1, TranslationResult, TranslationWarning } from './types.js';

/** An AgentCard resource, or just the parts of one the translation reads. */
export interface AgentCardLike {
  metadata: { name: string; namespace?: string };
  spec: Omit<AgentCardSpec, 'a2aVersion'> & { a2aVersion?: A2AVersion };
}

export interface TranslateOptions {
  /** Card version to emit; defaults to `spec.a2aVersion`, then 0.3.0. */
  a2aVersion?: A2AVersion;
  /** Overrides the primary URL (`spec.endpoints[0]`). */
  baseUrl?: string;
}

export const DEFAULT_MODES = ['text/plain'];
export const DEFAULT_VERSION = '1.0.0';
export const GENERAL_SKILL = { id: 'general', name: 'General Purpose' } as const;

interface Context {
  version: A2AVersion;
  warnings: TranslationWarning[];
  meta: Map<string, ParsedValue>;
  skillMeta: Map<string, Map<string, ParsedValue>>;
}

const warn = (ctx: Context, path: Path, message: string): void => {
  ctx.warnings.push({ path: formatPath(path), message });
};

function readMetadata(ctx: Context, metadata: unknown): void {
  if (metadata === undefined) return;
  if (!isPlainObject(metadata)) return warn(ctx, ['spec', 'metadata'], 'ignored: must be a map of strings');
  for (const name of Object.keys(metadata)) {
    const path = ['spec', 'metadata', name];
    const found = lookupMetadataKey(name);
    if (!found) {
      warn(ctx, path, 'unknown card-metadata key; ignored (see METADATA_KEYS)');
      continue;
    }
    const raw = metadata[name];
    if (typeof raw !== 'string') {
      warn(ctx, path, 'ignored: must be a string');
      continue;
    }
    const parsed = parseMetadataValue(found.info, raw);
    if (!parsed.ok) {
      warn(ctx, path, `${parsed.reason}; omitted`);
      continue;
    }
    if (!found.info.versions.includes(ctx.version)) {
      if (parsed.value !== false)
        warn(ctx, path, `ignored: A2A ${ctx.version} cards have no ${found.info.field}`);
      continue;
    }
    if (found.skillId === undefined) {
      ctx.meta.set(found.info.key, parsed.value);
    } else {
      const field = found.info.key.slice(found.info.key.lastIndexOf('.') + 1);
      const entry = ctx.skillMeta.get(found.skillId) ?? new Map<string, ParsedValue>();
      entry.set(field, parsed.value);
      ctx.skillMeta.set(found.skillId, entry);
    }
  }
}

const TYPED_SKILL_FIELDS = ['description', 'tags', 'examples', 'inputModes', 'outputModes'];
const OPTIONAL_SKILL_FIELDS = ['examples', 'inputModes', 'outputModes'];

/** Sets a field we name ourselves (never a user key) when it has a value. */
function assignDefined(target: JsonObject, field: string, value: unknown): void {
  if (value !== undefined) target[field] = value;
}

/** A skill field, with a `skills.<id>.<field>` metadata override winning. */
function skillField(
  overrides: Map<string, ParsedValue> | undefined,
  skill: JsonObject,
  field: string,
): unknown {
  return overrides?.has(field) ? overrides.get(field) : skill[field];
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
const stringList = (value: unknown) =>
  Array.isArray(value) && value.every((item) => typeof item === 'string') ? (value as string[]) : undefined;

function buildSkills(ctx: Context, spec: AgentCardLike['spec'], name: string): JsonObject[] {
  const typed = Array.isArray(spec.skills) ? spec.skills : [];
  const capabilities = Array.isArray(spec.capabilities) ? spec.capabilities : [];
  const drafts: { path: Path; skill: JsonObject }[] = [];
  if (typed.length > 0) {
    for (let index = 0; index < typed.length; index++) {
      const skill: unknown = typed[index];
      const path = ['spec', 'skills', index];
      const id = text(getOwn(skill, 'id'));
      const skillName = text(getOwn(skill, 'name'));
      if (!id || !skillName) {
        warn(ctx, path, 'omitted: a skill needs a string id and name');
        continue;
      }
      const draft: JsonObject = { id, name: skillName };
      for (const field of TYPED_SKILL_FIELDS) {
        const value = getOwn(skill, field);
        if (field === 'description' ? text(value) !== undefined : stringList(value) !== undefined) {
          draft[field] = cloneJson(value);
        }
      }
      drafts.push({ path, skill: draft });
    }
    if (capabilities.length > 0)
      warn(ctx, ['spec', 'capabilities'], 'ignored: typed spec.skills win over capability strings');
  } else if (capabilities.length > 0) {
    for (let index = 0; index < capabilities.length; index++) {
      const capability: unknown = capabilities[index];
      const path = ['spec', 'capabilities', index];
      if (typeof capability !== 'string' || capability === '') {
        warn(ctx, path, 'omitted: must be a non-empty string');
        continue;
      }
      drafts.push({ path, skill: { id: `skill-${index}`, name: capability } });
    }
  }
  if (drafts.length === 0) {
    drafts.push({
      path: ['spec', 'skills'],
      skill: { ...GENERAL_SKILL, description: `General-purpose skill of agent ${name}`, tags: [] },
    });
    warn(
      ctx,
      ['spec', 'skills'],
      `no skills or capabilities: emitted one "${GENERAL_SKILL.name}" skill (A2A requires skills)`,
    );
  }

  const seen = new Set<string>();
  const skills: JsonObject[] = [];
  for (const { path, skill } of drafts) {
    const id = skill.id as string;
    if (seen.has(id)) {
      warn(ctx, path, `omitted: duplicate skill id ${JSON.stringify(id)}`);
      continue;
    }
    seen.add(id);
    const overrides = ctx.skillMeta.get(id);
    let description = skillField(overrides, skill, 'description') as string | undefined;
    if (description === undefined) {
      description = `Capability: ${skillField(overrides, skill, 'name') as string}`;
      warn(
        ctx,
        path,
        `skill has no description, which A2A requires: filled with ${JSON.stringify(description)}`,
      );
    }
    const out: JsonObject = {
      id,
      name: skillField(overrides, skill, 'name') as string,
      description,
      tags: (skillField(overrides, skill, 'tags') as string[] | undefined) ?? [],
    };
    for (const field of OPTIONAL_SKILL_FIELDS) {
      const item = skillField(overrides, skill, field);
      if (item !== undefined) out[field] = item;
    }
    const security = overrides?.get('security');
    if (security !== undefined) {
      const converted = convertRequirements(
        ctx.version,
        security,
        ['spec', 'metadata', `skills.${id}.security`],
        (p, m) => warn(ctx, p, m),
      );
      if (converted) out[ctx.version === '1.0' ? 'securityRequirements' : 'security'] = converted;
    }
    skills.push(out);
  }
  for (const id of ctx.skillMeta.keys()) {
    if (!seen.has(id))
      warn(ctx, ['spec', 'metadata', `skills.${id}`], `ignored: no skill has id ${JSON.stringify(id)}`);
  }
  return skills;
}

function primaryUrl(ctx: Context, spec: AgentCardLike['spec'], baseUrl: string | undefined): string {
  const endpoints = Array.isArray(spec.endpoints) ? spec.endpoints : [];
  if (endpoints.length > 1) {
    warn(
      ctx,
      ['spec', 'endpoints'],
      'only endpoints[0] becomes the card URL; declare others with metadata additionalInterfaces',
    );
  }
  if (baseUrl !== undefined) {
    if (isHttpUrl(baseUrl)) return baseUrl;
    warn(ctx, ['options', 'baseUrl'], 'ignored: must be an http(s) URL');
  }
  const first: unknown = endpoints[0];
  if (typeof first === 'string' && first !== '') return first;
  warn(
    ctx,
    ['spec', 'endpoints'],
    'no endpoint and no baseUrl: the card URL is empty, so clients cannot reach the agent',
  );
  return '';
}

function interfaces(ctx: Context, primary: JsonObject): JsonObject[] {
  const extra = ctx.meta.get('additionalInterfaces') as JsonObject[] | undefined;
  if (!extra) return [];
  const out: JsonObject[] = [];
  for (const item of extra) {
    const url = item.url as string;
    const binding = (item.transport ?? item.protocolBinding) as string;
    if (ctx.version === '0.3.0') {
      if (typeof item.tenant === 'string') {
        warn(
          ctx,
          ['spec', 'metadata', 'additionalInterfaces'],
          'tenant dropped: A2A 0.3 interfaces have no tenant',
        );
      }
      out.push({ url, transport: binding });
    } else if (typeof item.protocolBinding === 'string') {
      out.push(cloneJson(item) as JsonObject);
    } else if (url !== primary.url || binding !== primary.protocolBinding) {
      // 0.3 lists repeat the primary interface; 1.0 lists it once.
      out.push({ url, protocolBinding: binding, protocolVersion: primary.protocolVersion });
    }
  }
  return out;
}

function provider(ctx: Context): JsonObject | undefined {
  const organization = ctx.meta.get('provider.organization') as string | undefined;
  const url = ctx.meta.get('provider.url') as string | undefined;
  if (organization !== undefined && url !== undefined) return { organization, url };
  if (organization !== undefined || url !== undefined) {
    const missing = organization === undefined ? 'provider.organization' : 'provider.url';
    warn(
      ctx,
      ['spec', 'metadata', missing],
      'provider omitted: A2A requires both provider.organization and provider.url',
    );
  }
  return undefined;
}

export function toA2ACard(
  agentCard: AgentCardLike,
  options: TranslateOptions & { a2aVersion: '1.0' },
): TranslationResult<A2ACardV1>;
export function toA2ACard(
  agentCard: AgentCardLike,
  options: TranslateOptions & { a2aVersion: '0.3.0' },
): TranslationResult<A2ACardV03>;
export function toA2ACard(agentCard: AgentCardLike, options?: TranslateOptions): TranslationResult<A2ACard>;
/** Renders an AgentCard resource as an A2A card. Never throws; every fill or omission is a warning. */
export function toA2ACard(
  agentCard: AgentCardLike,
  options: TranslateOptions = {},
): TranslationResult<A2ACard> {
  const spec: AgentCardLike['spec'] = isPlainObject(getOwn(agentCard, 'spec')) ? agentCard.spec : {};
  const requested = options.a2aVersion ?? spec.a2aVersion;
  const version: A2AVersion = requested === '1.0' || requested === '0.3.0' ? requested : DEFAULT_A2A_VERSION;
  const ctx: Context = { version, warnings: [], meta: new Map(), skillMeta: new Map() };
  readMetadata(ctx, getOwn(spec, 'metadata'));
  const meta = ctx.meta;
  const resourceName = text(getOwn(getOwn(agentCard, 'metadata'), 'name')) ?? '';
  const name = (meta.get('name') as string | undefined) ?? resourceName;
  const url = primaryUrl(ctx, spec, options.baseUrl);
  const skills = buildSkills(ctx, spec, name);
  const onWarn = (path: Path, message: string) => warn(ctx, path, message);
  const extendedCard = (meta.get('capabilities.extendedAgentCard') ??
    meta.get('supportsAuthenticatedExtendedCard')) as boolean | undefined;
  const schemes = meta.has('securitySchemes')
    ? convertSchemes(version, meta.get('securitySchemes'), ['spec', 'metadata', 'securitySchemes'], onWarn)
    : undefined;
  const security = meta.has('security')
    ? convertRequirements(version, meta.get('security'), ['spec', 'metadata', 'security'], onWarn)
    : undefined;
  const common = {
    name,
    description: (meta.get('description') as string | undefined) ?? `Agent ${name}`,
  };
  const card: JsonObject = { ...common };
  const capabilities: JsonObject = {
    streaming: (meta.get('capabilities.streaming') as boolean | undefined) ?? true,
    pushNotifications: (meta.get('capabilities.pushNotifications') as boolean | undefined) ?? false,
  };

  if (version === '0.3.0') {
    let protocolVersion = (meta.get('protocolVersion') as string | undefined) ?? '0.3.0';
    if (!protocolVersion.startsWith('0.')) {
      warn(
        ctx,
        ['spec', 'metadata', 'protocolVersion'],
        `ignored: a 0.3 card cannot declare protocolVersion ${protocolVersion}`,
      );
      protocolVersion = '0.3.0';
    }
    card.version = (meta.get('version') as string | undefined) ?? DEFAULT_VERSION;
    card.url = url;
    assignDefined(card, 'preferredTransport', meta.get('preferredTransport'));
    const extra = interfaces(ctx, { url });
    if (meta.has('additionalInterfaces')) card.additionalInterfaces = extra;
    assignDefined(card, 'provider', provider(ctx));
    assignDefined(card, 'iconUrl', meta.get('iconUrl'));
    assignDefined(card, 'documentationUrl', meta.get('documentationUrl'));
    capabilities.stateTransitionHistory =
      (meta.get('capabilities.stateTransitionHistory') as boolean | undefined) ?? false;
    assignDefined(capabilities, 'extensions', cloneJson(meta.get('capabilities.extensions')));
    card.capabilities = capabilities;
    assignDefined(card, 'securitySchemes', schemes);
    assignDefined(card, 'security', security);
    card.defaultInputModes = meta.get('defaultInputModes') ?? DEFAULT_MODES;
    card.defaultOutputModes = meta.get('defaultOutputModes') ?? DEFAULT_MODES;
    card.skills = skills;
    assignDefined(card, 'supportsAuthenticatedExtendedCard', extendedCard);
    assignDefined(card, 'signatures', cloneJson(meta.get('signatures')));
    card.protocolVersion = protocolVersion;
    return { card: card as unknown as A2ACardV03, warnings: ctx.warnings };
  }

  const primary: JsonObject = {
    url,
    protocolBinding: (meta.get('preferredTransport') as string | undefined) ?? 'JSONRPC',
  };
  assignDefined(primary, 'tenant', meta.get('tenant'));
  primary.protocolVersion = (meta.get('protocolVersion') as string | undefined) ?? '1.0';
  card.supportedInterfaces = url === '' ? [] : [primary, ...interfaces(ctx, primary)];
  assignDefined(card, 'provider', provider(ctx));
  card.version = (meta.get('version') as string | undefined) ?? DEFAULT_VERSION;
  assignDefined(card, 'documentationUrl', meta.get('documentationUrl'));
  assignDefined(capabilities, 'extensions', cloneJson(meta.get('capabilities.extensions')));
  assignDefined(capabilities, 'extendedAgentCard', extendedCard);
  card.capabilities = capabilities;
  assignDefined(card, 'securitySchemes', schemes);
  assignDefined(card, 'securityRequirements', security);
  card.defaultInputModes = meta.get('defaultInputModes') ?? DEFAULT_MODES;
  card.defaultOutputModes = meta.get('defaultOutputModes') ?? DEFAULT_MODES;
  card.skills = skills;
  assignDefined(card, 'signatures', cloneJson(meta.get('signatures')));
  assignDefined(card, 'iconUrl', meta.get('iconUrl'));
  return { card: card as unknown as A2ACardV1, warnings: ctx.warnings };
}
