import {
  AgentCardSpecSchema,
  formatPath,
  parseWith,
  type A2AVersion,
  type AgentCardSpec,
  type Issue,
} from '@agent-registry/crds';
import { getOwn, type JsonObject } from './json.js';
import { isHttpUrl } from './metadataKeys.js';
import type { TranslationWarning } from './types.js';
import { validateA2ACard } from './validate.js';

export type FromA2ACardResult =
  | { success: true; spec: AgentCardSpec; name: string; version: A2AVersion; warnings: TranslationWarning[] }
  | { success: false; issues: Issue[] };

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
  if (!validation.valid) return { success: false, issues: validation.issues };
  const version = validation.version;
  const card = json as JsonObject;
  const warnings: TranslationWarning[] = [];
  const warn = (path: (string | number)[], message: string) =>
    warnings.push({ path: formatPath(path), message });
  const metadata: Record<string, string> = {};
  const put = (key: string, value: string | undefined) => {
    if (value !== undefined)
      Object.defineProperty(metadata, key, { value, enumerable: true, writable: true, configurable: true });
  };
  const putJson = (key: string, value: unknown) =>
    put(key, value === undefined ? undefined : JSON.stringify(value));
  const putUrl = (key: string, field: (string | number)[], value: unknown) => {
    if (typeof value !== 'string') return;
    if (isHttpUrl(value)) put(key, value);
    else warn(field, 'not imported: must be an http(s) URL');
  };

  const known = version === '1.0' ? KNOWN_V1 : KNOWN_V03;
  for (const key of Object.keys(card))
    if (!known.has(key)) warn([key], 'not imported: not an A2A field the registry keeps');
  const capabilities = getOwn(card, 'capabilities') as JsonObject;
  for (const key of Object.keys(capabilities)) {
    const keep =
      KNOWN_CAPABILITIES.has(key) &&
      (version === '1.0' ? key !== 'stateTransitionHistory' : key !== 'extendedAgentCard');
    if (!keep) warn(['capabilities', key], 'not imported: not an A2A field the registry keeps');
  }

  const displayName = card.name as string;
  const name = resourceNameFor(displayName);
  if (name !== displayName) put('name', displayName);
  put('description', card.description as string);
  put('version', card.version as string);

  let url: string | undefined;
  if (version === '0.3.0') {
    url = card.url as string;
    if (card.protocolVersion !== '0.3.0') put('protocolVersion', card.protocolVersion as string);
    put('preferredTransport', getOwn(card, 'preferredTransport') as string | undefined);
    putJson('additionalInterfaces', getOwn(card, 'additionalInterfaces'));
  } else {
    const [primary, ...rest] = card.supportedInterfaces as JsonObject[];
    if (primary) {
      url = primary.url as string;
      if (primary.protocolVersion !== '1.0') put('protocolVersion', primary.protocolVersion as string);
      put('preferredTransport', primary.protocolBinding as string);
      put('tenant', getOwn(primary, 'tenant') as string | undefined);
    }
    if (rest.length > 0) putJson('additionalInterfaces', rest);
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

  const provider = getOwn(card, 'provider');
  if (provider !== undefined) {
    put('provider.organization', getOwn(provider, 'organization') as string);
    putUrl('provider.url', ['provider', 'url'], getOwn(provider, 'url'));
  }
  putUrl('iconUrl', ['iconUrl'], getOwn(card, 'iconUrl'));
  putUrl('documentationUrl', ['documentationUrl'], getOwn(card, 'documentationUrl'));

  // Absent flags mean "not supported"; writing them as false keeps that meaning under the registry's defaults.
  const flag = (value: unknown) => (value === true ? 'true' : 'false');
  put('capabilities.streaming', flag(getOwn(capabilities, 'streaming')));
  put('capabilities.pushNotifications', flag(getOwn(capabilities, 'pushNotifications')));
  if (version === '0.3.0') {
    put('capabilities.stateTransitionHistory', flag(getOwn(capabilities, 'stateTransitionHistory')));
    const extended = getOwn(card, 'supportsAuthenticatedExtendedCard');
    if (typeof extended === 'boolean') put('supportsAuthenticatedExtendedCard', String(extended));
  } else {
    const extended = getOwn(capabilities, 'extendedAgentCard');
    if (typeof extended === 'boolean') put('capabilities.extendedAgentCard', String(extended));
  }
  putJson('capabilities.extensions', getOwn(capabilities, 'extensions'));
  putJson('securitySchemes', getOwn(card, 'securitySchemes'));
  putJson('security', getOwn(card, version === '1.0' ? 'securityRequirements' : 'security'));
  put('defaultInputModes', listValue(card.defaultInputModes as string[]));
  put('defaultOutputModes', listValue(card.defaultOutputModes as string[]));
  putJson('signatures', getOwn(card, 'signatures'));

  const skills = (card.skills as JsonObject[]).map((skill) => {
    const out: JsonObject = {
      id: skill.id,
      name: skill.name,
      description: skill.description,
      tags: skill.tags,
    };
    for (const field of ['examples', 'inputModes', 'outputModes']) {
      const value = getOwn(skill, field);
      if (value !== undefined) out[field] = value;
    }
    putJson(
      `skills.${String(skill.id)}.security`,
      getOwn(skill, version === '1.0' ? 'securityRequirements' : 'security'),
    );
    return out;
  });

  const candidate = { a2aVersion: version, metadata, endpoints, skills };
  if (endpoints.length === 0) delete (candidate as Partial<typeof candidate>).endpoints;
  const parsed = parseWith(AgentCardSpecSchema, candidate);
  if (!parsed.success) {
    return {
      success: false,
      issues: parsed.issues.map((issue) => ({
        path:
          issue.path === '(root)'
            ? 'spec'
            : issue.path.startsWith('[')
              ? `spec${issue.path}`
              : `spec.${issue.path}`,
        message: `the card does not fit an AgentCard: ${issue.message}`,
      })),
    };
  }
  return { success: true, spec: parsed.value, name, version, warnings };
}
