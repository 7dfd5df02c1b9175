import { parseAgentCard, type AgentCard } from '@agent-registry/crds';
import { validateA2ACard } from '@agent-registry/a2a-translator';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ListToolsRequestSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { officialA2ASchema } from '@agent-registry/testing';
import { describe, expect, it } from 'vitest';
import { cardFromMcpServer, MCP_PROTOCOL_LABEL } from '../cardFromMcpServer.js';
import { newClient } from './support/mcpClient.js';
import { sampleMcpServer } from './support/sampleMcpServer.js';
import { serveMcpServer } from './support/serveMcpServer.js';

const schema = officialA2ASchema();
/** ajv's errors against the official A2A 0.3.0 AgentCard; never [] when the schema is unavailable. */
const officialErrors = (card: unknown): unknown[] =>
  schema.available ? schema.agentCardErrors(card) : [schema.reason];

async function overHttp<T>(
  use: (url: string, client: ReturnType<typeof newClient>) => Promise<T>,
): Promise<T> {
  const running = await serveMcpServer(sampleMcpServer());
  const client = newClient();
  try {
    const url = `${running.url}/mcp`;
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    return await use(url, client);
  } finally {
    await client.close();
    await running.close();
  }
}

function expectSampleSkills(card: AgentCard): void {
  expect(card.spec.skills).toEqual([
    {
      id: 'get_weather',
      name: 'Get weather',
      description: 'Current weather for a city',
      tags: ['mcp-tool', 'read-only', 'open-world'],
      examples: ['What is the weather in Paris?', 'Is it raining in Lyon?'],
      inputModes: ['application/json'],
      outputModes: ['application/json'],
    },
    {
      id: 'delete_file',
      name: 'Delete a file',
      description: 'Deletes a file',
      tags: ['mcp-tool', 'destructive', 'idempotent', 'closed-world'],
      inputModes: ['application/json'],
      outputModes: ['text/plain'],
    },
    {
      id: 'undocumented',
      name: 'undocumented',
      description: 'undocumented (the MCP server gives no description)',
      tags: ['mcp-tool'],
      inputModes: ['application/json'],
      outputModes: ['text/plain'],
    },
    {
      id: 'prompt:summarize',
      name: 'Summarize a forecast',
      description: 'Turns a forecast into one sentence',
      tags: ['mcp-prompt'],
    },
  ]);
}

