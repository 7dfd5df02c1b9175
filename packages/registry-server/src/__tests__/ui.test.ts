import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startServer } from '../server.js';
import { CATALOG_CONTENT_SECURITY_POLICY } from '../ui/index.js';
import { CHROMIUM_PATH, chromiumAvailable, launchChromium } from './support/chromium.js';

// Throws under CI (any truthy CI, as for the envtest suites) when Chromium is missing; skips locally.
const hasChromium = chromiumAvailable(CHROMIUM_PATH);

const ARTIFACTS = join(import.meta.dirname, '..', '..', '.vitest-artifacts');

type Health = 'Healthy' | 'Unhealthy' | 'Unknown';
interface Fixture {
  namespace: string;
  name: string;
  description: string;
  health?: Health;
  a2aVersion?: '0.3.0' | '1.0';
  labels?: Record<string, string>;
  skills: { id: string; name: string; tags: string[]; description?: string }[];
}

const HOSTILE = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
const fixtures: Fixture[] = [
  {
    namespace: 'default',
    name: 'weather-forecaster',
    description: 'Forecasts the weather for any city.',
    health: 'Healthy',
    labels: { team: 'climate' },
    skills: [
      { id: 'forecast', name: 'Forecast', tags: ['weather', 'climate'], description: 'Five-day forecasts.' },
    ],
  },
  {
    namespace: 'default',
    name: 'weather-alerts',
    description: 'Pushes severe weather warnings.',
    health: 'Unhealthy',
    skills: [{ id: 'alerts', name: 'Alerts', tags: ['weather', 'notifications'] }],
  },
  {
    namespace: 'finance',
    name: 'invoice-parser',
    description: 'Extracts line items from invoices.',
    health: 'Healthy',
    a2aVersion: '1.0',
    skills: [{ id: 'parse-invoice', name: 'Parse invoice', tags: ['documents', 'finance'] }],
  },
  {
    namespace: 'finance',
    name: 'fraud-detector',
    description: 'Scores card transactions for fraud risk.',
    skills: [{ id: 'score-transaction', name: 'Score transaction', tags: ['finance', 'risk'] }],
  },
  {
    namespace: 'ops',
    name: 'k8s-troubleshooter',
    description: 'Diagnoses failing pods and deployments.',
    health: 'Healthy',
    labels: { team: 'platform' },
    skills: [
      { id: 'kubernetes', name: 'Kubernetes', tags: ['kubernetes', 'ops'] },
      { id: 'helm', name: 'Helm', tags: ['kubernetes'] },
    ],
  },
  {
    namespace: 'ops',
    name: 'log-summarizer',
    description: 'Summarises noisy logs into incidents.',
    health: 'Unhealthy',
    skills: [{ id: 'summarize-logs', name: 'Summarize logs', tags: ['ops', 'observability'] }],
  },
  {
    namespace: 'research',
    name: 'paper-finder',
    description: HOSTILE,
    health: 'Healthy',
    skills: [{ id: 'find-papers', name: 'Find papers', tags: ['research'] }],
  },
];

function manifest(fixture: Fixture): Record<string, unknown> {
  return {
    apiVersion: 'kagent.dev/v1alpha1',
    kind: 'AgentCard',
    metadata: { name: fixture.name, namespace: fixture.namespace, labels: fixture.labels },
    spec: {
      a2aVersion: fixture.a2aVersion ?? '0.3.0',
      endpoints: [`http://${fixture.name}.${fixture.namespace}.svc.cluster.local:8080`],
      metadata: { description: fixture.description, 'provider.organization': 'Acme' },
      skills: fixture.skills,
    },
    ...(fixture.health && {
      status: {
        health: fixture.health,
        lastSeen: '2025-11-20T10:00:00Z',
        conditions: [
          {
            type: 'Ready',
            status: fixture.health === 'Healthy' ? 'True' : 'False',
            lastTransitionTime: '2025-11-20T10:00:00Z',
            reason: fixture.health === 'Healthy' ? 'ProbeSucceeded' : 'ProbeFailed',
            message: '',
          },
        ],
      },
    }),
  };
}

const names = (list: Fixture[]): string[] => list.map((fixture) => fixture.name).sort();

