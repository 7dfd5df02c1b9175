import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateA2ACard } from '@agent-registry/a2a-translator';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  ResourceListChangedNotificationSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { card, eventually, startExampleServer } from './helpers.js';

type Server = Awaited<ReturnType<typeof startExampleServer>>;
type Summary = { namespace: string; name: string; wellKnownUrl?: string };

const adapterDir = fileURLToPath(new URL('../../../../packages/mcp-adapter/', import.meta.url));
const adapterCli = join(adapterDir, 'src/cli.ts');
// tsx resolves workspace packages to their sources through this tsconfig, as vitest's aliases do.
const adapterTsconfig = join(adapterDir, 'src/__tests__/support/tsconfig.cli.json');

const newClient = () => new Client({ name: 'registry-mcp-test', version: '1.0.0' });

async function connectHttp(url: string, token?: string): Promise<Client> {
  const client = newClient();
  await client.connect(
    new StreamableHTTPClientTransport(new URL('/mcp', url), {
      requestInit: token ? { headers: { authorization: `Bearer ${token}` } } : undefined,
    }),
  );
  return client;
}

function text(result: unknown): string {
  const content = (result as CallToolResult).content[0];
  if (content?.type !== 'text') throw new Error('expected text content');
  return content.text;
}

const agentsOf = (result: unknown): Summary[] =>
  ((result as CallToolResult).structuredContent as { agents: Summary[] }).agents;

/** Counts `notifications/resources/list_changed` on a client. */
function countListChanged(client: Client): { readonly count: number } {
  const counter = { count: 0 };
  client.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
    counter.count++;
  });
  return counter;
}

/** Waits until the count has not moved for `quietMs` (initial bursts settle), then returns it. */
async function settled(counter: { readonly count: number }, quietMs = 400): Promise<number> {
  for (;;) {
    const before = counter.count;
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    if (counter.count === before) return before;
  }
}

