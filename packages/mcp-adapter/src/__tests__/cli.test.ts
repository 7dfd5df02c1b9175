import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAgentCard } from '@agent-registry/crds';
import { validateA2ACard } from '@agent-registry/a2a-translator';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ResourceListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeCard, sampleCards } from './support/cards.js';
import { newClient, resultText, until } from './support/mcpClient.js';
import { startRestRegistry, type RestRegistryServer } from './support/registryRestServer.js';
import { sampleMcpServer } from './support/sampleMcpServer.js';
import { serveMcpServer } from './support/serveMcpServer.js';

const packageDir = fileURLToPath(new URL('../../', import.meta.url));
const cli = fileURLToPath(new URL('../cli.ts', import.meta.url));
// tsx resolves workspace packages to their sources through this tsconfig, as vitest's aliases do.
const env = { TSX_TSCONFIG_PATH: fileURLToPath(new URL('./support/tsconfig.cli.json', import.meta.url)) };
const nodeArgs = ['--import', 'tsx', cli];

/** The test's own environment, minus settings that would change what the CLI is asked. */
const withoutRegistryEnv = (source: NodeJS.ProcessEnv) =>
  Object.fromEntries(Object.entries(source).filter(([name]) => !name.startsWith('AGENT_REGISTRY_')));

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [...nodeArgs, ...args], {
    cwd: packageDir,
    env: { ...withoutRegistryEnv(process.env), ...env },
    timeout: 30_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );
}

describe('agent-registry-mcp over stdio', { timeout: 60_000 }, () => {
  let registry: RestRegistryServer;
  let client: Client;
  let stderr = '';
  beforeAll(async () => {
    registry = await startRestRegistry(sampleCards(), { token: 'test-token' });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [...nodeArgs, '--registry-url', registry.url, '--token', 'test-token'],
      cwd: packageDir,
      env: { ...getDefaultEnvironment(), ...env },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    client = newClient();
    await client.connect(transport);
  });
  afterAll(async () => {
    await client?.close();
    await registry?.close();
  });

  it('serves the registry tools through the REST API, with the token', async () => {
    expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual([
      'get_agent_card',
      'health_summary',
      'list_skills',
      'search_agents',
    ]);
    const search = await client.callTool({ name: 'search_agents', arguments: { tag: 'travel' } });
    expect((search.structuredContent as { agents: { name: string; wellKnownUrl: string }[] }).agents).toEqual(
      [
        expect.objectContaining({
          name: 'flight-booker',
          wellKnownUrl: `${registry.url}/agents/travel/flight-booker/.well-known/agent-card.json`,
        }),
        expect.objectContaining({ name: 'hotel-finder' }),
      ],
    );
    expect(registry.requests.every((request) => request.authorization === 'Bearer test-token')).toBe(true);

    const card = await client.callTool({
      name: 'get_agent_card',
      arguments: { namespace: 'tools', name: 'translator', a2aVersion: '1.0' },
    });
    expect(validateA2ACard((card.structuredContent as { card: unknown }).card, '1.0').ok).toBe(true);

    const unknown = await client.callTool({
      name: 'get_agent_card',
      arguments: { namespace: 'tools', name: 'nope' },
    });
    expect(unknown.isError).toBe(true);
    expect(resultText(unknown)).toMatch(/No agent named "nope" in namespace "tools"/);
    const invalid = await client.callTool({ name: 'search_agents', arguments: { limit: 1000 } });
    expect(invalid.isError).toBe(true);
    expect(resultText(invalid)).toMatch(/must be at most 100 at limit/);
  });

  it('reads cards as resources and relays registry changes as list_changed', async () => {
    const read = await client.readResource({ uri: 'agentcard://travel/flight-booker' });
    expect(JSON.parse((read.contents[0] as { text: string }).text)).toMatchObject({ name: 'flight-booker' });

    let listChanged = 0;
    client.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
      listChanged++;
    });
    await until(() => registry.watchCount === 1, 'the CLI to watch the registry');
    registry.upsert(makeCard({ namespace: 'ops', name: 'pager' }));
    await until(() => listChanged >= 1, 'list_changed');
    const { resources } = await client.listResources();
    expect(resources.map((resource) => resource.uri)).toContain('agentcard://ops/pager');
    expect(stderr).toContain('serving');
  });
});

describe('agent-registry-mcp card', { timeout: 60_000 }, () => {
  it('prints the AgentCard manifest of a Streamable HTTP MCP server as YAML, warnings on stderr', async () => {
    const running = await serveMcpServer(sampleMcpServer());
    try {
      const url = `${running.url}/mcp`;
      const { code, stdout, stderr } = await runCli([
        'card',
        '--mcp-url',
        url,
        '--name',
        'weather',
        '--namespace',
        'tools',
      ]);
      expect(stderr).toContain('warning: tool "undocumented" has no description');
      expect(code).toBe(0);
      expect(stdout).not.toMatch(/[&*]a\d/); // no YAML anchors in a manifest people read
      const manifest = parse(stdout) as unknown;
      const parsed = parseAgentCard(manifest);
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      expect(parsed.value.metadata).toMatchObject({ name: 'weather', namespace: 'tools' });
      expect(parsed.value.spec.endpoints).toEqual([url]);
      expect(parsed.value.spec.skills?.map((skill) => skill.id)).toEqual([
        'get_weather',
        'delete_file',
        'undocumented',
        'prompt:summarize',
      ]);
      expect(validateA2ACard(parsed.value.spec.publicCard, '0.3.0').issues).toEqual([]);
    } finally {
      await running.close();
    }
  });

  it('describes a stdio MCP server started with --command', async () => {
    const server = fileURLToPath(new URL('./support/sampleMcpServerStdio.ts', import.meta.url));
    const { code, stdout, stderr } = await runCli([
      'card',
      '--command',
      `"${process.execPath}" --import tsx "${server}"`,
      '--url',
      'http://weather.tools.svc:3000/mcp',
      '--name',
      'weather',
      '--a2a-version',
      '1.0',
    ]);
    expect(stderr).not.toContain('could not connect');
    expect(code).toBe(0);
    const manifest = parse(stdout) as { spec: { publicCard: unknown; endpoints: string[] } };
    expect(manifest.spec.endpoints).toEqual(['http://weather.tools.svc:3000/mcp']);
    expect(validateA2ACard(manifest.spec.publicCard, '1.0').ok).toBe(true);
  });

  it('exits 2 with a clear message for bad usage, and 1 when the server is unreachable', async () => {
    const [missing, both, unknown, noUrl, unreachable] = await Promise.all([
      runCli(['card', '--mcp-url', 'http://127.0.0.1:9/mcp']),
      runCli(['card', '--name', 'x']),
      runCli(['--registry-url', 'http://127.0.0.1:9', '--bogus']),
      runCli([]),
      runCli(['card', '--mcp-url', 'http://127.0.0.1:9/mcp', '--name', 'x']),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--name NAME is required');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give exactly one of --mcp-url URL and --command');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--bogus'");
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain('--registry-url URL (or AGENT_REGISTRY_URL) is required');
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('could not connect to the MCP server at http://127.0.0.1:9/mcp');
    expect(unreachable.stdout).toBe('');
  });
});
