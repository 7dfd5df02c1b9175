import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../store/embeddedStore.js';
import { parseManifestFile } from '../store/manifestFile.js';
import { copyExamples, eventually } from './helpers.js';

const QUALIFIED_NAME_TWO_SLASHES =
  "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

const agent = (metadata: string) => `apiVersion: a2a.io/v1
kind: Agent
metadata:
${metadata}
spec:
  description: Reads the weather.
`;

describe('embedded store: object metadata a kube-apiserver would reject', () => {
  it('names the replacement of the old two-slash card-metadata annotation', () => {
    const result = parseManifestFile(
      'agents.yaml',
      agent(
        '  name: weather\n  annotations:\n    kagent.dev/card-metadata/provider.url: "https://x.example"',
      ),
    );
    expect(result.cards).toEqual([]);
    expect(result.problems).toEqual([
      expect.objectContaining({
        path: 'metadata.annotations',
        message: expect.stringContaining(
          `Invalid value: "kagent.dev/card-metadata/provider.url": ${QUALIFIED_NAME_TWO_SLASHES}`,
        ),
      }),
      expect.objectContaining({
        path: 'metadata.annotations["kagent.dev/card-metadata/provider.url"]',
        message: expect.stringContaining('use "kagent.dev/card-provider.url"'),
      }),
    ]);
  });

  it.each([
    [
      'an annotation key with two "/"',
      '  name: weather\n  annotations:\n    example.com/a/b: "x"',
      'metadata.annotations',
      `Invalid value: "example.com/a/b": ${QUALIFIED_NAME_TWO_SLASHES}`,
    ],
    [
      'an upper-case name',
      '  name: Weather',
      'metadata.name',
      'Invalid value: "Weather": a lowercase RFC 1123 subdomain must consist of',
    ],
    [
      'a namespace with a dot',
      '  name: weather\n  namespace: team.data',
      'metadata.namespace',
      'Invalid value: "team.data": must not contain dots',
    ],
    [
      'a label value with a space',
      '  name: weather\n  labels:\n    team: "data team"',
      'metadata.labels',
      'Invalid value: "data team": a valid label must be an empty string or consist of',
    ],
    [
      'a label key with an upper-case prefix',
      '  name: weather\n  labels:\n    Example.com/team: data',
      'metadata.labels',
      'Invalid value: "Example.com/team": prefix part a lowercase RFC 1123 subdomain',
    ],
  ])('%s: reported in the apiserver’s words and skipped', (_, metadata, path, message) => {
    const result = parseManifestFile('agents.yaml', agent(metadata));
    expect(result.cards).toEqual([]);
    expect(result.failed).toBe(true);
    expect(result.problems).toEqual([
      expect.objectContaining({ severity: 'error', file: 'agents.yaml', document: 0, path }),
    ]);
    expect(result.problems[0]?.message.startsWith(message)).toBe(true);
  });

  it('holds the annotations to 256 KiB in UTF-8 bytes, and does not echo them', () => {
    const value = 'é'.repeat(128 * 1024); // 128 Ki characters, 256 KiB of UTF-8
    const result = parseManifestFile(
      'big.yaml',
      agent(`  name: weather\n  annotations:\n    note: "${value}"`),
    );
    expect(result.cards).toEqual([]);
    expect(result.problems).toEqual([
      expect.objectContaining({
        path: 'metadata.annotations',
        message: 'Too long: may not be more than 262144 bytes',
      }),
    ]);
  });

  it('cuts a long offending value after 100 characters', () => {
    const key = `${'k'.repeat(300)}/x`;
    const result = parseManifestFile('long.yaml', agent(`  name: weather\n  annotations:\n    ${key}: v`));
    const message = result.problems[0]?.message ?? '';
    expect(message).toMatch(/^Invalid value: "k{100}"\.\.\. \(302 characters\): prefix part/);
    expect(message).not.toContain('k'.repeat(101));
  });

  it('checks agents that did not opt in too: a cluster would reject them as well', () => {
    const text = `apiVersion: kagent.dev/v1alpha2
kind: Agent
metadata:
  name: scratch_pad
spec:
  type: Declarative
  declarative: {}
`;
    const result = parseManifestFile('agent.yaml', text);
    expect(result.failed).toBe(true);
    expect(result.problems).toEqual([expect.objectContaining({ path: 'metadata.name' })]);
  });

  it('accepts every file of examples/', async () => {
    const examples = await copyExamples();
    try {
      for (const file of [
        'team-platform/k8s-troubleshooter.yaml',
        'team-platform/release-manager.yaml',
        'team-platform/incident-responder.yaml',
        'team-data/agents.yaml',
        'team-data/pipeline-monitor-card.yaml',
        'team-data/cost-reporter.json',
      ]) {
        const result = parseManifestFile(file, await readFile(join(examples.dir, file), 'utf8'));
        expect(result.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
      }
    } finally {
      await examples.remove();
    }
  });

  describe('live', () => {
    let examples: Awaited<ReturnType<typeof copyExamples>>;
    let store: EmbeddedStore;
    beforeEach(async () => {
      examples = await copyExamples();
      store = new EmbeddedStore({ directory: examples.dir, debounceMs: 20, pollIntervalMs: 200 });
      await store.start();
    });
    afterEach(async () => {
      await store.stop();
      await examples.remove();
    });

    it('keeps serving the last good version when an edit brings the old two-slash annotation', async () => {
      const file = join(examples.dir, 'team-platform', 'k8s-troubleshooter.yaml');
      const good = await readFile(file, 'utf8');
      expect(good).toContain('kagent.dev/card-version');
      await writeFile(file, good.replace('kagent.dev/card-version', 'kagent.dev/card-metadata/version'));
      await eventually(() =>
        expect(store.problems()).toContainEqual(
          expect.objectContaining({
            severity: 'error',
            file: 'team-platform/k8s-troubleshooter.yaml',
            path: 'metadata.annotations',
            message: expect.stringContaining('"kagent.dev/card-metadata/version"'),
          }),
        ),
      );
      expect(store.get('team-platform', 'k8s-troubleshooter')?.spec.metadata?.version).toBe('2.3.0');
      expect(store.size).toBe(7);

      await writeFile(
        file,
        good.replace("kagent.dev/card-version: '2.3.0'", "kagent.dev/card-version: '2.4.0'"),
      );
      await eventually(() =>
        expect(store.get('team-platform', 'k8s-troubleshooter')?.spec.metadata?.version).toBe('2.4.0'),
      );
      expect(store.problems().filter((p) => p.severity === 'error')).toEqual([]);
    });
  });
});
