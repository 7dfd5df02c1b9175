import {
  DEFAULT_A2A_VERSION,
  formatPath,
  type A2AVersion,
  type AgentCardSpec,
  type Issue,
} from '@agent-registry/crds';
import { cloneJson, getOwn, isPlainObject, type JsonObject } from './json.js';
import { isHttpUrl, lookupMetadataKey, parseMetadataValue, type ParsedValue } from './metadataKeys.js';
import { convertRequirements, convertSchemes, type Path } from './security.js';
import { deriveSkillTags } from './skillTags.js';
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
    const found = lookupMetadataKey(name);
    if (!found) {
      warn(ctx, ['spec', 'metadata', name], 'unknown card-metadata key; ignored (see METADATA_KEYS)');
      continue;
    }
    const raw = metadata[name];
    if (typeof raw !== 'string') {
      warn(ctx, ['spec', 'metadata', name], 'ignored: must be a string');
      continue;
    }
    const { info, skillId } = found;
    const parsed = parseMetadataValue(info, raw);
    if (!parsed.ok) {
      warn(ctx, ['spec', 'metadata', name], `${parsed.reason}; omitted`);
      continue;
    }
    if (!info.versions.includes(ctx.version)) {
      if (parsed.value !== false)
        warn(ctx, ['spec', 'metadata', name], `ignored: A2A ${ctx.version} cards have no ${info.field}`);
      continue;
    }
    if (skillId === undefined) {
      ctx.meta.set(info.key, parsed.value);
    } else {
      const field = info.key.slice(info.key.lastIndexOf('.') + 1);
      let entry = ctx.skillMeta.get(skillId);
      if (entry === undefined) ctx.skillMeta.set(skillId, (entry = new Map<string, ParsedValue>()));
      entry.set(field, parsed.value);
    }
  }
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

function isStringList(value: unknown): value is string[] {
  if (!Array.isArray(value)) return false;
  // Holes are skipped, as Array.prototype.every skips them.
  for (let index = 0; index < value.length; index++)
    if (typeof value[index] !== 'string' && index in value) return false;
  return true;
}

/** An own field of a typed skill when it is a list of strings, copied (the card never shares the input's arrays). */
function ownStringList(skill: JsonObject, field: string): string[] | undefined {
  const value = Object.hasOwn(skill, field) ? skill[field] : undefined;
  return isStringList(value) ? value.slice() : undefined;
}

/**
 * A skill before overrides and de-duplication: a typed skill (`source`, already
 * known to have a string id and name), a capability string, or the General Purpose fill-in.
 */
interface SkillDraft {
  id: string;
  name: string;
  source: JsonObject | undefined;
  /** Index in spec.skills / spec.capabilities (for warnings); -1 for the General Purpose skill. */
  index: number;
  description?: string;
}

function collectDrafts(
  ctx: Context,
  spec: AgentCardLike['spec'],
  name: string,
): { drafts: SkillDraft[]; list: string } {
  const typed = Array.isArray(spec.skills) ? spec.skills : [];
  const capabilities = Array.isArray(spec.capabilities) ? spec.capabilities : [];
  const drafts: SkillDraft[] = [];
  if (typed.length > 0) {
    for (let index = 0; index < typed.length; index++) {
      const skill: unknown = typed[index];
      const id = text(getOwn(skill, 'id'));
      const skillName = text(getOwn(skill, 'name'));
      if (!id || !skillName) {
        warn(ctx, ['spec', 'skills', index], 'omitted: a skill needs a string id and name');
        continue;
      }
      drafts.push({ id, name: skillName, source: skill as JsonObject, index });
    }
    if (capabilities.length > 0)
      warn(ctx, ['spec', 'capabilities'], 'ignored: typed spec.skills win over capability strings');
    if (drafts.length > 0) return { drafts, list: 'skills' };
  } else if (capabilities.length > 0) {
    for (let index = 0; index < capabilities.length; index++) {
      const capability: unknown = capabilities[index];
      if (typeof capability !== 'string' || capability === '') {
        warn(ctx, ['spec', 'capabilities', index], 'omitted: must be a non-empty string');
        continue;
      }
      drafts.push({ id: `skill-${index}`, name: capability, source: undefined, index });
    }
    if (drafts.length > 0) return { drafts, list: 'capabilities' };
  }
  drafts.push({
    id: GENERAL_SKILL.id,
    name: GENERAL_SKILL.name,
    source: undefined,
    index: -1,
    description: `General-purpose skill of agent ${name}`,
  });
  warn(
    ctx,
    ['spec', 'skills'],
    `no skills or capabilities: emitted one "${GENERAL_SKILL.name}" skill (A2A requires skills)`,
  );
  return { drafts, list: 'skills' };
}

