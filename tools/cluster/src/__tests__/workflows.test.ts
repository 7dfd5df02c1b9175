// The release workflow (and CI's) as GitHub would run them: actionlint finds no problem, and the
// release builds the images from the very Dockerfiles tools/cluster builds and tests here.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isCi, repositoryRoot } from '@agent-registry/testing';
import { scriptsDir } from '../layout.js';

const run = promisify(execFile);
const hasGo = await run('go', ['version']).then(
  () => true,
  () => false,
);
if (!hasGo) {
  if (isCi()) throw new Error('CI=true and go is not installed: actionlint cannot be built');
  console.warn('\n⚠️  ACTIONLINT SKIPPED: go is not installed (actionlint is built from its Go module).\n');
}

const workflow = (name: string) =>
  parse(readFileSync(join(repositoryRoot, '.github', 'workflows', name), 'utf8')) as {
    on: { push?: { tags?: string[] } };
    jobs: Record<
      string,
      {
        steps: {
          uses?: string;
          run?: string;
          with?: Record<string, unknown>;
          env?: Record<string, string>;
        }[];
      }
    >;
  };

describe('GitHub Actions workflows', () => {
  it.skipIf(!hasGo)(
    'pass actionlint',
    async () => {
      const result = await run('bash', [join(scriptsDir, 'actionlint.sh')]).then(
        ({ stdout }) => ({ ok: true, output: stdout }),
        (error: { stdout?: string; stderr?: string }) => ({
          ok: false,
          output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
        }),
      );
      expect(result.output).toBe('');
      expect(result.ok).toBe(true);
    },
    300_000,
  );

  it('release: on version tags, both images multi-arch from the Dockerfiles `npm run images` builds', () => {
    const release = workflow('release.yml');
    expect(release.on.push?.tags).toEqual(['v*.*.*']);
    const build = release.jobs.images!.steps.find((step) =>
      step.uses?.startsWith('docker/build-push-action'),
    );
    expect(build?.with).toMatchObject({
      file: 'apps/${{ matrix.app }}/Dockerfile',
      context: '.',
      platforms: 'linux/amd64,linux/arm64',
      push: true,
      sbom: true,
    });
    const images = readFileSync(join(scriptsDir, 'images.sh'), 'utf8');
    // scripts/images.sh builds the same two apps from the same files, with the repository root as context.
    expect(images).toMatch(/^\s*controller \| registry\)$/m);
    expect(images).toContain('-f "$repo_root/apps/$name/Dockerfile"');
    expect(release.jobs.images).toMatchObject({ strategy: { matrix: { app: ['controller', 'registry'] } } });
  });

  it('release: the chart goes to an OCI registry, npm packages with provenance, SBOMs on the release', () => {
    const release = workflow('release.yml');
    const runs = (job: string) => release.jobs[job]!.steps.map((step) => step.run ?? '').join('\n');
    expect(runs('chart')).toMatch(/helm push .* "oci:\/\//);
    const publish = release.jobs.npm!.steps.find((step) => step.run?.includes('nx release publish'));
    expect(publish?.env?.NPM_CONFIG_PROVENANCE).toBe('true');
    expect(runs('github-release')).toMatch(/gh release create .*assets\/\*/);
    const sboms = Object.values(release.jobs).flatMap((job) =>
      job.steps.filter((step) => step.uses?.startsWith('anchore/sbom-action')),
    );
    expect(sboms.length).toBeGreaterThanOrEqual(2);
  });
});
