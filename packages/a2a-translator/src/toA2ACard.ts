import {
  DEFAULT_A2A_VERSION,
  errorAt,
  formatPath,
  warningAt,
  type A2AVersion,
  type AgentCardSpec,
  type Problem,
} from '@agent-registry/crds';
import { copyJson, getOwn, isPlainObject, type JsonObject } from './json.js';
import {
  isHttpUrl,
  isInterfaceItemV03,
  isInterfaceItemV1,
  lookupMetadataKey,
  readCardMetadata,
  readSkillMetadata,
  type CardMetadataKey,
  type CardMetadataValues,
  type MetadataKeyInfo,
  type Parsed,
  type SkillMetadataField,
  type SkillMetadataValues,
} from './metadataKeys.js';
import { requirementsV03, requirementsV1, schemesV03, schemesV1, type Path } from './security.js';
import { deriveSkillTags } from './skillTags.js';
import type {
  A2ACard,
  A2ACardV03,
  A2ACardV1,
  AgentInterfaceV03,
  AgentInterfaceV1,
  AgentProvider,
  AgentSkillV03,
  AgentSkillV1,
  TranslationResult,
} from './types.js';

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
  warnings: Problem[];
  /** The card-level metadata this card uses, read and typed per key. */
  meta: Partial<CardMetadataValues>;
  /** `skills.<id>.<field>` metadata, by skill id. */
  skillMeta: Map<string, Partial<SkillMetadataValues>>;
}

const warn = (ctx: Context, path: Path, message: string): void => {
  ctx.warnings.push(warningAt(formatPath(path), message));
};

/** Whether a read value goes into this card: it parsed, and the card's version has its field (warnings otherwise). */
function usable<T>(
  ctx: Context,
  name: string,
  info: MetadataKeyInfo,
  parsed: Parsed<T>,
): parsed is { ok: true; value: T } {
  if (!parsed.ok) {
    warn(ctx, ['spec', 'metadata', name], `${parsed.reason}; omitted`);
    return false;
  }
  if (!info.versions.includes(ctx.version)) {
    if (parsed.value !== false)
      warn(ctx, ['spec', 'metadata', name], `ignored: A2A ${ctx.version} cards have no ${info.field}`);
    return false;
  }
  return true;
}

function setCardValue<K extends CardMetadataKey>(
  ctx: Context,
  key: K,
  name: string,
  info: MetadataKeyInfo,
  raw: string,
): void {
  const parsed = readCardMetadata(key, raw);
  if (usable(ctx, name, info, parsed)) ctx.meta[key] = parsed.value;
}

function setSkillValue<F extends SkillMetadataField>(
  ctx: Context,
  skillId: string,
  field: F,
  name: string,
  info: MetadataKeyInfo,
  raw: string,
): void {
  const parsed = readSkillMetadata(field, raw);
  if (!usable(ctx, name, info, parsed)) return;
  let entry = ctx.skillMeta.get(skillId);
  if (entry === undefined) ctx.skillMeta.set(skillId, (entry = {}));
  entry[field] = parsed.value;
}

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
    if (found.scope === 'card') setCardValue(ctx, found.key, name, found.info, raw);
    else setSkillValue(ctx, found.skillId, found.field, name, found.info, raw);
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
      if (!isPlainObject(skill) || !id || !skillName) {
        warn(ctx, ['spec', 'skills', index], 'omitted: a skill needs a string id and name');
        continue;
      }
      drafts.push({ id, name: skillName, source: skill, index });
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

/**
 * A skill of either version: the fields both have, and the security requirements under the name
 * of the card's version (only that one is set).
 */
type Skill = AgentSkillV03 & AgentSkillV1;

