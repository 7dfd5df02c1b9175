import type { KagentAgent, KagentSkill, Skill } from '@agent-registry/crds';
import { ANNOTATIONS, annotation, annotationPath, parseCapabilities } from './annotations.js';
import { baseContent, type CardContent } from './cardContent.js';
import { error, warning } from './diagnostics.js';
import { checkUrl, inClusterEndpoint } from './endpoint.js';
import type { ResolvedOptions } from './options.js';
import { compactSkill, slugify, uniqueSkills } from './skills.js';

const SKILLS_PATH = 'spec.declarative.a2aConfig.skills';

/** A kagent skill as a card skill: kagent makes `id` optional, a card needs one (the slug of the name). */
function toSkill(skill: KagentSkill, index: number): Skill {
  const out: Skill = { id: skill.id?.trim() || slugify(skill.name) || `skill-${index}`, name: skill.name };
  if (skill.description !== undefined) out.description = skill.description;
  if (skill.tags !== undefined) out.tags = [...skill.tags];
  if (skill.examples !== undefined) out.examples = [...skill.examples];
  if (skill.inputModes !== undefined) out.inputModes = [...skill.inputModes];
  if (skill.outputModes !== undefined) out.outputModes = [...skill.outputModes];
  return out;
}

/**
 * A kagent Agent's card content (kagent's v1alpha2 shapes: `type: Declarative`
 * with `spec.declarative`, or `type: BYO` with `spec.byo`). Its description
 * comes from `spec.description`, typed skills from
 * `spec.declarative.a2aConfig.skills` (Declarative agents; they win over
 * capability strings), capability strings and card metadata from annotations,
 * and its endpoint from `kagent.dev/a2a-endpoint` or else its Service.
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

  let skills = (agent.spec.declarative?.a2aConfig?.skills ?? []).map(toSkill);
  if (skills.length > 0 && agent.spec.type === 'BYO') {
    // kagent runs a BYO agent's own image and does not read spec.declarative for it; neither does its card.
    content.diagnostics.push(
      warning(SKILLS_PATH, 'is ignored: spec.type is BYO, and BYO agents do not use spec.declarative'),
    );
    skills = [];
  }
  if (skills.length > 0) {
    const unique = uniqueSkills(skills, SKILLS_PATH);
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
