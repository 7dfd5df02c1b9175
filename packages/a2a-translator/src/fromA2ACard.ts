import {
  AgentCardSpecSchema,
  errorAt,
  formatPath,
  parseWith,
  ROOT_PATH,
  warningAt,
  type A2AVersion,
  type AgentCardSpec,
  type Problem,
} from '@agent-registry/crds';
import { isHttpUrl } from './metadataKeys.js';
import type { AgentSkillV03, AgentSkillV1 } from './types.js';
import { validateA2ACard } from './validate.js';

export type FromA2ACardResult =
  | { ok: true; spec: AgentCardSpec; name: string; version: A2AVersion; warnings: Problem[] }
  | { ok: false; issues: Problem[] };

/** A skill of `spec.skills` as the import writes it (the spec's parser checks it). */
type KagentLikeSkill = Pick<AgentSkillV1, 'id' | 'name' | 'description' | 'tags'> &
  Partial<Pick<AgentSkillV1, 'examples' | 'inputModes' | 'outputModes'>>;

const KNOWN_V03 = new Set([
  'name',
  'description',
  'version',
  'url',
  'preferredTransport',
  'additionalInterfaces',
  'provider',
  'iconUrl',
  'documentationUrl',
  'capabilities',
  'securitySchemes',
  'security',
  'defaultInputModes',
  'defaultOutputModes',
  'skills',
  'supportsAuthenticatedExtendedCard',
  'signatures',
  'protocolVersion',
]);
const KNOWN_V1 = new Set([
  'name',
  'description',
  'supportedInterfaces',
  'provider',
  'version',
  'documentationUrl',
  'capabilities',
  'securitySchemes',
  'securityRequirements',
  'defaultInputModes',
  'defaultOutputModes',
  'skills',
  'signatures',
  'iconUrl',
]);
const KNOWN_CAPABILITIES = new Set([
  'streaming',
  'pushNotifications',
  'stateTransitionHistory',
  'extensions',
  'extendedAgentCard',
]);

/** A Kubernetes name (DNS-1123 subdomain) for an agent's display name. */
export function resourceNameFor(displayName: string): string {
  const slug = displayName
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .replace(/-{2,}/g, '-')
    .slice(0, 253)
    .replace(/[^a-z0-9]+$/, '');
  return slug === '' ? 'agent' : slug;
}

/** A list as a metadata value: comma-separated when that reads back the same, else JSON. */
function listValue(items: readonly string[]): string {
  const plain = items.every(
    (item) => item !== '' && !item.includes(',') && item.trim() === item && !item.startsWith('['),
  );
  return plain ? items.join(',') : JSON.stringify(items);
}

/**
 * Imports an A2A card (0.3.0 or 1.0, detected) as an AgentCard spec: the
 * primary URL becomes `endpoints[0]`, skills become typed skills and every
 * other field a documented metadata key, so `toA2ACard` renders the card again.
 */
