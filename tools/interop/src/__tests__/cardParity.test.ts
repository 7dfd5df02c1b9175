import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repositoryRoot } from '@agent-registry/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpus, type CorpusCard } from '../corpus.js';
import { startRegistry, type RegistryProcess } from '../registryProcess.js';

const API = '/api/v1alpha1/registry';
/** What each surface is asked: no version (the card both generations read), then each version. */
const VERSIONS = [undefined, '1.0', '0.3'] as const;
/** An Accept header the fast path leaves to Hono (it takes only a simple one): the same route, the other code. */
const HONO_ONLY_ACCEPT = 'application/json;q=0.9, */*;q=0.1';

type ListSkillsResult = { skills: { id: string; agents: { namespace: string; name: string }[] }[] };

/**
 * One card, one place: for every card of `examples/` and of the interop corpus, every surface the
 * registry serves a card on gives the same bytes for the same version — REST `/a2a` and the
 * well-known URL, each through the fast path and through Hono, MCP `get_agent_card` and the
 * `agentcard://` resource — and every skill id `list_skills` names finds its agents through the
 * REST `skill` filter and through `search_agents`. Signing is off (no keys), as the registry starts.
 */
describe('every surface serves the same card', () => {
  let workDir: string;
  let registry: RegistryProcess;
  let cards: CorpusCard[];
  let mcp: Client;
  const expectedCorpus = corpus();
  const keyOf = (card: CorpusCard) => `${card.namespace}/${card.name}`;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'card-parity-'));
    const manifests = join(workDir, 'manifests');
    await cp(join(repositoryRoot, 'examples'), join(manifests, 'examples'), { recursive: true });
    for (const [path, text] of Object.entries(expectedCorpus.files)) {
      await mkdir(dirname(join(manifests, path)), { recursive: true });
      await writeFile(join(manifests, path), text);
    }
    registry = await startRegistry(manifests);
    const list = (await (await fetch(`${registry.url}${API}/cards?limit=1000`)).json()) as {
      items: { metadata: { namespace: string; name: string } }[];
    };
    cards = list.items.map(({ metadata }) => ({ namespace: metadata.namespace, name: metadata.name }));
    mcp = new Client({ name: 'card-parity', version: '1.0.0' });
    await mcp.connect(new StreamableHTTPClientTransport(new URL(`${registry.url}/mcp`)));
  });

  afterAll(async () => {
    await mcp?.close();
    await registry?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('covers examples/ and the corpus (at least 40 varied cards)', () => {
    expect(expectedCorpus.cards.length).toBeGreaterThanOrEqual(40);
    expect(cards).toEqual(expect.arrayContaining(expectedCorpus.cards));
    expect(cards.length).toBeGreaterThan(expectedCorpus.cards.length);
  });

  async function restBody(url: string, version: string | undefined, accept?: string): Promise<string> {
    const headers: Record<string, string> = {};
    if (version !== undefined) headers['a2a-version'] = version;
    if (accept !== undefined) headers.accept = accept;
    const response = await fetch(url, { headers });
    expect(response.status, url).toBe(200);
    return response.text();
  }

  it('gives byte-identical JSON for the same version on REST, well-known, fast path, MCP tool and resource', async () => {
    const differences: unknown[] = [];
    for (const card of cards) {
      const a2a = `${registry.url}${API}/cards/${card.namespace}/${card.name}/a2a`;
      const wellKnown = `${registry.url}/agents/${card.namespace}/${card.name}/.well-known/agent-card.json`;
      for (const version of VERSIONS) {
        const tool = await mcp.callTool({
          name: 'get_agent_card',
          arguments: {
            namespace: card.namespace,
            name: card.name,
            ...(version ? { a2aVersion: version } : {}),
          },
        });
        expect(tool.isError, `${keyOf(card)} ${version}`).toBeFalsy();
        const surfaces: Record<string, string> = {
          rest: await restBody(a2a, version),
          restViaHono: await restBody(a2a, version, HONO_ONLY_ACCEPT),
          wellKnown: await restBody(wellKnown, version),
          wellKnownViaHono: await restBody(wellKnown, version, HONO_ONLY_ACCEPT),
          mcpTool: JSON.stringify((tool.structuredContent as { card: unknown }).card),
        };
        if (version === undefined) {
          const read = await mcp.readResource({ uri: `agentcard://${card.namespace}/${card.name}` });
          surfaces.mcpResource = (read.contents[0] as { text: string }).text;
        }
        const distinct = new Set(Object.values(surfaces));
        if (distinct.size !== 1) differences.push({ card: keyOf(card), version, surfaces });
      }
    }
    expect(differences).toEqual([]);
  });

  it('finds the agents of every skill id list_skills names, by the REST skill filter and by search_agents', async () => {
    const listed = (await mcp.callTool({ name: 'list_skills', arguments: {} }))
      .structuredContent as ListSkillsResult;
    expect(listed.skills.length).toBeGreaterThan(10);
    const misses: unknown[] = [];
    for (const skill of listed.skills) {
      const expected = skill.agents.map((agent) => `${agent.namespace}/${agent.name}`).sort();
      const rest = (await (
        await fetch(`${registry.url}${API}/cards?limit=1000&skill=${encodeURIComponent(skill.id)}`)
      ).json()) as { items: { metadata: { namespace: string; name: string } }[] };
      const viaRest = rest.items.map(({ metadata }) => `${metadata.namespace}/${metadata.name}`);
      const viaSearch: string[] = [];
      let token: string | undefined;
      do {
        const result = await mcp.callTool({
          name: 'search_agents',
          arguments: { skill: skill.id, limit: 100, ...(token ? { continue: token } : {}) },
        });
        const page = result.structuredContent as {
          agents: { namespace: string; name: string }[];
          continue?: string;
        };
        viaSearch.push(...page.agents.map((agent) => `${agent.namespace}/${agent.name}`));
        token = page.continue;
      } while (token);
      // A skill id may also be another skill's name: the filter then finds more agents, never fewer.
      const missingRest = expected.filter((key) => !viaRest.includes(key));
      const missingSearch = expected.filter((key) => !viaSearch.includes(key));
      if (missingRest.length > 0 || missingSearch.length > 0)
        misses.push({ skill: skill.id, missingRest, missingSearch });
    }
    expect(misses).toEqual([]);
  });

  it("lists every skill of every card's A2A document, whatever its source (typed skills, capability strings, a stored card)", async () => {
    const listed = (await mcp.callTool({ name: 'list_skills', arguments: {} }))
      .structuredContent as ListSkillsResult;
    for (const card of cards) {
      const document = JSON.parse(
        await restBody(`${registry.url}${API}/cards/${card.namespace}/${card.name}/a2a`, undefined),
      ) as { skills?: { id: string }[] };
      for (const { id } of document.skills ?? []) {
        const skill = listed.skills.find((entry) => entry.id === id);
        expect(skill?.agents, `${keyOf(card)} skill ${id}`).toContainEqual(card);
      }
    }
  });
});