describe('MCP over Streamable HTTP against the registry', () => {
  let server: Server;
  let client: Client;
  beforeAll(async () => {
    // Links carry the registry's URL only from a trusted origin: here the Host the tests connect to.
    server = await startExampleServer({ allowedHosts: ['127.0.0.1'] });
    client = await connectHttp(server.url);
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it('lists the four tools with input and output schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'get_agent_card',
      'health_summary',
      'list_skills',
      'search_agents',
    ]);
    for (const tool of tools) {
      expect(tool.inputSchema.type, tool.name).toBe('object');
      expect(tool.outputSchema?.type, tool.name).toBe('object');
      expect(tool.description, tool.name).toBeTruthy();
    }
    const search = tools.find((tool) => tool.name === 'search_agents');
    expect(Object.keys(search?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['query', 'text', 'skill', 'tag', 'namespace', 'health', 'limit']),
    );
  });

  it('search_agents ranks by `query` with a score per agent, best first, as REST does', async () => {
    const result = await client.callTool({
      name: 'search_agents',
      arguments: { query: 'which agent can explain a failed pipeline run' },
    });
    const agents = agentsOf(result) as (Summary & { score?: number; health: string; lastSeen?: string })[];
    expect(agents[0]).toMatchObject({ namespace: 'team-data', name: 'pipeline-monitor' });
    const scores = agents.map((agent) => agent.score as number);
    expect(scores.every((score) => typeof score === 'number' && score > 0)).toBe(true);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const rest = (await (
      await server.get(
        `/api/v1alpha1/registry/cards?q=${encodeURIComponent('which agent can explain a failed pipeline run')}&limit=20`,
      )
    ).json()) as { items: { metadata: { name: string } }[]; scores: number[] };
    expect(agents.map((agent) => agent.name)).toEqual(rest.items.map((item) => item.metadata.name));
    expect(scores).toEqual(rest.scores);
    // Without a query: no scores; every summary says its health, and lastSeen when the card has one.
    const all = agentsOf(await client.callTool({ name: 'search_agents', arguments: {} })) as (Summary & {
      score?: number;
      health: string;
    })[];
    expect(all.every((agent) => agent.score === undefined && typeof agent.health === 'string')).toBe(true);
  });

  it('health_summary counts agents by health and namespace, as GET /health does', async () => {
    const result = await client.callTool({ name: 'health_summary', arguments: {} });
    expect(result.isError).toBeFalsy();
    const summary = result.structuredContent as Record<string, unknown>;
    const rest = (await (await server.get('/api/v1alpha1/registry/health')).json()) as Record<
      string,
      unknown
    >;
    expect(summary).toEqual({
      total: rest.total,
      health: rest.health,
      namespaces: rest.namespaces,
      truncated: false,
    });
    expect(summary.total).toBe(7);
    const data = await client.callTool({ name: 'health_summary', arguments: { namespace: 'team-data' } });
    expect((data.structuredContent as { namespaces: { namespace: string }[] }).namespaces).toEqual([
      expect.objectContaining({ namespace: 'team-data', total: 4 }),
    ]);
  });

  it('search_agents finds example agents by text and namespace', async () => {
    const all = await client.callTool({ name: 'search_agents', arguments: {} });
    expect(all.isError).toBeFalsy();
    expect(agentsOf(all)).toHaveLength(7);
    const sql = await client.callTool({ name: 'search_agents', arguments: { text: 'sql' } });
    expect(agentsOf(sql).map((a) => `${a.namespace}/${a.name}`)).toContain('team-data/sql-analyst');
    expect(agentsOf(sql).find((a) => a.name === 'sql-analyst')?.wellKnownUrl).toBe(
      `${server.url}/agents/team-data/sql-analyst/.well-known/agent-card.json`,
    );
    const platform = await client.callTool({
      name: 'search_agents',
      arguments: { namespace: 'team-platform', limit: 2 },
    });
    const page = platform.structuredContent as { agents: Summary[]; continue?: string };
    expect(page.agents).toHaveLength(2);
    expect(page.agents.every((a) => a.namespace === 'team-platform')).toBe(true);
    const rest = await client.callTool({
      name: 'search_agents',
      arguments: { namespace: 'team-platform', continue: page.continue },
    });
    expect(agentsOf(rest)).toHaveLength(1);
  });

  it('get_agent_card returns a spec-valid card in either A2A version', async () => {
    for (const a2aVersion of ['0.3.0', '1.0'] as const) {
      const result = await client.callTool({
        name: 'get_agent_card',
        arguments: { namespace: 'team-data', name: 'sql-analyst', a2aVersion },
      });
      expect(result.isError).toBeFalsy();
      const body = result.structuredContent as { a2aVersion: string; card: unknown };
      expect(body.a2aVersion).toBe(a2aVersion);
      expect(validateA2ACard(body.card, a2aVersion)).toMatchObject({ ok: true, issues: [] });
    }
  });

  it('list_skills lists the skills of the examples with their agents', async () => {
    const result = await client.callTool({ name: 'list_skills', arguments: { namespace: 'team-platform' } });
    const { skills, truncated } = result.structuredContent as {
      skills: { id: string; agents: { namespace: string; name: string }[] }[];
      truncated: boolean;
    };
    expect(truncated).toBe(false);
    expect(skills.length).toBeGreaterThan(0);
    expect(skills.flatMap((s) => s.agents).every((a) => a.namespace === 'team-platform')).toBe(true);
    expect(skills.flatMap((s) => s.agents.map((a) => a.name))).toContain('release-manager');
  });

  it('answers bad arguments with clear errors and keeps working', async () => {
    const missing = await client.callTool({ name: 'get_agent_card', arguments: { namespace: 'team-data' } });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toMatch(/Invalid arguments for tool get_agent_card: .* at name/);

    const badLimit = await client.callTool({ name: 'search_agents', arguments: { limit: 0 } });
    expect(badLimit.isError).toBe(true);
    expect(text(badLimit)).toMatch(/must be at least 1 at limit/);

    const extra = await client.callTool({ name: 'list_skills', arguments: { nope: true } });
    expect(extra.isError).toBe(true);
    expect(text(extra)).toMatch(/Invalid arguments for tool list_skills: .*nope/);

    const badVersion = await client.callTool({
      name: 'get_agent_card',
      arguments: { namespace: 'team-data', name: 'sql-analyst', a2aVersion: '9.9' },
    });
    expect(badVersion.isError).toBe(true);
    expect(text(badVersion)).toMatch(
      /A2A version 9\.9 is not supported: supported are 0\.3 and 1\.0 .*at a2aVersion/,
    );

    const unknown = await client.callTool({
      name: 'get_agent_card',
      arguments: { namespace: 'team-data', name: 'no-such-agent' },
    });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toContain('No agent named "no-such-agent" in namespace "team-data"');

    const badToken = await client.callTool({ name: 'search_agents', arguments: { continue: 'garbage' } });
    expect(badToken.isError).toBe(true);
    expect(text(badToken)).toMatch(/could not search agents/);

    await expect(client.callTool({ name: 'no_such_tool', arguments: {} })).resolves.toMatchObject({
      isError: true,
    });
    // Still serving.
    expect(agentsOf(await client.callTool({ name: 'search_agents', arguments: {} }))).toHaveLength(7);
  });

  it('serves every card as an agentcard:// resource with a valid A2A document', async () => {
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toContain('agentcard://team-data/sql-analyst');
    expect(resources).toHaveLength(7);
    for (const resource of resources) {
      const read = await client.readResource({ uri: resource.uri });
      const content = read.contents[0] as { text: string; mimeType: string };
      expect(content.mimeType).toBe('application/json');
      const result = validateA2ACard(JSON.parse(content.text));
      expect(result.issues, resource.uri).toEqual([]);
    }
    await expect(client.readResource({ uri: 'agentcard://team-data/missing' })).rejects.toThrow(
      /No agent named "missing" in namespace "team-data"/,
    );
  });

  it('sends resources/list_changed when a manifest file changes', async () => {
    const listChanged = countListChanged(client);
    const before = await settled(listChanged);
    const file = join(server.dir, 'team-data', 'mcp-newcomer.yaml');
    await writeFile(file, card('team-data', 'mcp-newcomer', 'Arrived during the MCP test'));
    await eventually(() => expect(listChanged.count).toBeGreaterThan(before), 10_000);
    const found = await client.callTool({ name: 'search_agents', arguments: { text: 'arrived during' } });
    expect(agentsOf(found).map((a) => a.name)).toEqual(['mcp-newcomer']);

    const afterAdd = await settled(listChanged);
    await rm(file);
    await eventually(() => expect(listChanged.count).toBeGreaterThan(afterAdd), 10_000);
    expect(agentsOf(await client.callTool({ name: 'search_agents', arguments: {} }))).toHaveLength(7);
  });
});