export function fromA2ACard(json: unknown): FromA2ACardResult {
  const validation = validateA2ACard(json);
  if (!validation.ok) return { ok: false, issues: validation.issues };
  const { version, card } = validation;
  const warnings: Problem[] = [];
  const warn = (path: (string | number)[], message: string) =>
    warnings.push(warningAt(formatPath(path), message));
  const metadata: Record<string, string> = {};
  const put = (key: string, value: string | undefined) => {
    if (value !== undefined)
      Object.defineProperty(metadata, key, { value, enumerable: true, writable: true, configurable: true });
  };
  const putJson = (key: string, value: unknown) =>
    put(key, value === undefined ? undefined : JSON.stringify(value));
  const putUrl = (key: string, field: (string | number)[], value: string | undefined) => {
    if (value === undefined) return;
    if (isHttpUrl(value)) put(key, value);
    else warn(field, 'not imported: must be an http(s) URL');
  };

  const known = version === '1.0' ? KNOWN_V1 : KNOWN_V03;
  for (const key of Object.keys(card))
    if (!known.has(key)) warn([key], 'not imported: not an A2A field the registry keeps');
  const { capabilities } = card;
  for (const key of Object.keys(capabilities)) {
    const keep =
      KNOWN_CAPABILITIES.has(key) &&
      (version === '1.0' ? key !== 'stateTransitionHistory' : key !== 'extendedAgentCard');
    if (!keep) warn(['capabilities', key], 'not imported: not an A2A field the registry keeps');
  }

  const displayName = card.name;
  const name = resourceNameFor(displayName);
  if (name !== displayName) put('name', displayName);
  put('description', card.description);
  put('version', card.version);

  // What each version says in its own words: the primary URL, interfaces, flags and requirements.
  let url: string | undefined;
  let security: unknown;
  let skills: { skill: AgentSkillV03 | AgentSkillV1; security: unknown }[];
  if (validation.version === '0.3.0') {
    const v03 = validation.card;
    url = v03.url;
    if (v03.protocolVersion !== '0.3.0') put('protocolVersion', v03.protocolVersion);
    put('preferredTransport', v03.preferredTransport);
    putJson('additionalInterfaces', v03.additionalInterfaces);
    security = v03.security;
    skills = v03.skills.map((skill) => ({ skill, security: skill.security }));
  } else {
    const v1 = validation.card;
    const [primary, ...rest] = v1.supportedInterfaces;
    if (primary) {
      url = primary.url;
      if (primary.protocolVersion !== '1.0') put('protocolVersion', primary.protocolVersion);
      put('preferredTransport', primary.protocolBinding);
      put('tenant', primary.tenant);
    }
    if (rest.length > 0) putJson('additionalInterfaces', rest);
    security = v1.securityRequirements;
    skills = v1.skills.map((skill) => ({ skill, security: skill.securityRequirements }));
  }
  const endpoints: string[] = [];
  if (url !== undefined && url !== '') {
    if (isHttpUrl(url)) endpoints.push(url);
    else
      warn(
        [version === '1.0' ? 'supportedInterfaces' : 'url'],
        'not imported: the registry needs an http(s) URL',
      );
  }

  const { provider } = card;
  if (provider !== undefined) {
    put('provider.organization', provider.organization);
    putUrl('provider.url', ['provider', 'url'], provider.url);
  }
  putUrl('iconUrl', ['iconUrl'], card.iconUrl);
  putUrl('documentationUrl', ['documentationUrl'], card.documentationUrl);

  // Absent flags mean "not supported"; writing them as false keeps that meaning under the registry's defaults.
  const flag = (value: boolean | undefined) => (value === true ? 'true' : 'false');
  put('capabilities.streaming', flag(capabilities.streaming));
  put('capabilities.pushNotifications', flag(capabilities.pushNotifications));
  if (validation.version === '0.3.0') {
    put('capabilities.stateTransitionHistory', flag(validation.card.capabilities.stateTransitionHistory));
    const extended = validation.card.supportsAuthenticatedExtendedCard;
    if (extended !== undefined) put('supportsAuthenticatedExtendedCard', String(extended));
  } else {
    const extended = validation.card.capabilities.extendedAgentCard;
    if (extended !== undefined) put('capabilities.extendedAgentCard', String(extended));
  }
  putJson('capabilities.extensions', capabilities.extensions);
  putJson('securitySchemes', card.securitySchemes);
  putJson('security', security);
  put('defaultInputModes', listValue(card.defaultInputModes));
  put('defaultOutputModes', listValue(card.defaultOutputModes));
  putJson('signatures', card.signatures);

  const specSkills = skills.map(({ skill, security: requirements }) => {
    const out: KagentLikeSkill = {
      id: skill.id,
      name: skill.name,
      description: skill.description,
      tags: skill.tags,
    };
    if (skill.examples !== undefined) out.examples = skill.examples;
    if (skill.inputModes !== undefined) out.inputModes = skill.inputModes;
    if (skill.outputModes !== undefined) out.outputModes = skill.outputModes;
    putJson(`skills.${skill.id}.security`, requirements);
    return out;
  });

  const candidate =
    endpoints.length === 0
      ? { a2aVersion: version, metadata, skills: specSkills }
      : { a2aVersion: version, metadata, endpoints, skills: specSkills };
  const parsed = parseWith(AgentCardSpecSchema, candidate);
  if (!parsed.ok) {
    return {
      ok: false,
      issues: parsed.issues.map((issue) =>
        errorAt(
          issue.path === ROOT_PATH
            ? 'spec'
            : issue.path.startsWith('[')
              ? `spec${issue.path}`
              : `spec.${issue.path}`,
          `the card does not fit an AgentCard: ${issue.message}`,
        ),
      ),
    };
  }
  return { ok: true, spec: parsed.value, name, version, warnings };
}
