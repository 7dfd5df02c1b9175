import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../store/embeddedStore.js';
import { card, copyExamples, eventually } from './helpers.js';

const keys = (store: EmbeddedStore): string[] =>
  store.all().map((card) => `${card.metadata.namespace}/${card.metadata.name}`);

describe('embedded store: live reload of the manifests directory', () => {
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

  it('applies an added, edited and deleted file live', async () => {
    expect(store.size).toBe(7);
    const file = join(examples.dir, 'team-data', 'new.yaml');
    await writeFile(file, card('team-data', 'newcomer', 'First version'));
    await eventually(() =>
      expect(store.get('team-data', 'newcomer')?.spec.metadata?.description).toBe('First version'),
    );
    await writeFile(file, card('team-data', 'newcomer', 'Second version'));
    await eventually(() =>
      expect(store.get('team-data', 'newcomer')?.spec.metadata?.description).toBe('Second version'),
    );
    await rm(file);
    await eventually(() => expect(store.get('team-data', 'newcomer')).toBeUndefined());
    expect(store.size).toBe(7);
  });

  it('keeps serving the last good version of a broken file, reports it, and takes the fix', async () => {
    const file = join(examples.dir, 'team-data', 'agents.yaml');
    const good = await readFile(file, 'utf8');
    await writeFile(file, `${good}\n---\nkind: [unclosed\n`);
    await eventually(() =>
      expect(store.problems()).toContainEqual(
        expect.objectContaining({ severity: 'error', file: 'team-data/agents.yaml', document: 3 }),
      ),
    );
    expect(store.get('team-data', 'sql-analyst')).toBeDefined();
    expect(store.size).toBe(7);

    await writeFile(file, good.replace('name: sql-analyst', 'name: Not_A_Name'));
    await eventually(() =>
      expect(store.problems()).toContainEqual(
        expect.objectContaining({ file: 'team-data/agents.yaml', path: 'metadata.name' }),
      ),
    );
    expect(store.get('team-data', 'sql-analyst')).toBeDefined();

    await writeFile(file, good.replace('Answers business questions', 'Answers ALL business questions'));
    await eventually(() =>
      expect(store.get('team-data', 'sql-analyst')?.spec.metadata?.description).toContain('ALL'),
    );
    expect(store.problems().filter((p) => p.severity === 'error')).toEqual([]);
    expect(store.readiness()).toMatchObject({ ready: true, details: { cards: 7 } });
  });

  it('survives an editor rename-write', async () => {
    const file = join(examples.dir, 'team-platform', 'release-manager.yaml');
    const text = await readFile(file, 'utf8');
    const temp = `${file}.tmp~`;
    await writeFile(temp, text.replace('Plans Helm releases', 'Ships Helm releases'));
    const { rename } = await import('node:fs/promises');
    await rename(temp, file);
    await eventually(() =>
      expect(store.get('team-platform', 'release-manager')?.spec.metadata?.description).toContain('Ships'),
    );
    expect(store.size).toBe(7);
  });

  it('reports duplicates across files, the first path winning', async () => {
    await writeFile(
      join(examples.dir, 'team-data', 'zz-duplicate.yaml'),
      card('team-data', 'cost-reporter', 'Impostor'),
    );
    await writeFile(join(examples.dir, 'aa-first.yaml'), card('team-platform', 'release-manager', 'Winner'));
    await eventually(() =>
      expect(store.problems().filter((p) => p.message.startsWith('duplicate'))).toHaveLength(2),
    );
    expect(store.get('team-data', 'cost-reporter')?.spec.metadata?.description).toContain('cloud spend');
    expect(store.get('team-platform', 'release-manager')?.spec.metadata?.description).toBe('Winner');
    expect(keys(store)).toHaveLength(7);
  });

  it('reads JSON, kind: List, and reports unsupported kinds with file and document', async () => {
    await writeFile(
      join(examples.dir, 'mixed.yaml'),
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n${card('default', 'plain', 'Plain card')}`,
    );
    await eventually(() => expect(store.get('default', 'plain')).toBeDefined());
    expect(store.problems()).toContainEqual(
      expect.objectContaining({ file: 'mixed.yaml', document: 0, path: 'kind', severity: 'error' }),
    );
    expect(store.get('team-data', 'cost-reporter')?.status?.health).toBe('Unhealthy');
  });

  it('emits ADDED/MODIFIED/DELETED with increasing sequence numbers', async () => {
    const events: string[] = [];
    const sequences: number[] = [];
    store.subscribeSequenced((event) => {
      events.push(`${event.type} ${event.card.metadata.name}`);
      sequences.push(event.sequence);
    });
    const file = join(examples.dir, 'e.yaml');
    await writeFile(file, card('default', 'evented', 'one'));
    await eventually(() => expect(events).toEqual(['ADDED evented']));
    await writeFile(file, card('default', 'evented', 'two'));
    await eventually(() => expect(events).toEqual(['ADDED evented', 'MODIFIED evented']));
    await rm(file);
    await eventually(() => expect(events).toEqual(['ADDED evented', 'MODIFIED evented', 'DELETED evented']));
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(store.eventsSince(sequences[0]!)).toMatchObject({
      ok: true,
      events: [{ type: 'MODIFIED' }, { type: 'DELETED' }],
    });
  });
});