describe('agent-registry-mcp (stdio) against the real registry', { timeout: 30_000 }, () => {
  let server: Server;
  let client: Client;
  let stderr = '';
  let listChanged: { readonly count: number };
  beforeAll(async () => {
    server = await startExampleServer();
    client = newClient();
    listChanged = countListChanged(client);
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', adapterCli, '--registry-url', server.url],
      cwd: adapterDir,
      env: { ...getDefaultEnvironment(), TSX_TSCONFIG_PATH: adapterTsconfig },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await client.connect(transport);
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it('does not announce the cards the registry already held as changes', async () => {
    expect(await settled(listChanged, 600)).toBe(0);
  });

  it('lists tools, finds an example agent and returns its valid card', async () => {
    expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual([
      'get_agent_card',
      'health_summary',
      'list_skills',
      'search_agents',
    ]);
    const search = await client.callTool({ name: 'search_agents', arguments: { query: 'helm' } });
    expect(search.isError, stderr).toBeFalsy();
    // Over REST too, each ranked agent carries its score.
    expect(agentsOf(search)).toEqual([
      expect.objectContaining({
        namespace: 'team-platform',
        name: 'release-manager',
        score: expect.any(Number),
        wellKnownUrl: `${server.url}/agents/team-platform/release-manager/.well-known/agent-card.json`,
      }),
    ]);
    const got = await client.callTool({
      name: 'get_agent_card',
      arguments: { namespace: 'team-platform', name: 'release-manager' },
    });
    expect(got.isError, text(got)).toBeFalsy();
    expect(validateA2ACard((got.structuredContent as { card: unknown }).card)).toMatchObject({ ok: true });
    const missing = await client.callTool({
      name: 'get_agent_card',
      arguments: { namespace: 'team-platform', name: 'nobody' },
    });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toContain('No agent named "nobody"');
  });

  it('reads a card resource through the REST API', async () => {
    const read = await client.readResource({ uri: 'agentcard://team-data/sql-analyst' });
    const document = JSON.parse((read.contents[0] as { text: string }).text) as { name: string };
    expect(validateA2ACard(document).issues).toEqual([]);
    expect(document.name).toBeTruthy();
  });

  it('sends resources/list_changed after a manifest file changes (via the SSE watch)', async () => {
    const before = await settled(listChanged);
    const file = join(server.dir, 'team-platform', 'stdio-newcomer.yaml');
    await writeFile(file, card('team-platform', 'stdio-newcomer', 'Seen through the watch'));
    await eventually(() => expect(listChanged.count).toBeGreaterThan(before), 10_000);
    const found = await client.callTool({ name: 'search_agents', arguments: { text: 'seen through' } });
    expect(agentsOf(found).map((a) => a.name)).toEqual(['stdio-newcomer']);
  });
});

describe('MCP with --auth token', () => {
  const ADMIN = 'admin-token-0123456789abcdef';
  const DATA = 'data-token-0123456789abcdef';
  let server: Server;
  beforeAll(async () => {
    const plain = await startExampleServer();
    const tokensFile = join(plain.dir, '..', `mcp-tokens-${process.pid}-${Date.now()}.yaml`);
    await plain.close();
    await writeFile(
      tokensFile,
      `tokens:\n  - {name: admin, token: ${ADMIN}, namespaces: ['*']}\n  - {name: data, token: ${DATA}, namespaces: [team-data]}\n`,
    );
    server = await startExampleServer({ auth: 'token', tokensFile });
    const close = server.close;
    server.close = async () => {
      await close();
      await rm(tokensFile, { force: true });
    };
  });
  afterAll(() => server?.close());

  it('answers /mcp without or with a wrong token with 401', async () => {
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    };
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token-0123456789' }];
    for (const headers of attempts) {
      const response = await server.get('/mcp', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...headers,
        },
        body: JSON.stringify(initialize),
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    await expect(connectHttp(server.url)).rejects.toThrow();
  });

  it('shows a namespace-limited token only its namespace, in tools and resources', async () => {
    const data = await connectHttp(server.url, DATA);
    const admin = await connectHttp(server.url, ADMIN);
    try {
      const seen = agentsOf(await data.callTool({ name: 'search_agents', arguments: {} }));
      expect(seen.length).toBe(4);
      expect(new Set(seen.map((a) => a.namespace))).toEqual(new Set(['team-data']));
      const asked = await data.callTool({ name: 'search_agents', arguments: { namespace: 'team-platform' } });
      expect(agentsOf(asked)).toEqual([]);
      const hidden = await data.callTool({
        name: 'get_agent_card',
        arguments: { namespace: 'team-platform', name: 'release-manager' },
      });
      expect(hidden.isError).toBe(true);
      expect(
        (await data.listResources()).resources.every((r) => r.uri.startsWith('agentcard://team-data/')),
      ).toBe(true);
      await expect(data.readResource({ uri: 'agentcard://team-platform/release-manager' })).rejects.toThrow(
        /No agent named/,
      );
      const skills = (await data.callTool({ name: 'list_skills', arguments: {} })).structuredContent as {
        skills: { agents: { namespace: string }[] }[];
      };
      expect(skills.skills.flatMap((s) => s.agents).every((a) => a.namespace === 'team-data')).toBe(true);
      const health = (await data.callTool({ name: 'health_summary', arguments: {} })).structuredContent as {
        total: number;
        namespaces: { namespace: string }[];
      };
      expect(health.total).toBe(4);
      expect(health.namespaces.map((n) => n.namespace)).toEqual(['team-data']);

      expect(agentsOf(await admin.callTool({ name: 'search_agents', arguments: {} }))).toHaveLength(7);
    } finally {
      await data.close();
      await admin.close();
    }
  });
});
