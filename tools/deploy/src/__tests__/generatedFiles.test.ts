import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chartCrdsDir, manifestsDir, sourceCrdsDir } from '../../lib/paths.mjs';
import { diffGenerated, writeGenerated } from '../../lib/sync.mjs';
import { MANIFESTS_FILE, MANIFESTS_NAMESPACE, expectedManifests } from '../../render-manifests.mjs';
import { expectedChartCrds } from '../../sync-chart-crds.mjs';
import { parseObjects } from '../chart.js';

describe('charts/agent-registry/crds', () => {
  it('holds exactly the generated CRDs of packages/crds (run `node tools/deploy/sync-chart-crds.mjs`)', () => {
    const expected = expectedChartCrds();
    expect([...expected.keys()]).toEqual(['agentcards.kagent.dev.yaml', 'agents.a2a.io.yaml']);
    expect(diffGenerated(chartCrdsDir, expected)).toEqual([]);
  });

  it('are the CRDs from the valibot-generated manifests', () => {
    for (const [name, content] of expectedChartCrds()) {
      expect(content).toBe(readFileSync(join(sourceCrdsDir, name), 'utf8'));
      const [crd] = parseObjects(content);
      expect(crd?.kind).toBe('CustomResourceDefinition');
      expect(`${crd?.metadata.name}.yaml`).toBe(name);
    }
  });
});

describe('deploy/manifests', () => {
  it('is the chart rendered with default values (run `node tools/deploy/render-manifests.mjs`)', async () => {
    for (const { dir, expected } of await expectedManifests()) {
      expect(diffGenerated(dir, expected)).toEqual([]);
    }
  });

  it('starts with its Namespace and puts every namespaced object into it', () => {
    const objects = parseObjects(readFileSync(join(manifestsDir, MANIFESTS_FILE), 'utf8'));
    expect(objects[0]).toMatchObject({ kind: 'Namespace', metadata: { name: MANIFESTS_NAMESPACE } });
    const clusterScoped = new Set([
      'Namespace',
      'ClusterRole',
      'ClusterRoleBinding',
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicyBinding',
    ]);
    for (const object of objects.filter((o) => !clusterScoped.has(o.kind))) {
      expect(object.metadata.namespace, `${object.kind}/${object.metadata.name}`).toBe(MANIFESTS_NAMESPACE);
    }
  });
});

describe('generated-file drift detection', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('reports missing, out-of-date and stale files, and writeGenerated fixes them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-registry-sync-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'a.yaml'), 'old');
    writeFileSync(join(dir, 'stale.yaml'), 'x');
    writeFileSync(join(dir, 'README.txt'), 'not generated');
    const expected = new Map([
      ['a.yaml', 'new'],
      ['b.yaml', 'b'],
    ]);
    const problems = diffGenerated(dir, expected);
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/out of date: .*a\.yaml/);
    expect(problems.join('\n')).toMatch(/missing: .*b\.yaml/);
    expect(problems.join('\n')).toMatch(/stale: .*stale\.yaml/);

    writeGenerated(dir, expected);
    expect(diffGenerated(dir, expected)).toEqual([]);
    expect(readFileSync(join(dir, 'README.txt'), 'utf8')).toBe('not generated');
  });
});