function buildSkills(ctx: Context, spec: AgentCardLike['spec'], name: string): JsonObject[] {
  const { drafts, list } = collectDrafts(ctx, spec, name);
  const draftPath = (draft: SkillDraft): Path =>
    draft.index < 0 ? ['spec', list] : ['spec', list, draft.index];
  const seen = new Set<string>();
  const skills: JsonObject[] = [];
  for (const draft of drafts) {
    const { id, source } = draft;
    if (seen.has(id)) {
      warn(ctx, draftPath(draft), `omitted: duplicate skill id ${JSON.stringify(id)}`);
      continue;
    }
    seen.add(id);
    // Typed fields, validated and copied; capability strings have none and the General Purpose skill only these two.
    let description = draft.description;
    let tags: string[] | undefined;
    let examples: string[] | undefined;
    let inputModes: string[] | undefined;
    let outputModes: string[] | undefined;
    if (source !== undefined) {
      description = Object.hasOwn(source, 'description') ? text(source.description) : undefined;
      tags = ownStringList(source, 'tags');
      examples = ownStringList(source, 'examples');
      inputModes = ownStringList(source, 'inputModes');
      outputModes = ownStringList(source, 'outputModes');
    }
    let skillName = draft.name;
    const overrides = ctx.skillMeta.get(id);
    if (overrides !== undefined) {
      // A `skills.<id>.<field>` metadata entry wins over the skill's own value.
      const nameOverride = overrides.get('name') as string | undefined;
      if (nameOverride === '') {
        warn(ctx, ['spec', 'metadata', `skills.${id}.name`], 'ignored: a skill name must not be empty');
      } else if (nameOverride !== undefined) skillName = nameOverride;
      if (overrides.has('description')) description = overrides.get('description') as string | undefined;
      if (overrides.has('tags')) tags = overrides.get('tags') as string[] | undefined;
      if (overrides.has('examples')) examples = overrides.get('examples') as string[] | undefined;
      if (overrides.has('inputModes')) inputModes = overrides.get('inputModes') as string[] | undefined;
      if (overrides.has('outputModes')) outputModes = overrides.get('outputModes') as string[] | undefined;
    }
    if (description === undefined || description === '') {
      description = `Capability: ${skillName}`;
      warn(
        ctx,
        draftPath(draft),
        `skill has no description, which A2A requires: filled with ${JSON.stringify(description)}`,
      );
    }
    if (tags === undefined || tags.length === 0) {
      tags = deriveSkillTags(id, skillName);
      warn(
        ctx,
        draftPath(draft),
        `skill has no tags, which A2A 1.0 requires (at least one): derived ${JSON.stringify(tags)} from its name and id`,
      );
    }
    const out: JsonObject = { id, name: skillName, description, tags };
    if (examples !== undefined) out.examples = examples;
    if (inputModes !== undefined) out.inputModes = inputModes;
    if (outputModes !== undefined) out.outputModes = outputModes;
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

function primaryUrl(
  ctx: Context,
  spec: AgentCardLike['spec'],
  baseUrl: string | undefined,
): string | undefined {
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
  return typeof first === 'string' && first !== '' ? first : undefined;
}

/** `1.0.5` → `1.0`: A2A 1.0 interfaces declare the protocol version as Major.Minor. */
function majorMinor(version: string): string | undefined {
  const match = /^(\d{1,9})\.(\d{1,9})(?:\.\d{1,9})?$/.exec(version.trim());
  return match ? `${Number(match[1])}.${Number(match[2])}` : undefined;
}

/** An interface's protocol version as Major.Minor, or `fallback` (with a warning) when it is no version. */
function interfaceVersion(ctx: Context, value: unknown, fallback: string, path: Path): string {
  if (value === undefined) return fallback;
  const version = typeof value === 'string' ? majorMinor(value) : undefined;
  if (version !== undefined) {
    if (version !== value)
      warn(
        ctx,
        path,
        `${JSON.stringify(value)} declared as ${version}: A2A 1.0 interfaces carry Major.Minor`,
      );
    return version;
  }
  warn(ctx, path, `ignored: not a Major.Minor protocol version; ${fallback} used`);
  return fallback;
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
      const copy = cloneJson(item) as JsonObject;
      copy.protocolVersion = interfaceVersion(ctx, item.protocolVersion, primary.protocolVersion as string, [
        'spec',
        'metadata',
        'additionalInterfaces',
      ]);
      out.push(copy);
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

/**
 * A required text field from metadata: an empty value falls back to `fallback`, with a warning
 * (A2A REQUIRED strings are never empty).
 */
function requiredText(ctx: Context, key: string, fallback: string): string {
  const value = ctx.meta.get(key) as string | undefined;
  if (value === undefined) return fallback;
  if (value.trim() !== '') return value;
  warn(ctx, ['spec', 'metadata', key], `empty, which A2A does not allow: ${JSON.stringify(fallback)} used`);
  return fallback;
}

/** A list A2A requires (default modes): an empty one falls back to the default, with a warning. */
function requiredModes(ctx: Context, key: string): string[] {
  const value = ctx.meta.get(key) as string[] | undefined;
  if (value === undefined) return DEFAULT_MODES.slice();
  if (value.length > 0) return value;
  warn(
    ctx,
    ['spec', 'metadata', key],
    `empty, which A2A 1.0 does not allow: ${JSON.stringify(DEFAULT_MODES)} used`,
  );
  return DEFAULT_MODES.slice();
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
/**
 * Renders an AgentCard resource as an A2A card. Never throws; every fill or omission is a warning,
 * and what no fill can mend (no URL to reach the agent at, no name) is an error result.
 */
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
  const name = requiredText(ctx, 'name', resourceName);
  const url = primaryUrl(ctx, spec, options.baseUrl);
  const issues: Issue[] = [];
  if (url === undefined) {
    issues.push({
      path: 'spec.endpoints',
      message:
        'no endpoint and no baseUrl: a card needs a URL clients can reach the agent at (set spec.endpoints or the baseUrl option)',
    });
  }
  if (name.trim() === '') {
    issues.push({ path: 'metadata.name', message: 'a card needs a name (metadata.name or metadata name)' });
  }
  if (url === undefined || issues.length > 0) return { success: false, issues, warnings: ctx.warnings };
  const skills = buildSkills(ctx, spec, name);
  const extendedCard = (meta.get('capabilities.extendedAgentCard') ??
    meta.get('supportsAuthenticatedExtendedCard')) as boolean | undefined;
  const schemes = meta.has('securitySchemes')
    ? convertSchemes(version, meta.get('securitySchemes'), ['spec', 'metadata', 'securitySchemes'], (p, m) =>
        warn(ctx, p, m),
      )
    : undefined;
  const security = meta.has('security')
    ? convertRequirements(version, meta.get('security'), ['spec', 'metadata', 'security'], (p, m) =>
        warn(ctx, p, m),
      )
    : undefined;
  const description = requiredText(ctx, 'description', `Agent ${name}`);
  const cardVersion = requiredText(ctx, 'version', DEFAULT_VERSION);
  const capabilities: JsonObject = {
    streaming: (meta.get('capabilities.streaming') as boolean | undefined) ?? true,
    pushNotifications: (meta.get('capabilities.pushNotifications') as boolean | undefined) ?? false,
  };
  const extensions = cloneJson(meta.get('capabilities.extensions'));
  const signatures = cloneJson(meta.get('signatures'));
  const iconUrl = meta.get('iconUrl');
  const documentationUrl = meta.get('documentationUrl');
  // Fields are set in emitted order; optional ones only when present (never as undefined).

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
    const card: JsonObject = {
      name,
      description,
      version: cardVersion,
      url,
    };
    const preferredTransport = meta.get('preferredTransport');
    if (preferredTransport !== undefined) card.preferredTransport = preferredTransport;
    const extra = interfaces(ctx, { url });
    if (meta.has('additionalInterfaces')) card.additionalInterfaces = extra;
    const cardProvider = provider(ctx);
    if (cardProvider !== undefined) card.provider = cardProvider;
    if (iconUrl !== undefined) card.iconUrl = iconUrl;
    if (documentationUrl !== undefined) card.documentationUrl = documentationUrl;
    capabilities.stateTransitionHistory =
      (meta.get('capabilities.stateTransitionHistory') as boolean | undefined) ?? false;
    if (extensions !== undefined) capabilities.extensions = extensions;
    card.capabilities = capabilities;
    if (schemes !== undefined) card.securitySchemes = schemes;
    if (security !== undefined) card.security = security;
    card.defaultInputModes = requiredModes(ctx, 'defaultInputModes');
    card.defaultOutputModes = requiredModes(ctx, 'defaultOutputModes');
    card.skills = skills;
    if (extendedCard !== undefined) card.supportsAuthenticatedExtendedCard = extendedCard;
    if (signatures !== undefined) card.signatures = signatures;
    card.protocolVersion = protocolVersion;
    return { success: true, card: card as unknown as A2ACardV03, warnings: ctx.warnings };
  }

  const primary: JsonObject = {
    url,
    protocolBinding: (meta.get('preferredTransport') as string | undefined) ?? 'JSONRPC',
  };
  const tenant = meta.get('tenant');
  if (tenant !== undefined) primary.tenant = tenant;
  primary.protocolVersion = interfaceVersion(ctx, meta.get('protocolVersion'), '1.0', [
    'spec',
    'metadata',
    'protocolVersion',
  ]);
  const card: JsonObject = {
    name,
    description,
    supportedInterfaces: [primary, ...interfaces(ctx, primary)],
  };
  const cardProvider = provider(ctx);
  if (cardProvider !== undefined) card.provider = cardProvider;
  card.version = cardVersion;
  if (documentationUrl !== undefined) card.documentationUrl = documentationUrl;
  if (extensions !== undefined) capabilities.extensions = extensions;
  if (extendedCard !== undefined) capabilities.extendedAgentCard = extendedCard;
  card.capabilities = capabilities;
  if (schemes !== undefined) card.securitySchemes = schemes;
  if (security !== undefined) card.securityRequirements = security;
  card.defaultInputModes = requiredModes(ctx, 'defaultInputModes');
  card.defaultOutputModes = requiredModes(ctx, 'defaultOutputModes');
  card.skills = skills;
  if (signatures !== undefined) card.signatures = signatures;
  if (iconUrl !== undefined) card.iconUrl = iconUrl;
  return { success: true, card: card as unknown as A2ACardV1, warnings: ctx.warnings };
}
