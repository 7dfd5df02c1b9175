import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { repositoryRoot } from '@agent-registry/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../server.js';
import { CHROMIUM_PATH, chromiumAvailable, launchChromium } from './support/chromium.js';

const hasChromium = chromiumAvailable(CHROMIUM_PATH);
const ARTIFACTS = join(import.meta.dirname, '..', '..', '.vitest-artifacts');
const API = '/api/v1alpha1/registry/cards';

interface ListedCard {
  metadata: { name: string; namespace?: string };
  spec: { skills?: unknown[]; capabilities?: string[]; publicCard?: { skills?: unknown[] } };
}
interface ServedSkill {
  id: string;
  name: string;
}

/**
 * Every card of examples/ — typed skills, capability strings, kagent and a2a.io Agents, stored public
 * cards — shows in the catalog exactly the skills its A2A card lists, in the list and in its details.
 */
describe.skipIf(!hasChromium)('web catalog on examples/ in Chromium', () => {
  let registry: { url: string; close(): Promise<void> };
  let browser: Browser;
  let cards: ListedCard[];

  beforeAll(async () => {
    registry = await startServer({
      host: '127.0.0.1',
      port: 0,
      store: 'embedded',
      manifests: join(repositoryRoot, 'examples'),
    });
    cards = ((await (await fetch(`${registry.url}${API}?limit=500`)).json()) as { items: ListedCard[] })
      .items;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await registry?.close();
  });

  const servedSkills = async (namespace: string, name: string, version: string): Promise<string[]> => {
    const response = await fetch(`${registry.url}${API}/${namespace}/${name}/a2a?a2aVersion=${version}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { skills: ServedSkill[] }).skills.map((skill) => skill.name);
  };

  it('covers every kind of skill source, release-manager (capability strings) included', () => {
    expect(cards.length).toBeGreaterThanOrEqual(5);
    expect(cards.some((card) => card.spec.skills?.length)).toBe(true);
    expect(cards.some((card) => !card.spec.skills?.length && card.spec.capabilities?.length)).toBe(true);
    expect(cards.some((card) => card.spec.publicCard)).toBe(true);
    expect(cards.map((card) => card.metadata.name)).toContain('release-manager');
  });

  it('shows, for every example card, the skill names of its A2A card', async () => {
    const page: Page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(registry.url);
    await expect.poll(() => page.locator('#result-count').textContent()).toBe(`${cards.length} agents`);

    for (const card of cards) {
      const namespace = card.metadata.namespace ?? 'default';
      const { name } = card.metadata;
      const expected = await servedSkills(namespace, name, '0.3.0');
      expect(expected.length, `${namespace}/${name} serves skills`).toBeGreaterThan(0);
      // Both generations of the card name the same skills.
      expect(await servedSkills(namespace, name, '1.0'), `${namespace}/${name}`).toEqual(expected);

      const listed = page.locator(`article.card[data-key="${namespace}/${name}"] .chip`);
      expect(await listed.allTextContents(), `list chips of ${namespace}/${name}`).toEqual(
        expected.slice(0, 6),
      );

      await page.goto(`${registry.url}/#/agents/${namespace}/${name}`);
      await expect.poll(() => page.locator('#details-title').textContent()).toBe(name);
      await expect
        .poll(() => page.locator('#a2a-json').textContent())
        .toMatch(new RegExp(`"name": ${JSON.stringify(expected[0])}`));
      expect(
        await page.locator('#details-skills .skill__name').allTextContents(),
        `details of ${namespace}/${name}`,
      ).toEqual(expected);
      if (name === 'release-manager') {
        expect(expected).toEqual(['helm', 'release-notes', 'changelog']);
        await mkdir(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, 'catalog-release-manager.png') });
      }
    }
    await page.close();
    expect(problems).toEqual([]);
  });
});
