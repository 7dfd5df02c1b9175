import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { staticPrincipal, type Authenticator } from '../auth/types.js';
import { API, startExampleServer } from './helpers.js';

type Server = Awaited<ReturnType<typeof startExampleServer>>;

async function connect(url: string, token: string): Promise<Client> {
  const client = new Client({ name: 'registry-mcp-auth-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL('/mcp', url), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

async function namespacesSeen(client: Client): Promise<string[]> {
  const result = (await client.callTool({ name: 'search_agents', arguments: {} })) as CallToolResult;
  const agents = (result.structuredContent as { agents: { namespace: string }[] }).agents;
  return [...new Set(agents.map((agent) => agent.namespace))].sort();
}

describe('/mcp visibility per principal', () => {
  let server: Server | undefined;
  const clients: Client[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close().catch(() => undefined);
    await server?.close();
    server = undefined;
  });

  it('does not share an MCP server between two principals that only share a name', async () => {
    const principals = new Map([
      ['data-token-0123456789abcdef', staticPrincipal('ci', ['team-data'], 'data')],
      ['platform-token-0123456789ab', staticPrincipal('ci', ['team-platform'], 'platform')],
    ]);
    const authenticator: Authenticator = {
      mode: 'token',
      authenticate: async (token) => (token ? principals.get(token) : undefined),
      close: async () => undefined,
    };
    server = await startExampleServer({ authenticator });
    const data = await connect(server.url, 'data-token-0123456789abcdef');
    const platform = await connect(server.url, 'platform-token-0123456789ab');
    clients.push(data, platform);
    expect(await namespacesSeen(data)).toEqual(['team-data']);
    expect(await namespacesSeen(platform)).toEqual(['team-platform']);
  });

  it('drops MCP sessions when the tokens file changes what a token may see', async () => {
    const TOKEN = 'ci-token-0123456789abcdef';
    const setup = await startExampleServer();
    const tokensFile = join(setup.dir, '..', `tokens-mcp-${Date.now()}.yaml`);
    await setup.close();
    const write = (namespace: string) =>
      writeFile(tokensFile, `tokens:\n  - {name: ci, token: ${TOKEN}, namespaces: [${namespace}]}\n`);
    await write('team-data');
    server = await startExampleServer({ auth: 'token', tokensFile });
    const before = await connect(server.url, TOKEN);
    clients.push(before);
    expect(await namespacesSeen(before)).toEqual(['team-data']);

    await write('team-platform');
    const running = server;
    await expect
      .poll(
        async () => {
          const response = await running.get(`${API}/cards`, {
            headers: { authorization: `Bearer ${TOKEN}` },
          });
          const list = (await response.json()) as { items: { metadata: { namespace: string } }[] };
          return [...new Set(list.items.map((card) => card.metadata.namespace))];
        },
        { timeout: 3000 },
      )
      .toEqual(['team-platform']);

    // The session opened under the old tokens must not go on showing team-data.
    const stale = await namespacesSeen(before).catch((error: unknown) => error);
    expect(stale).toBeInstanceOf(Error);
    const after = await connect(server.url, TOKEN);
    clients.push(after);
    expect(await namespacesSeen(after)).toEqual(['team-platform']);
  });
});
