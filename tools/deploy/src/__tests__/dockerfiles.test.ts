import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../lib/paths.mjs';
import { checkDockerfile } from '../dockerfileCheck.js';
import { copySources, dockerStages, labelsOf, parseDockerfile } from '../dockerfile.js';

// No container engine here: the apps' Dockerfiles (build context = repository root) are checked statically.
describe.each(['controller', 'registry'])('apps/%s/Dockerfile', (app) => {
  it('is multi-stage, copies only existing context paths, runs as non-root, has OCI labels and the entry point', () => {
    expect(
      checkDockerfile(join(repoRoot, 'apps', app, 'Dockerfile'), { contextRoot: repoRoot, app }),
    ).toEqual([]);
  });
});

const goodDockerfile = `# syntax=docker/dockerfile:1
ARG NODE_IMAGE=node:20-slim
FROM \${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
COPY packages/*/package.json ./packages/
COPY --chown=node:node \\
    apps/demo/package.json ./apps/demo/
RUN npm ci
COPY . .
RUN npx nx run @agent-registry/demo:build

FROM node:20-slim
ARG VERSION=0.0.0
LABEL org.opencontainers.image.title="Demo" \\
      org.opencontainers.image.description="A demo app" \\
      org.opencontainers.image.source=https://github.com/agent-registry/agent-registry \\
      org.opencontainers.image.licenses=Apache-2.0 \\
      org.opencontainers.image.version=\${VERSION}
WORKDIR /app
COPY ["package.json", "package-lock.json", "./"]
RUN npm ci --omit=dev --workspace apps/demo
COPY --from=build /src/apps/demo/dist ./apps/demo/dist
USER 65532
ENTRYPOINT ["node", "apps/demo/dist/main.js"]
`;

describe('Dockerfile checks', () => {
  const context = mkdtempSync(join(tmpdir(), 'agent-registry-docker-'));
  afterAll(() => rmSync(context, { recursive: true, force: true }));
  for (const file of [
    'package.json',
    'package-lock.json',
    'packages/a/package.json',
    'apps/demo/package.json',
  ]) {
    mkdirSync(dirname(join(context, file)), { recursive: true });
    writeFileSync(join(context, file), '{}');
  }
  const check = (text: string, ignore?: string) => {
    const dockerfile = join(context, 'apps', 'demo', 'Dockerfile');
    writeFileSync(dockerfile, text);
    rmSync(`${dockerfile}.dockerignore`, { force: true });
    if (ignore !== undefined) writeFileSync(`${dockerfile}.dockerignore`, ignore);
    return checkDockerfile(dockerfile, { contextRoot: context, app: 'demo' });
  };

  it('parses continuations, stages, COPY forms and labels', () => {
    const stages = dockerStages(parseDockerfile(goodDockerfile));
    expect(stages.map((s) => [s.from, s.name])).toEqual([
      ['${NODE_IMAGE}', 'build'],
      ['node:20-slim', undefined],
    ]);
    const copies = stages.flatMap((s) => s.instructions.filter((i) => i.keyword === 'COPY')).map(copySources);
    expect(copies.map((c) => [c.sources, c.from])).toEqual([
      [['package.json', 'package-lock.json'], undefined],
      [['packages/*/package.json'], undefined],
      [['apps/demo/package.json'], undefined],
      [['.'], undefined],
      [['package.json', 'package-lock.json'], undefined],
      [['/src/apps/demo/dist'], 'build'],
    ]);
    expect(labelsOf(stages[1]!).get('org.opencontainers.image.title')).toBe('Demo');
  });

  it('accepts a Dockerfile that follows the contract', () => {
    expect(check(goodDockerfile)).toEqual([]);
  });

  it('reports a COPY source missing from the context (with its line)', () => {
    const problems = check(
      goodDockerfile.replace('COPY . .', 'COPY tsconfig.base.json ./\nCOPY apps/*/src ./'),
    );
    expect(problems).toEqual([
      'apps/demo/Dockerfile:10: COPY source "tsconfig.base.json" does not exist in the build context',
      'apps/demo/Dockerfile:11: COPY source "apps/*/src" does not exist in the build context',
    ]);
  });

  it('reports COPY sources excluded by the Dockerfile-specific .dockerignore', () => {
    expect(check(goodDockerfile, 'packages\n!packages/b\n')).toEqual([
      'apps/demo/Dockerfile:6: COPY source "packages/*/package.json" is excluded by ' +
        join(context, 'apps/demo/Dockerfile.dockerignore'),
    ]);
  });

  it('reports root, single-stage, missing labels, wrong entry point, unknown stage', () => {
    const bad = goodDockerfile
      .replace('USER 65532', 'USER root')
      .replace('org.opencontainers.image.licenses=Apache-2.0 \\\n', '')
      .replace('apps/demo/dist/main.js"]', 'dist/index.js"]')
      .replace('--from=build', '--from=builder');
    expect(check(bad)).toEqual([
      'apps/demo/Dockerfile:22: --from=builder is not an earlier stage',
      'final stage runs as root (USER root)',
      'final image lacks the OCI label org.opencontainers.image.licenses',
      'ENTRYPOINT is ["node","dist/index.js"], expected ["node","apps/demo/dist/main.js"]',
    ]);
    expect(
      check('FROM node:20-slim\nCOPY package.json ./\nENTRYPOINT ["node", "apps/demo/dist/main.js"]\n'),
    ).toEqual(
      expect.arrayContaining([
        'not multi-stage: 1 FROM instruction(s)',
        'final stage has no USER (runs as root)',
        'no stage runs `npm ci`',
      ]),
    );
  });
});
