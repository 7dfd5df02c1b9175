import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { startServer, type RunningServer } from '../server.js';
import { API, eventually, json } from './helpers.js';

interface RankedList {
  metadata: { continue?: string };
  items: { metadata: { name: string; namespace: string } }[];
  scores?: number[];
}

const keysOf = (list: RankedList) =>
  list.items.map((card) => `${card.metadata.namespace}/${card.metadata.name}`);

/** A card manifest with typed skills. */
function manifest(
  namespace: string,
  name: string,
  description: string,
  skills: { id: string; name: string; tags?: string[] }[] = [],
): string {
  return JSON.stringify({
    apiVersion: 'kagent.dev/v1alpha1',
    kind: 'AgentCard',
    metadata: { name, namespace },
    spec: {
      endpoints: [`https://${name}.example.com/a2a`],
      metadata: { description },
      skills: skills.map((skill) => ({ ...skill, description: '' })),
    },
  });
}

const twinSkill = { id: 'translate-text', name: 'Translate text' };

describe('ranked search over REST (q=)', () => {
  let dir: string;
  let server: RunningServer;
  const get = async (query: string) => {
    const response = await fetch(`${server.url}${API}/cards?${query}`);
    expect(response.status, query).toBe(200);
    return json<RankedList>(response);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'registry-search-'));
    const files: Record<string, string> = {
      'helm.json': manifest('platform', 'helm-operator', 'Installs and upgrades charts.', [
        { id: 'helm-rollback', name: 'Rollback release', tags: ['helm'] },
      ]),
      'linter.json': manifest('platform', 'chart-linter', 'Lints Helm charts before publishing.', [
        { id: 'lint', name: 'Lint chart', tags: ['quality'] },
      ]),
      'cost.json': manifest('finops', 'cost-analyst', 'Spend by namespace and team, per month.', [
        { id: 'cost-allocation', name: 'Cost allocation', tags: ['cost'] },
      ]),
      // Same text in three namespaces/names: equal scores for any query that misses their names.
      // (A typed skill each: a card without one gets a General Purpose skill naming the agent.)
      'twin-b.json': manifest('team-b', 'twin', 'Translates documents between languages.', [twinSkill]),
      'twin-a2.json': manifest('team-a', 'twin-two', 'Translates documents between languages.', [twinSkill]),
      'twin-a1.json': manifest('team-a', 'twin-one', 'Translates documents between languages.', [twinSkill]),
    };
    for (const [file, body] of Object.entries(files)) await writeFile(join(dir, file), body);
    server = await startServer({
      host: '127.0.0.1',
      port: 0,
      manifests: dir,
      logger: silentLogger,
      rateLimit: 0,
      ui: false,
    });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('ranks the best match first and returns a score per item, in descending order', async () => {
    const list = await get('q=roll%20back%20a%20helm%20release');
    expect(keysOf(list)[0]).toBe('platform/helm-operator');
    expect(keysOf(list)).toContain('platform/chart-linter');
    expect(list.scores).toHaveLength(list.items.length);
    const scores = list.scores ?? [];
    for (let i = 1; i < scores.length; i++) expect(scores[i - 1]).toBeGreaterThanOrEqual(scores[i]!);
    expect(scores[0]).toBeGreaterThan(scores[1]!);
  });

  it('matches prefixes and small typos, and drops stop words', async () => {
    expect(keysOf(await get('q=transl'))).toEqual(['team-a/twin-one', 'team-a/twin-two', 'team-b/twin']);
    expect(keysOf(await get('q=namespcae%20spend'))[0]).toBe('finops/cost-analyst');
    expect(keysOf(await get('q=the%20cost%20of%20my%20namespaces'))).toEqual(['finops/cost-analyst']);
  });

  it('orders equal scores by namespace/name, the same way on every request', async () => {
    const first = await get('q=documents');
    expect(keysOf(first)).toEqual(['team-a/twin-one', 'team-a/twin-two', 'team-b/twin']);
    expect(new Set(first.scores).size).toBe(1);
    for (let i = 0; i < 5; i++) expect(keysOf(await get('q=documents'))).toEqual(keysOf(first));
  });

  it('pages a ranked list with continue: the pages concatenate to the whole ranked list', async () => {
    const whole = await get('q=documents%20helm%20cost');
    expect(whole.items.length).toBeGreaterThan(3);
    const paged: string[] = [];
    const scores: number[] = [];
    let token: string | undefined;
    do {
      const page = await get(`q=documents%20helm%20cost&limit=2${token ? `&continue=${token}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      paged.push(...keysOf(page));
      scores.push(...(page.scores ?? []));
      token = page.metadata.continue;
    } while (token);
    expect(paged).toEqual(keysOf(whole));
    expect(scores).toEqual(whole.scores);
  });

  it('keeps the other filters working alongside q, and rejects a token of another query', async () => {
    expect(keysOf(await get('q=documents&namespace=team-a'))).toEqual(['team-a/twin-one', 'team-a/twin-two']);
    expect(keysOf(await get('q=helm&tag=quality'))).toEqual(['platform/chart-linter']);
    const unranked = await get('limit=1');
    expect(unranked.scores).toBeUndefined();
    const response = await fetch(
      `${server.url}${API}/cards?q=documents&limit=1&continue=${unranked.metadata.continue}`,
    );
    expect(response.status).toBe(400);
    // A q without any word filters nothing and ranks nothing.
    const blank = await get('q=%20%21%20');
    expect(blank.items).toHaveLength(6);
    expect(blank.scores).toBeUndefined();
  });

  it('updates the index live with the store', async () => {
    expect((await get('q=kafka')).items).toEqual([]);
    await writeFile(
      join(dir, 'kafka.json'),
      manifest('data', 'kafka-ops', 'Consumer lag and topics.', [{ id: 'lag', name: 'Kafka lag' }]),
    );
    await eventually(async () => expect(keysOf(await get('q=kafka'))).toEqual(['data/kafka-ops']));
    await writeFile(join(dir, 'kafka.json'), manifest('data', 'kafka-ops', 'Consumer lag and partitions.'));
    await eventually(async () => expect((await get('q=kafka%20topics')).items).toHaveLength(1));
    await eventually(async () => expect((await get('q=topics')).items).toEqual([]));
    await rm(join(dir, 'kafka.json'));
    await eventually(async () => expect((await get('q=kafka')).items).toEqual([]));
  });
});