function buildSkills(ctx: Context, spec: AgentCardLike['spec'], name: string): Skill[] {
  const { drafts, list } = collectDrafts(ctx, spec, name);
  const draftPath = (draft: SkillDraft): Path =>
    draft.index < 0 ? ['spec', list] : ['spec', list, draft.index];
  const seen = new Set<string>();
  const skills: Skill[] = [];
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
      const nameOverride = overrides.name;
      if (nameOverride === '') {
        warn(ctx, ['spec', 'metadata', `skills.${id}.name`], 'ignored: a skill name must not be empty');
      } else if (nameOverride !== undefined) skillName = nameOverride;
      if (overrides.description !== undefined) description = overrides.description;
      if (overrides.tags !== undefined) tags = overrides.tags;
      if (overrides.examples !== undefined) examples = overrides.examples;
      if (overrides.inputModes !== undefined) inputModes = overrides.inputModes;
      if (overrides.outputModes !== undefined) outputModes = overrides.outputModes;
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
    const out: Skill = { id, name: skillName, description, tags };
    if (examples !== undefined) out.examples = examples;
    if (inputModes !== undefined) out.inputModes = inputModes;
    if (outputModes !== undefined) out.outputModes = outputModes;
    const security = overrides?.security;
    if (security !== undefined) {
      if (ctx.version === '1.0') out.securityRequirements = requirementsV1(security);
      else out.security = requirementsV03(security);
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

const ADDITIONAL_INTERFACES: Path = ['spec', 'metadata', 'additionalInterfaces'];

/** The 0.3 card's `additionalInterfaces`, from either form. */
function interfacesV03(ctx: Context): AgentInterfaceV03[] {
  const out: AgentInterfaceV03[] = [];
  for (const item of ctx.meta.additionalInterfaces ?? []) {
    if ('tenant' in item && typeof item.tenant === 'string') {
      warn(ctx, ADDITIONAL_INTERFACES, 'tenant dropped: A2A 0.3 interfaces have no tenant');
    }
    out.push({ url: item.url, transport: isInterfaceItemV03(item) ? item.transport : item.protocolBinding });
  }
  return out;
}

/** The 1.0 card's interfaces after the primary one, from either form. */
function interfacesV1(ctx: Context, primary: AgentInterfaceV1): AgentInterfaceV1[] {
  const out: AgentInterfaceV1[] = [];
  for (const item of ctx.meta.additionalInterfaces ?? []) {
    if (isInterfaceItemV1(item)) {
      const protocolVersion = interfaceVersion(
        ctx,
        item.protocolVersion,
        primary.protocolVersion,
        ADDITIONAL_INTERFACES,
      );
      // The item as given (other keys included), its protocol version where it stated one, else last.
      out.push({ ...copyJson(item), protocolVersion });
    } else if (item.url !== primary.url || item.transport !== primary.protocolBinding) {
      // 0.3 lists repeat the primary interface; 1.0 lists it once.
      out.push({ url: item.url, protocolBinding: item.transport, protocolVersion: primary.protocolVersion });
    }
  }
  return out;
}

function provider(ctx: Context): AgentProvider | undefined {
  const organization = ctx.meta['provider.organization'];
  const url = ctx.meta['provider.url'];
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
function requiredText(ctx: Context, key: 'name' | 'description' | 'version', fallback: string): string {
  const value = ctx.meta[key];
  if (value === undefined) return fallback;
  if (value.trim() !== '') return value;
  warn(ctx, ['spec', 'metadata', key], `empty, which A2A does not allow: ${JSON.stringify(fallback)} used`);
  return fallback;
}

/** A list A2A requires (default modes): an empty one falls back to the default, with a warning. */
function requiredModes(ctx: Context, key: 'defaultInputModes' | 'defaultOutputModes'): string[] {
  const value = ctx.meta[key];
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
  const ctx: Context = { version, warnings: [], meta: {}, skillMeta: new Map() };
  readMetadata(ctx, getOwn(spec, 'metadata'));
  const meta = ctx.meta;
  const resourceName = text(getOwn(getOwn(agentCard, 'metadata'), 'name')) ?? '';
  const name = requiredText(ctx, 'name', resourceName);
  const url = primaryUrl(ctx, spec, options.baseUrl);
  const issues: Problem[] = [];
  if (url === undefined) {
    issues.push(
      errorAt(
        'spec.endpoints',
        'no endpoint and no baseUrl: a card needs a URL clients can reach the agent at (set spec.endpoints or the baseUrl option)',
      ),
    );
  }
  if (name.trim() === '') {
    issues.push(errorAt('metadata.name', 'a card needs a name (metadata.name or metadata name)'));
  }
  if (url === undefined || issues.length > 0) return { ok: false, issues, warnings: ctx.warnings };
  const skills = buildSkills(ctx, spec, name);
  const extendedCard = meta['capabilities.extendedAgentCard'] ?? meta.supportsAuthenticatedExtendedCard;
  const schemesIn = meta.securitySchemes;
  let schemes03: A2ACardV03['securitySchemes'];
  let schemes1: A2ACardV1['securitySchemes'];
  if (schemesIn !== undefined) {
    const path = ['spec', 'metadata', 'securitySchemes'];
    const warnAt = (at: Path, message: string) => warn(ctx, at, message);
    if (version === '1.0') schemes1 = schemesV1(schemesIn, path, warnAt);
    else schemes03 = schemesV03(schemesIn, path, warnAt);
  }
  const securityIn = meta.security;
  const description = requiredText(ctx, 'description', `Agent ${name}`);
  const cardVersion = requiredText(ctx, 'version', DEFAULT_VERSION);
  const streaming = meta['capabilities.streaming'] ?? true;
  const pushNotifications = meta['capabilities.pushNotifications'] ?? false;
  const extensions = copyJson(meta['capabilities.extensions']);
  const signatures = copyJson(meta.signatures);
  const { iconUrl, documentationUrl } = meta;
  // Cards are literals in emitted order; an optional field is spread in only when present (never as undefined).

  if (version === '0.3.0') {
    let protocolVersion = meta.protocolVersion ?? '0.3.0';
    if (!protocolVersion.startsWith('0.')) {
      warn(
        ctx,
        ['spec', 'metadata', 'protocolVersion'],
        `ignored: a 0.3 card cannot declare protocolVersion ${protocolVersion}`,
      );
      protocolVersion = '0.3.0';
    }
    const { preferredTransport } = meta;
    const additionalInterfaces = interfacesV03(ctx);
    const cardProvider = provider(ctx);
    const capabilities: A2ACardV03['capabilities'] = {
      streaming,
      pushNotifications,
      stateTransitionHistory: meta['capabilities.stateTransitionHistory'] ?? false,
    };
    if (extensions !== undefined) capabilities.extensions = extensions;
    const defaultInputModes = requiredModes(ctx, 'defaultInputModes');
    const defaultOutputModes = requiredModes(ctx, 'defaultOutputModes');
    const card: A2ACardV03 = {
      name,
      description,
      version: cardVersion,
      url,
      ...(preferredTransport === undefined ? undefined : { preferredTransport }),
      ...(meta.additionalInterfaces === undefined ? undefined : { additionalInterfaces }),
      ...(cardProvider === undefined ? undefined : { provider: cardProvider }),
      ...(iconUrl === undefined ? undefined : { iconUrl }),
      ...(documentationUrl === undefined ? undefined : { documentationUrl }),
      capabilities,
      ...(schemes03 === undefined ? undefined : { securitySchemes: schemes03 }),
      ...(securityIn === undefined ? undefined : { security: requirementsV03(securityIn) }),
      defaultInputModes,
      defaultOutputModes,
      skills,
      ...(extendedCard === undefined ? undefined : { supportsAuthenticatedExtendedCard: extendedCard }),
      ...(signatures === undefined ? undefined : { signatures }),
      protocolVersion,
    };
    return { ok: true, card, warnings: ctx.warnings };
  }

  const protocolBinding = meta.preferredTransport ?? 'JSONRPC';
  const { tenant } = meta;
  const protocolVersion = interfaceVersion(ctx, meta.protocolVersion, '1.0', [
    'spec',
    'metadata',
    'protocolVersion',
  ]);
  const primary: AgentInterfaceV1 =
    tenant === undefined
      ? { url, protocolBinding, protocolVersion }
      : { url, protocolBinding, tenant, protocolVersion };
  const supportedInterfaces = [primary, ...interfacesV1(ctx, primary)];
  const cardProvider = provider(ctx);
  const capabilities: A2ACardV1['capabilities'] = { streaming, pushNotifications };
  if (extensions !== undefined) capabilities.extensions = extensions;
  if (extendedCard !== undefined) capabilities.extendedAgentCard = extendedCard;
  const defaultInputModes = requiredModes(ctx, 'defaultInputModes');
  const defaultOutputModes = requiredModes(ctx, 'defaultOutputModes');
  const card: A2ACardV1 = {
    name,
    description,
    supportedInterfaces,
    ...(cardProvider === undefined ? undefined : { provider: cardProvider }),
    version: cardVersion,
    ...(documentationUrl === undefined ? undefined : { documentationUrl }),
    capabilities,
    ...(schemes1 === undefined ? undefined : { securitySchemes: schemes1 }),
    ...(securityIn === undefined ? undefined : { securityRequirements: requirementsV1(securityIn) }),
    defaultInputModes,
    defaultOutputModes,
    skills,
    ...(signatures === undefined ? undefined : { signatures }),
    ...(iconUrl === undefined ? undefined : { iconUrl }),
  };
  return { ok: true, card, warnings: ctx.warnings };
}
