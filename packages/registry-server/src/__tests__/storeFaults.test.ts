import { mkdir, mkdtemp, rename, rm, truncate, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../store/embeddedStore.js';
import { card, eventually } from './helpers.js';
import { startChildRegistry } from './support/childRegistry.js';

const API = '/api/v1alpha1/registry';

async function sevenCards(): Promise<{ root: string; dir: string }> {
  const root = await mkdtemp(join(tmpdir(), 'registry-faults-'));
  const dir = join(root, 'manifests');
  await mkdir(join(dir, 'nested'), { recursive: true });
  for (let i = 0; i < 7; i++) {
    await writeFile(
      join(dir, i < 4 ? '' : 'nested', `card-${i}.yaml`),
      card('team', `card-${i}`, `card ${i}`),
    );
  }
  return { root, dir };
}

const names = (store: EmbeddedStore) =>
  store
    .list({ limit: 1000 })
    .items.map((item) => item.metadata.name)
    .sort();

describe('finding 4: faults keep the last good state', () => {
  let cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup = [];
  });

  async function started(): Promise<{ store: EmbeddedStore; root: string; dir: string }> {
    const { root, dir } = await sevenCards();
    const store = new EmbeddedStore({ directory: dir, debounceMs: 20, pollIntervalMs: 100 });
    await store.start();
    cleanup.push(async () => {
      await store.stop();
      await rm(root, { recursive: true, force: true });
    });
    expect(store.size).toBe(7);
    return { store, root, dir };
  }

  it('the directory moved away: 7 cards still served, not ready; back: ready again', async () => {
    const { store, root, dir } = await started();
    await rename(dir, join(root, 'manifests.away'));
    await eventually(() => expect(store.readiness()).toMatchObject({ ready: false }));
    expect(store.readiness().reason).toBe('the manifests directory cannot be read');
    // Several rescans later, still everything.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(store.size).toBe(7);
    await rename(join(root, 'manifests.away'), dir);
    await eventually(() => expect(store.readiness()).toMatchObject({ ready: true }));
    expect(store.size).toBe(7);
  });

  it('a subdirectory that cannot be read keeps its cards (not "deleted")', async () => {
    if (process.getuid?.() === 0) {
      // root reads through permissions: move the subdirectory's contents out of reach instead.
      const { store, dir } = await started();
      await chmod(join(dir, 'nested'), 0o000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(store.size).toBe(7);
      await chmod(join(dir, 'nested'), 0o755);
      return;
    }
    const { store, dir } = await started();
    await chmod(join(dir, 'nested'), 0o000);
    cleanup.push(() => chmod(join(dir, 'nested'), 0o755));
    await eventually(() => expect(store.readiness().ready).toBe(false));
    expect(store.size).toBe(7);
    await chmod(join(dir, 'nested'), 0o755);
    await eventually(() => expect(store.readiness().ready).toBe(true));
    expect(names(store)).toHaveLength(7);
  });

  it('a file truncated mid-edit keeps its card until the new content is written', async () => {
    const { store, dir } = await started();
    const file = join(dir, 'card-0.yaml');
    await truncate(file, 0);
    await store.settle();
    expect(names(store)).toContain('card-0');
    // A partial write: half the document.
    const next = card('team', 'card-0', 'the edited card');
    await writeFile(file, next.slice(0, Math.floor(next.length / 2)));
    await store.settle();
    expect(names(store)).toContain('card-0');
    await writeFile(file, next);
    await eventually(async () => {
      await store.settle();
      expect(store.get('team', 'card-0')?.spec.metadata?.description).toBe('the edited card');
    });
    // An empty file stays empty: still the last good card, with a warning that says how to remove it.
    await writeFile(file, '');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await store.settle();
    expect(names(store)).toContain('card-0');
    expect(store.problems()).toContainEqual(
      expect.objectContaining({
        file: 'card-0.yaml',
        severity: 'warning',
        message: expect.stringMatching(/^empty/),
      }),
    );
    // Deleting the file removes the card.
    await rm(file);
    await eventually(async () => {
      await store.settle();
      expect(names(store)).not.toContain('card-0');
    });
  });
});

describe(
  'finding 4: EMFILE in a real process (ulimit -n) keeps the cards, and readiness says so',
  { timeout: 120_000 },
  () => {
    it('7 → 7 → 7 cards while descriptors run out, not ready meanwhile, ready after', async () => {
      const { root, dir } = await sevenCards();
      const registry = await startChildRegistry({ manifests: dir }, { openFiles: 256 });
      const count = async () =>
        ((await (await fetch(`${registry.url}${API}/cards`)).json()) as { items: unknown[] }).items.length;
      const ready = async () => (await fetch(`${registry.url}/readyz`)).status;
      try {
        expect(await count()).toBe(7);
        // Keep-alive: the client's connection is open before the descriptors run out.
        expect(await registry.command('hog', 'HOGGED')).toMatch(/^HOGGED \d+/);
        // Touch a file so the next scan must read (and cannot open) it.
        await writeFile(join(dir, 'card-0.yaml'), card('team', 'card-0', 'edited while out of descriptors'));
        await new Promise((resolve) => setTimeout(resolve, 6000)); // the finding: 0 cards within 6 s
        await registry.command('release', 'RELEASED');
        // The probe and list ran on connections opened after the release: what was served all along.
        await eventually(async () => expect(await ready()).toBe(200), 10_000);
        expect(await count()).toBe(7);
        expect(registry.stderr()).toMatch(/EMFILE|too many open files/);
        expect(registry.stderr()).toMatch(/serving the last good state/);
      } finally {
        await registry.close();
        await rm(root, { recursive: true, force: true });
      }
    });
  },
);
