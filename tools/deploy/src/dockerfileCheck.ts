import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { globContext, loadDockerIgnore } from './dockerContext.js';
import {
  copySources,
  dockerStages,
  entrypointOf,
  labelsOf,
  parseDockerfile,
  userOf,
  type DockerStage,
} from './dockerfile.js';

export const REQUIRED_OCI_LABELS = [
  'org.opencontainers.image.title',
  'org.opencontainers.image.description',
  'org.opencontainers.image.source',
  'org.opencontainers.image.licenses',
  'org.opencontainers.image.version',
] as const;

/** Labels of a stage including those inherited from the stages it is built FROM. */
function inheritedLabels(stages: readonly DockerStage[], index: number): Map<string, string> {
  const stage = stages[index]!;
  const parent = stages.findIndex((s, i) => i < index && s.name === stage.from.toLowerCase());
  const labels = parent >= 0 ? inheritedLabels(stages, parent) : new Map<string, string>();
  for (const [key, value] of labelsOf(stage)) labels.set(key, value);
  return labels;
}

/**
 * Static checks of an app Dockerfile built with the repository root as context (docs/contracts.md "Images"), since no
 * container engine is available to build it: returns the problems found (empty = fine).
 */
export function checkDockerfile(dockerfile: string, options: { contextRoot: string; app: string }): string[] {
  const { contextRoot, app } = options;
  if (!existsSync(dockerfile)) return [`${dockerfile} does not exist`];
  const where = (line: number) => `${relative(contextRoot, dockerfile)}:${line}`;
  const instructions = parseDockerfile(readFileSync(dockerfile, 'utf8'));
  const stages = dockerStages(instructions);
  const problems: string[] = [];
  const ignore = loadDockerIgnore(contextRoot, dockerfile);

  if (stages.length < 2) problems.push(`not multi-stage: ${stages.length} FROM instruction(s)`);

  stages.forEach((stage, index) => {
    for (const instruction of stage.instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')) {
      const copy = copySources(instruction);
      if (copy.from !== undefined) {
        const earlier = stages
          .slice(0, index)
          .map((s, i) => [s.name, String(i)])
          .flat();
        const looksLikeImage = /[:/.@]/.test(copy.from);
        if (copy.from !== 'heredoc' && !earlier.includes(copy.from.toLowerCase()) && !looksLikeImage) {
          problems.push(`${where(copy.line)}: --from=${copy.from} is not an earlier stage`);
        }
        continue;
      }
      for (const source of copy.sources) {
        if (/^https?:\/\//.test(source) || source.startsWith('git@')) continue;
        const matches = globContext(contextRoot, source);
        if (matches.length === 0) {
          problems.push(`${where(copy.line)}: COPY source "${source}" does not exist in the build context`);
        } else if (matches.every((match) => ignore.isIgnored(match))) {
          problems.push(`${where(copy.line)}: COPY source "${source}" is excluded by ${ignore.file}`);
        }
      }
    }
  });

  const finalIndex = stages.length - 1;
  const final = stages[finalIndex];
  if (!final) return [...problems, 'no FROM instruction'];

  const user = userOf(final);
  if (!user) problems.push('final stage has no USER (runs as root)');
  else if (/^(root|0)(:|$)/.test(user)) problems.push(`final stage runs as root (USER ${user})`);

  const labels = inheritedLabels(stages, finalIndex);
  for (const label of REQUIRED_OCI_LABELS) {
    if (!labels.has(label)) problems.push(`final image lacks the OCI label ${label}`);
  }
  if (
    labels.has('org.opencontainers.image.licenses') &&
    labels.get('org.opencontainers.image.licenses') !== 'Apache-2.0'
  ) {
    problems.push(
      `org.opencontainers.image.licenses is "${labels.get('org.opencontainers.image.licenses')}", not Apache-2.0`,
    );
  }
  const version = labels.get('org.opencontainers.image.version');
  if (version !== undefined && !/\$\{?VERSION\b/.test(version)) {
    problems.push(`org.opencontainers.image.version should come from ARG VERSION, is "${version}"`);
  }
  if (version !== undefined && !instructions.some((i) => i.keyword === 'ARG' && /^VERSION\b/.test(i.args))) {
    problems.push('no ARG VERSION');
  }

  const entrypoint = entrypointOf(final);
  const expected = ['node', `apps/${app}/dist/main.js`];
  if (JSON.stringify(entrypoint) !== JSON.stringify(expected)) {
    problems.push(`ENTRYPOINT is ${JSON.stringify(entrypoint)}, expected ${JSON.stringify(expected)}`);
  }
  const runs = stages.flatMap((s) => s.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args));
  if (!runs.some((run) => /\bnpm ci\b/.test(run))) problems.push('no stage runs `npm ci`');
  if (!runs.some((run) => /--omit[= ]dev/.test(run)))
    problems.push('no stage installs production dependencies only (--omit=dev)');
  return problems;
}
