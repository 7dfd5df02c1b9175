import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toA2ACard } from '@agent-registry/a2a-translator';
import { publicJwks, signA2ACard, toSigningKey } from '@agent-registry/card-signing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../server.js';
import { CHROMIUM_PATH, chromiumAvailable, launchChromium } from './support/chromium.js';

const hasChromium = chromiumAvailable(CHROMIUM_PATH);

function agentCard(name: string, publicCard: Record<string, unknown>) {
  return {
    apiVersion: 'kagent.dev/v1alpha1',
    kind: 'AgentCard',
    metadata: { name, namespace: 'travel' },
    spec: {
      endpoints: [`https://${name}.travel.example.com/a2a`],
      metadata: { description: `The ${name} agent` },
      capabilities: ['routes'],
      publicCard,
    },
  };
}

function published(name: string): Record<string, unknown> {
  const result = toA2ACard(
    {
      metadata: { name, namespace: 'travel' },
      spec: {
        endpoints: [`https://${name}.travel.example.com/a2a`],
        metadata: { description: `The ${name} agent` },
        capabilities: ['routes'],
      },
    },
    { a2aVersion: '0.3.0' },
  );
  if (!result.ok) throw new Error('the sample card does not render');
  return result.card;
}

describe.skipIf(!hasChromium)('the catalog badges cards whose publisher signature verified', () => {
  let dir: string;
  let registry: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'registry-ui-signatures-'));
    const publisher = await toSigningKey(generateKeyPairSync('ed25519').privateKey, { kid: 'publisher-1' });
    const tampered = await signA2ACard(published('tampered'), publisher);
    tampered.description = 'changed after signing';
    const cards = [
      agentCard('signed', await signA2ACard(published('signed'), publisher)),
      agentCard('tampered', tampered),
      agentCard('unsigned', published('unsigned')),
    ];
    await writeFile(
      join(dir, 'cards.json'),
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: cards }),
    );
    registry = await startServer({
      host: '127.0.0.1',
      port: 0,
      manifests: dir,
      trustedKeys: publicJwks([publisher]),
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await registry?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const cardOf = (page: Page, name: string) =>
    page.locator('article.card').filter({ has: page.getByRole('link', { name, exact: true }) });
  const badgesOf = (page: Page, name: string) => cardOf(page, name).locator('.badge').allTextContents();
  const openDetails = async (page: Page, name: string) => {
    await cardOf(page, name).getByRole('link', { name, exact: true }).click();
    await expect.poll(() => page.locator('#details-title').textContent()).toBe(name);
  };

  it('shows "Signature verified" on the verified card only, in the list and in its details', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(registry.url);
    await expect.poll(() => page.locator('#result-count').textContent()).toBe('3 agents');
    expect(await badgesOf(page, 'signed')).toEqual(['Unknown', 'Signature verified']);
    // A failed signature is listed like an unsigned card: never as verified.
    expect(await badgesOf(page, 'tampered')).toEqual(['Unknown']);
    expect(await badgesOf(page, 'unsigned')).toEqual(['Unknown']);

    await openDetails(page, 'signed');
    expect(await page.locator('#details-health + .badge--verified').count()).toBe(1);
    await openDetails(page, 'tampered');
    expect(await page.locator('#details-health + .badge--verified').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