describe.skipIf(!hasChromium)('web catalog in Chromium', () => {
  let manifests: string;
  let registry: { url: string; close(): Promise<void> };
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    manifests = await mkdtemp(join(tmpdir(), 'registry-ui-'));
    await writeFile(join(manifests, 'cards.yaml'), fixtures.map((f) => stringify(manifest(f))).join('---\n'));
    registry = await startServer({
      host: '127.0.0.1',
      port: 0,
      store: 'embedded',
      manifests,
    });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    context.setDefaultTimeout(5_000);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: registry.url });
  });

  afterAll(async () => {
    await browser?.close();
    await registry?.close();
    if (manifests) await rm(manifests, { recursive: true, force: true });
  });

  /** Opens the catalog, recording console errors, page errors and CSP violations. */
  async function openCatalog(path = '/'): Promise<{ page: Page; problems: string[] }> {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    await page.goto(new URL(path, registry.url).href);
    await expect.poll(() => page.locator('#result-count').textContent()).toMatch(/\d+ agents?/);
    return { page, problems };
  }

  const cardNames = (page: Page) =>
    page
      .locator('#results .card__title')
      .allTextContents()
      .then((list) => list.sort());

  it('lists every card with its health badge, behind a strict CSP, without console errors', async () => {
    const response = await fetch(registry.url);
    expect(response.headers.get('content-security-policy')).toBe(CATALOG_CONTENT_SECURITY_POLICY);

    const { page, problems } = await openCatalog();
    expect(await page.locator('#result-count').textContent()).toBe(`${fixtures.length} agents`);
    expect(await cardNames(page)).toEqual(names(fixtures));
    const alerts = page.locator('article.card', { hasText: 'weather-alerts' });
    expect(await alerts.locator('.badge').textContent()).toBe('Unhealthy');
    expect(await alerts.locator('.badge').getAttribute('class')).toContain('badge--unhealthy');
    const fraud = page.locator('article.card', { hasText: 'fraud-detector' });
    expect(await fraud.locator('.badge').textContent()).toBe('Unknown');
    // Inline script is blocked by the CSP: a violation would surface as a console error.
    expect(await page.locator('script:not([src])').count()).toBe(0);
    await page.close();
    expect(problems).toEqual([]);
  });

  it('shows hostile text as text, never as markup', async () => {
    const { page, problems } = await openCatalog();
    const card = page.locator('article.card', { hasText: 'paper-finder' });
    expect(await card.locator('.card__description').textContent()).toBe(HOSTILE);
    expect(await page.locator('#results img, #results b').count()).toBe(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    await page.close();
    expect(problems).toEqual([]);
  });

  it('narrows the results as the user searches and filters, and keeps the filters in the URL', async () => {
    const { page, problems } = await openCatalog();
    await page.getByLabel('Search', { exact: true }).fill('weather');
    await expect.poll(() => cardNames(page)).toEqual(['weather-alerts', 'weather-forecaster']);
    expect(await page.locator('#result-count').textContent()).toBe('2 agents, best matches first');
    expect(new URL(page.url()).searchParams.get('q')).toBe('weather');

    await page.getByLabel('Health', { exact: true }).selectOption('Unhealthy');
    await expect.poll(() => cardNames(page)).toEqual(['weather-alerts']);
    expect(await page.locator('#result-count').textContent()).toBe('1 agent');

    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => cardNames(page)).toEqual(names(fixtures));

    await page.getByLabel('Skill', { exact: true }).fill('helm');
    await expect.poll(() => cardNames(page)).toEqual(['k8s-troubleshooter']);
    await page.getByLabel('Skill', { exact: true }).fill('');
    await page.getByLabel('Tag', { exact: true }).fill('finance');
    await expect.poll(() => cardNames(page)).toEqual(['fraud-detector', 'invoice-parser']);
    await page.getByLabel('Health', { exact: true }).selectOption('Unknown');
    await expect.poll(() => cardNames(page)).toEqual(['fraud-detector']);

    await page.getByLabel('Search', { exact: true }).fill('zqxjkv');
    await expect.poll(() => page.locator('#empty').isVisible()).toBe(true);
    expect(await page.locator('#result-count').textContent()).toBe('0 agents');

    // Filters survive a reload through the query string.
    await page.reload();
    expect(await page.getByLabel('Tag', { exact: true }).inputValue()).toBe('finance');
    await page.close();
    expect(problems).toEqual([]);
  });

  it('opens a card: details, both A2A versions and a copyable well-known URL', async () => {
    const { page, problems } = await openCatalog();
    await page.getByRole('link', { name: 'weather-forecaster' }).click();
    const details = page.locator('#details');
    await expect.poll(() => details.isVisible()).toBe(true);
    expect(await page.locator('#details-title').textContent()).toBe('weather-forecaster');
    expect(await page.locator('#details-namespace').textContent()).toBe('default');
    expect(await page.locator('#details-health').textContent()).toBe('Healthy');
    expect(await page.locator('#details-description').textContent()).toBe(
      'Forecasts the weather for any city.',
    );
    expect(await page.locator('#details-skills').textContent()).toContain('Five-day forecasts.');
    expect(await page.locator('#details-facts').textContent()).toContain('team=climate');
    expect(await page.locator('#details-conditions').textContent()).toContain('Ready: True');
    expect(new URL(page.url()).hash).toBe('#/agents/default/weather-forecaster');

    const api = `${registry.url}/api/v1alpha1/registry/cards/default/weather-forecaster/a2a`;
    const shownJson = async (): Promise<unknown> => {
      const text = (await page.locator('#a2a-json').textContent()) ?? '';
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    };
    const v030 = await (await fetch(`${api}?a2aVersion=0.3.0`)).json();
    const v10 = await (await fetch(`${api}?a2aVersion=1.0`)).json();
    expect(v030).not.toEqual(v10);
    await expect.poll(shownJson).toEqual(v030);
    await page.getByLabel('1.0', { exact: true }).check();
    await expect.poll(shownJson).toEqual(v10);
    expect(await page.locator('#a2a-raw').getAttribute('href')).toContain('a2aVersion=1.0');
    await page.getByLabel('0.3.0', { exact: true }).check();
    await expect.poll(shownJson).toEqual(v030);

    const wellKnown = `${registry.url}/agents/default/weather-forecaster/.well-known/agent-card.json`;
    expect(await page.getByLabel('Well-known URL', { exact: true }).inputValue()).toBe(wellKnown);
    await page.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => page.locator('#copy-status').textContent()).toBe('Copied to clipboard.');
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(wellKnown);
    const served = await fetch(wellKnown);
    expect(served.status).toBe(200);

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'catalog.png'), fullPage: false });
    await page.close();
    expect(problems).toEqual([]);
  });

  it('opens a deep link and works from the keyboard alone', async () => {
    const { page, problems } = await openCatalog('/#/agents/finance/invoice-parser');
    await expect.poll(() => page.locator('#details-title').textContent()).toBe('invoice-parser');
    await expect.poll(() => page.evaluate('document.activeElement.id')).toBe('details-title');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('#details').isVisible()).toBe(false);
    // Focus returns to the card it closed (after the pane's close, which a busy machine may delay).
    await expect.poll(() => page.evaluate('document.activeElement.textContent')).toBe('invoice-parser');

    await page.locator('#q').focus();
    await page.keyboard.type('troubleshoot');
    await expect.poll(() => cardNames(page)).toEqual(['k8s-troubleshooter']);
    await page.getByRole('link', { name: 'k8s-troubleshooter' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#details-title').textContent()).toBe('k8s-troubleshooter');
    await page.close();
    expect(problems).toEqual([]);
  });

  it('lays out for a phone-sized screen', async () => {
    const { page, problems } = await openCatalog('/#/agents/ops/log-summarizer');
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => page.locator('#details-title').textContent()).toBe('log-summarizer');
    // Page functions run in the browser; strings keep DOM types out of this Node project.
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(ARTIFACTS, 'catalog-mobile.png'), fullPage: false });
    await page.close();
    expect(problems).toEqual([]);
  });

  it('shows a card added while the page is open (live updates)', async () => {
    const { page, problems } = await openCatalog();
    await expect.poll(() => page.locator('#live').isVisible()).toBe(true);
    const added: Fixture = {
      namespace: 'research',
      name: 'citation-checker',
      description: 'Checks citations.',
      health: 'Healthy',
      skills: [{ id: 'check-citations', name: 'Check citations', tags: ['research'] }],
    };
    await writeFile(join(manifests, 'added.yaml'), stringify(manifest(added)));
    await expect.poll(() => cardNames(page), { timeout: 10_000 }).toContain('citation-checker');
    await rm(join(manifests, 'added.yaml'));
    await expect.poll(() => cardNames(page), { timeout: 10_000 }).not.toContain('citation-checker');
    await page.close();
    expect(problems).toEqual([]);
  });
});
