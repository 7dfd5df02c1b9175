import type { A2AAgent, Skill } from '@agent-registry/crds';
import { ANNOTATIONS, annotation, annotationPath } from './annotations.js';
import { toSecurity } from './authentication.js';
import { baseContent, type CardContent } from './cardContent.js';
import { warning } from './diagnostics.js';
import { inClusterEndpoint } from './endpoint.js';
import type { ResolvedOptions } from './options.js';
import { slugify, uniqueSkills } from './skills.js';

/** The transport A2A 0.3 assumes when a card names none. */
const DEFAULT_TRANSPORT = 'JSONRPC';

/**
 * An a2a.io Agent's card content: capabilities become typed skills, endpoints the card's URLs (first = primary, transports →
 * `preferredTransport` / `additionalInterfaces`), authentication its security
 * scheme. Card-metadata annotations apply and override the spec;
 * `kagent.dev/capabilities` and `kagent.dev/a2a-endpoint` do not (the spec says that).
 */
export function a2aContent(agent: A2AAgent, options: ResolvedOptions): CardContent {
  const { annotations } = agent.metadata;
  const { spec } = agent;
  const content = baseContent(annotations, options);

  for (const key of [ANNOTATIONS.capabilities, ANNOTATIONS.a2aEndpoint]) {
    if (annotation(annotations, key) !== undefined) {
      const field = key === ANNOTATIONS.capabilities ? 'spec.capabilities' : 'spec.endpoints';
      content.diagnostics.push(
        warning(annotationPath(key), `is ignored on a2a.io Agents; set ${field} instead`, key),
      );
    }
  }

  if (spec.description !== undefined && spec.description.trim() !== '') {
    content.metadata.set('description', spec.description, 'spec.description');
  }
  if (spec.version !== undefined && spec.version.trim() !== '') {
    content.metadata.set('version', spec.version, 'spec.version');
  }

  const capabilities = spec.capabilities ?? [];
  const skills = capabilities.map((capability, index): Skill => {
    const skill: Skill = {
      id: capability.id?.trim() || slugify(capability.name) || `skill-${index}`,
      name: capability.name,
    };
    if (capability.description !== undefined) skill.description = capability.description;
    if (capability.tags !== undefined) skill.tags = [...capability.tags];
    if (capability.examples !== undefined) skill.examples = [...capability.examples];
    return skill;
  });
  const unique = uniqueSkills(skills, 'spec.capabilities');
  content.skills = unique.skills;
  content.diagnostics.push(...unique.diagnostics);

  applyEndpoints(agent, content, options);

  if (spec.authentication !== undefined) {
    const security = toSecurity(spec.authentication, 'spec.authentication');
    content.diagnostics.push(...security.diagnostics);
    if (security.securitySchemes !== undefined && security.security !== undefined) {
      content.metadata.set(
        'securitySchemes',
        JSON.stringify(security.securitySchemes),
        'spec.authentication',
      );
      content.metadata.set('security', JSON.stringify(security.security), 'spec.authentication');
    }
  }

  // Annotations last: an explicit card-metadata annotation overrides what the spec implies.
  content.metadata.applyAnnotations(annotations);
  return content;
}

function applyEndpoints(agent: A2AAgent, content: CardContent, options: ResolvedOptions): void {
  const endpoints = agent.spec.endpoints ?? [];
  const seen = new Set<string>();
  const unique = endpoints.filter((endpoint, index) => {
    if (seen.has(endpoint.url)) {
      content.diagnostics.push(
        warning(`spec.endpoints[${index}].url`, 'repeats an earlier endpoint and was ignored'),
      );
      return false;
    }
    seen.add(endpoint.url);
    return true;
  });
  if (unique.length === 0) {
    content.endpoints = [inClusterEndpoint(agent.metadata.name, agent.metadata.namespace, options)];
    return;
  }
  content.endpoints = unique.map((endpoint) => endpoint.url);
  const [primary] = unique;
  if (primary?.transport !== undefined)
    content.metadata.set('preferredTransport', primary.transport, 'spec.endpoints[0].transport');
  // additionalInterfaces only says something when there is more than the primary URL to list.
  const extras = unique.slice(1);
  if (extras.length === 0 || primary === undefined) return;
  const interfaces = [{ url: primary.url, transport: primary.transport ?? DEFAULT_TRANSPORT }];
  extras.forEach((endpoint) => {
    if (endpoint.transport === undefined) {
      const index = endpoints.indexOf(endpoint);
      content.diagnostics.push(
        warning(
          `spec.endpoints[${index}].transport`,
          'is not set, so this endpoint is not listed in additionalInterfaces',
        ),
      );
      return;
    }
    interfaces.push({ url: endpoint.url, transport: endpoint.transport });
  });
  if (interfaces.length > 1) {
    content.metadata.set('additionalInterfaces', JSON.stringify(interfaces), 'spec.endpoints');
  }
}
