import type { KagentAgent } from '@agent-registry/crds';
import { ANNOTATIONS, annotation, annotationPath, parseCapabilities } from './annotations.js';
import { baseContent, type CardContent } from './cardContent.js';
import { error, warning } from './diagnostics.js';
import { checkUrl, inClusterEndpoint } from './endpoint.js';
import type { ResolvedOptions } from './options.js';
import { compactSkill, uniqueSkills } from './skills.js';

/**
 * A kagent Agent's card content. Its description comes from `spec.description`,
 * typed skills from `spec.declarative.a2aConfig.skills` (which win over
 * capability strings), capability strings and card metadata from
 * annotations, and its endpoint from `kagent.dev/a2a-endpoint` or else its Service.
 */
export function kagentContent(agent: KagentAgent, options: ResolvedOptions): CardContent {
  const { annotations, name, namespace } = agent.metadata;
  const content = baseContent(annotations, options);

  if (agent.spec.description !== undefined && agent.spec.description.trim() !== '') {
    content.metadata.set('description', agent.spec.description, 'spec.description');
  }
  content.metadata.applyAnnotations(annotations);

  const capabilities = annotation(annotations, ANNOTATIONS.capabilities);
  if (capabilities !== undefined) {
    const parsed = parseCapabilities(capabilities);
    content.capabilities = parsed.capabilities;
    content.diagnostics.push(...parsed.diagnostics);
  }

  const skills = agent.spec.declarative?.a2aConfig?.skills ?? [];
  if (skills.length > 0) {
    const unique = uniqueSkills(skills, 'spec.declarative.a2aConfig.skills');
    content.skills = unique.skills.map(compactSkill);
    content.diagnostics.push(...unique.diagnostics);
    if (content.capabilities.length > 0) {
      // Typed skills say more than names; the card shows one or the other, so the strings go.
      content.capabilities = [];
      content.diagnostics.push(
        warning(
          annotationPath(ANNOTATIONS.capabilities),
          'is ignored: spec.declarative.a2aConfig.skills win over capability strings',
          ANNOTATIONS.capabilities,
        ),
      );
    }
  }

  const endpoint = annotation(annotations, ANNOTATIONS.a2aEndpoint)?.trim();
  const problem = endpoint === undefined ? undefined : checkUrl(endpoint);
  if (endpoint !== undefined && problem === undefined) {
    content.endpoints = [endpoint];
  } else {
    if (problem !== undefined) {
      content.diagnostics.push(
        error(
          annotationPath(ANNOTATIONS.a2aEndpoint),
          `${problem}; using the in-cluster endpoint instead`,
          ANNOTATIONS.a2aEndpoint,
        ),
      );
    }
    content.endpoints = [inClusterEndpoint(name, namespace, options)];
  }
  return content;
}