describe('cardFromMcpServer', () => {
  it('describes an MCP server reached over Streamable HTTP as a valid AgentCard and A2A 0.3.0 card', async () => {
    const { card, warnings } = await overHttp((url, client) =>
      cardFromMcpServer(client, { name: 'weather-tools', namespace: 'tools', url }),
    );
    expect(parseAgentCard(card).ok).toBe(true);
    expect(card.metadata).toMatchObject({
      name: 'weather-tools',
      namespace: 'tools',
      labels: { [MCP_PROTOCOL_LABEL]: 'mcp' },
      annotations: {
        'agent-registry.dev/mcp-server-name': 'weather-tools',
        'agent-registry.dev/mcp-server-version': '2.4.1',
      },
    });
    expect(card.spec.endpoints).toHaveLength(1);
    expect(card.spec.metadata).toEqual({
      description: 'Weather forecasts and file housekeeping.',
      version: '2.4.1',
      preferredTransport: 'MCP',
      'capabilities.streaming': 'false',
      documentationUrl: 'https://weather.example.com/docs',
    });
    expectSampleSkills(card);
    expect(warnings).toEqual(['tool "undocumented" has no description; the card says so']);

    const publicCard = card.spec.publicCard!;
    expect(validateA2ACard(publicCard, '0.3.0')).toMatchObject({ ok: true, issues: [] });
    expect(publicCard).toMatchObject({
      name: 'weather-tools',
      description: 'Weather forecasts and file housekeeping.',
      version: '2.4.1',
      url: card.spec.endpoints![0],
      preferredTransport: 'MCP',
      protocolVersion: '0.3.0',
      capabilities: { streaming: false },
    });
  });

  it('renders A2A 1.0 when asked, with the MCP endpoint as the interface', async () => {
    const { card } = await overHttp((url, client) =>
      cardFromMcpServer(client, {
        name: 'weather',
        url,
        a2aVersion: '1.0',
        description: 'Weather as a service',
      }),
    );
    expect(card.metadata.namespace).toBeUndefined();
    expect(card.spec.a2aVersion).toBe('1.0');
    const publicCard = card.spec.publicCard!;
    expect(validateA2ACard(publicCard, '1.0')).toMatchObject({ ok: true, issues: [] });
    expect(publicCard.description).toBe('Weather as a service');
    expect(publicCard.supportedInterfaces).toEqual([
      { url: card.spec.endpoints![0], protocolBinding: 'MCP', protocolVersion: '1.0' },
    ]);
  });

  it('gives the same card over an in-memory transport', async () => {
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await sampleMcpServer().connect(serverTransport);
    const client = newClient();
    await client.connect(clientTransport);
    const { card } = await cardFromMcpServer(client, {
      name: 'weather-tools',
      url: 'http://weather.tools.svc/mcp',
    });
    await client.close();
    expectSampleSkills(card);
  });

  it.skipIf(!schema.available)('makes a public card valid against the official A2A schema', async () => {
    const { card } = await overHttp((url, client) =>
      cardFromMcpServer(client, { name: 'weather-tools', namespace: 'tools', url }),
    );
    expect(officialErrors(card.spec.publicCard)).toEqual([]);
  });

  it('publishes no public card without a URL to reach the server at (the registry serves one)', async () => {
    const { card, warnings } = await overHttp((_url, client) =>
      cardFromMcpServer(client, { name: 'weather-tools' }),
    );
    expect(card.spec.publicCard).toBeUndefined();
    expect(warnings).toContain('no url given: the card has no endpoint');
  });

  it('reads every page of tools, and no prompts from a server without them', async () => {
    const tools: Tool[] = Array.from({ length: 7 }, (_, index) => ({
      name: `tool_${index}`,
      description: `Tool number ${index}`,
      inputSchema: { type: 'object' },
    }));
    const server = new Server({ name: 'paged', version: '1.0.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, (request) => {
      const start = Number(request.params?.cursor ?? 0);
      const next = start + 3;
      return {
        tools: tools.slice(start, next),
        ...(next < tools.length ? { nextCursor: String(next) } : {}),
      };
    });
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await server.connect(serverTransport);
    const client = newClient();
    await client.connect(clientTransport);
    const { card, warnings } = await cardFromMcpServer(client, {
      name: 'paged',
      url: 'http://paged.example/mcp',
    });
    await client.close();
    expect(card.spec.skills?.map((skill) => skill.id)).toEqual(tools.map((tool) => tool.name));
    expect(card.spec.metadata?.description).toBe('MCP server paged');
    expect(warnings).toEqual([]);
  });

  it('stops at a repeated cursor instead of looping forever', async () => {
    const server = new Server({ name: 'loop', version: '1.0.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: [{ name: 'same', description: 'Again', inputSchema: { type: 'object' as const } }],
      nextCursor: 'again',
    }));
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await server.connect(serverTransport);
    const client = newClient();
    await client.connect(clientTransport);
    const { card, warnings } = await cardFromMcpServer(client, {
      name: 'loop',
      url: 'http://loop.example/mcp',
    });
    await client.close();
    expect(warnings[0]).toMatch(/repeated the tools cursor "again"/);
    expect(warnings[1]).toBe('the server lists "same" more than once; the card keeps the first');
    expect(card.spec.skills?.map((skill) => skill.id)).toEqual(['same']);
    expect(validateA2ACard(card.spec.publicCard, '0.3.0').ok).toBe(true);
  });

  it('rejects bad options and an unconnected client with clear errors', async () => {
    const client = newClient();
    await expect(cardFromMcpServer(client, { name: 'Not_A_Name', url: 'http://x.example/' })).rejects.toThrow(
      /name "Not_A_Name" must be a DNS-1123 subdomain/,
    );
    await expect(
      cardFromMcpServer(client, { name: 'ok', namespace: 'a.b', url: 'http://x.example/' }),
    ).rejects.toThrow(/namespace "a.b" must be a DNS-1123 label/);
    await expect(cardFromMcpServer(client, { name: 'ok', url: 'ftp://x.example/' })).rejects.toThrow(
      /url "ftp:\/\/x.example\/" must be an absolute http\(s\) URL/,
    );
    await expect(cardFromMcpServer(client, { name: 'ok', url: 'http://x.example/' })).rejects.toThrow(
      /not connected/,
    );
  });
});
