import { validateA2ACard } from '@agent-registry/a2a-translator';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  McpError,
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentCard } from '@agent-registry/crds';
import { createMcpHttpHandler, type McpHttpHandler, type McpHttpHandlerOptions } from '../mcpHttpHandler.js';
import type { CardQuery, RegistryReader } from '../registryReader.js';
import { makeCard, sampleCards } from './support/cards.js';
import { MemoryRegistry } from './support/memoryRegistry.js';
import { newClient, resultText, until } from './support/mcpClient.js';
import { serveWeb, type RunningServer } from './support/webServer.js';

interface Fixture {
  registry: MemoryRegistry;
  handler: McpHttpHandler;
  http: RunningServer;
  connect(): Promise<{ client: Client; transport: StreamableHTTPClientTransport }>;
  close(): Promise<void>;
}

async function start(mode: 'sync' | 'async', options: McpHttpHandlerOptions = {}): Promise<Fixture> {
  const registry = new MemoryRegistry(sampleCards(), mode);
  const handler = createMcpHttpHandler(registry, { listChangedDebounceMs: 20, ...options });
  // The client is named by an `x-client` header here (the registry uses the address or principal).
  const http = await serveWeb((request) =>
    handler.handle(request, { client: request.headers.get('x-client') ?? 'one' }),
  );
  const clients: Client[] = [];
  return {
    registry,
    handler,
    http,
    async connect() {
      const client = newClient();
      const transport = new StreamableHTTPClientTransport(new URL(`${http.url}/mcp`));
      await client.connect(transport);
      clients.push(client);
      return { client, transport };
    },
    async close() {
      await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
      await handler.close();
      await http.close();
    },
  };
}

describe.each(['async', 'sync'] as const)('the registry over MCP Streamable HTTP (%s reader)', (mode) => {
  let fixture: Fixture;
  let client: Client;
  beforeAll(async () => {
    fixture = await start(mode);
    ({ client } = await fixture.connect());
  });
  afterAll(() => fixture.close());

  it('lists four tools, each with input and output schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'get_agent_card',
      'health_summary',
      'list_skills',
      'search_agents',
    ]);
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
      expect(tool.annotations?.readOnlyHint).toBe(true);
    }
    const search = tools.find((tool) => tool.name === 'search_agents');
    expect(Object.keys(search?.inputSchema.properties ?? {}).sort()).toEqual(
      ['continue', 'health', 'limit', 'namespace', 'query', 'skill', 'tag', 'text', 'verified'].sort(),
    );
    expect(search?.inputSchema.additionalProperties).toBe(false);
  });

  it('search_agents returns compact summaries as structured content and the same JSON as text', async () => {
    const result = await client.callTool({ name: 'search_agents', arguments: { namespace: 'travel' } });
    expect(result.isError).toBeFalsy();
    const content = result.structuredContent as { agents: Record<string, unknown>[] };
    expect(JSON.parse(resultText(result))).toEqual(content);
    expect(content.agents).toEqual([
      {
        namespace: 'travel',
        name: 'flight-booker',
        description: 'Books flights between airports',
        skills: ['Book flight', 'Translate'],
        health: 'Healthy',
        url: 'http://flight-booker.travel.svc:8080/',
        wellKnownUrl: `${fixture.http.url}/agents/travel/flight-booker/.well-known/agent-card.json`,
      },
      {
        namespace: 'travel',
        name: 'hotel-finder',
        description: 'Finds hotel rooms',
        skills: ['Find hotel'],
        health: 'Unhealthy',
        url: 'http://hotel-finder.travel.svc:8080/',
        wellKnownUrl: `${fixture.http.url}/agents/travel/hotel-finder/.well-known/agent-card.json`,
      },
    ]);
  });

  it('search_agents filters by text, skill, tag and health, and pages with continue', async () => {
    const names = async (args: Record<string, unknown>) => {
      const result = await client.callTool({ name: 'search_agents', arguments: args });
      const { agents, continue: token } = result.structuredContent as {
        agents: { name: string }[];
        continue?: string;
      };
      return { names: agents.map((agent) => agent.name), token };
    };
    expect((await names({ text: 'HOTEL' })).names).toEqual(['hotel-finder']);
    expect((await names({ query: 'HOTEL' })).names).toEqual(['hotel-finder']);
    expect((await names({ query: 'hotel', text: 'flight' })).names).toEqual(['hotel-finder']);
    expect((await names({ skill: 'translate' })).names).toEqual(['translator', 'flight-booker']);
    expect((await names({ tag: 'nlp' })).names).toEqual(['translator']);
    expect((await names({ health: 'Unknown' })).names).toEqual(['translator']);
    const first = await names({ limit: 2 });
    expect(first.names).toHaveLength(2);
    expect(first.token).toBeDefined();
    expect((await names({ limit: 2, continue: first.token })).names).toHaveLength(1);
  });

  it('health_summary counts agents by health, in total and per namespace', async () => {
    const result = await client.callTool({ name: 'health_summary', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({
      total: 3,
      health: { Healthy: 1, Unhealthy: 1, Unknown: 1 },
      namespaces: [
        { namespace: 'tools', total: 1, health: { Healthy: 0, Unhealthy: 0, Unknown: 1 } },
        { namespace: 'travel', total: 2, health: { Healthy: 1, Unhealthy: 1, Unknown: 0 } },
      ],
      truncated: false,
    });
    const travel = await client.callTool({ name: 'health_summary', arguments: { namespace: 'travel' } });
    expect((travel.structuredContent as { total: number }).total).toBe(2);
  });

  it('rejects invalid arguments with messages that name the argument and what it must be', async () => {
    const failures: [Record<string, unknown>, RegExp][] = [
      [{ limit: 0 }, /must be at least 1 at limit/],
      [{ limit: 2.5 }, /must be an integer at limit/],
      [{ health: 'Sick' }, /must be one of "Healthy", "Unhealthy", "Unknown" at health/],
      [{ namespace: 42 }, /must be a string \(a Kubernetes namespace\) at namespace/],
      [{ txt: 'typo' }, /txt/],
    ];
    for (const [args, message] of failures) {
      const result = await client.callTool({ name: 'search_agents', arguments: args });
      expect(result.isError, JSON.stringify(args)).toBe(true);
      expect(resultText(result)).toMatch(/Invalid arguments for tool search_agents/);
      expect(resultText(result)).toMatch(message);
    }
    const missing = await client.callTool({ name: 'get_agent_card', arguments: { namespace: 'travel' } });
    expect(missing.isError).toBe(true);
    expect(resultText(missing)).toMatch(/at name/);
    const version = await client.callTool({
      name: 'get_agent_card',
      arguments: { namespace: 'travel', name: 'hotel-finder', a2aVersion: '2.0' },
    });
    expect(resultText(version)).toMatch(
      /A2A version \d+\.\d+ is not supported: supported are 0.3 and 1.0.* at a2aVersion/,
    );
  });

  it('a registry error (bad continue token) is a tool error, not a crash', async () => {
    const result = await client.callTool({ name: 'search_agents', arguments: { continue: 'garbage' } });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toMatch(/could not search agents: invalid continue token/);
    expect((await client.listTools()).tools).toHaveLength(4);
  });

  it('get_agent_card returns a valid A2A card in the version asked for', async () => {
    // Any spelling parseA2AVersion reads (Major.Minor, a patch ignored), as the REST routes take it.
    for (const [asked, a2aVersion] of [
      ['0.3.0', '0.3.0'],
      ['0.3', '0.3.0'],
      ['1.0', '1.0'],
      ['1.0.2', '1.0'],
    ] as const) {
      const result = await client.callTool({
        name: 'get_agent_card',
        arguments: { namespace: 'travel', name: 'flight-booker', a2aVersion: asked },
      });
      expect(result.isError).toBeFalsy();
      const content = result.structuredContent as { a2aVersion: string; card: Record<string, unknown> };
      expect(content.a2aVersion).toBe(a2aVersion);
      expect(validateA2ACard(content.card, a2aVersion)).toMatchObject({ ok: true, issues: [] });
      expect(content.card.name).toBe('flight-booker');
      expect(JSON.parse(resultText(result))).toEqual(content);
    }
    const own = await client.callTool({
      name: 'get_agent_card',
      arguments: { namespace: 'travel', name: 'hotel-finder' },
    });
    // No version named: the card both generations read, as REST serves it (and no a2aVersion).
    const unnamed = own.structuredContent as { a2aVersion?: string; card: Record<string, unknown> };
    expect(unnamed.a2aVersion).toBeUndefined();
    expect(validateA2ACard(unnamed.card, '0.3.0')).toMatchObject({ ok: true, issues: [] });
    expect(unnamed.card.supportedInterfaces).toBeInstanceOf(Array);
  });

  it('get_agent_card of an unknown agent is an isError result that says what to do', async () => {
    const result = await client.callTool({
      name: 'get_agent_card',
      arguments: { namespace: 'travel', name: 'ghost' },
    });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toBe(
      'No agent named "ghost" in namespace "travel". Use search_agents to find the names of registered agents.',
    );
  });

  it('list_skills groups skills with the agents offering them', async () => {
    const result = await client.callTool({ name: 'list_skills', arguments: {} });
    const { skills, truncated } = result.structuredContent as {
      skills: { id: string; tags: string[]; agents: { namespace: string; name: string }[] }[];
      truncated: boolean;
    };
    expect(truncated).toBe(false);
    expect(skills.map((skill) => skill.id)).toEqual(['book-flight', 'find-hotel', 'translate']);
    const translate = skills.find((skill) => skill.id === 'translate');
    expect(translate?.agents).toEqual([
      { namespace: 'tools', name: 'translator' },
      { namespace: 'travel', name: 'flight-booker' },
    ]);
    expect(translate?.tags.sort()).toEqual(['language', 'nlp']);
    const tagged = await client.callTool({
      name: 'list_skills',
      arguments: { tag: 'travel', namespace: 'travel' },
    });
    expect(
      (tagged.structuredContent as { skills: { id: string }[] }).skills.map((skill) => skill.id),
    ).toEqual(['book-flight', 'find-hotel']);
  });

  it('lists and reads each card as an agentcard:// resource', async () => {
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((template) => template.uriTemplate)).toEqual([
      'agentcard://{namespace}/{name}',
    ]);
    const { resources } = await client.listResources();
    expect(resources.map((resource) => resource.uri).sort()).toEqual([
      'agentcard://tools/translator',
      'agentcard://travel/flight-booker',
      'agentcard://travel/hotel-finder',
    ]);
    expect(resources.find((r) => r.uri === 'agentcard://tools/translator')).toMatchObject({
      name: 'tools/translator',
      description: 'Translates between languages',
      mimeType: 'application/json',
    });
    const read = await client.readResource({ uri: 'agentcard://travel/hotel-finder' });
    const content = read.contents[0] as { text: string; mimeType: string };
    expect(content.mimeType).toBe('application/json');
    const card = JSON.parse(content.text) as Record<string, unknown>;
    // The card both generations read: valid 0.3, with the 1.0 interfaces beside it.
    expect(validateA2ACard(card, '0.3.0').ok).toBe(true);
    expect(card.supportedInterfaces).toBeInstanceOf(Array);
    expect(card.name).toBe('hotel-finder');
  });

  it('reading an unknown card is a resource-not-found MCP error', async () => {
    const failure = await client
      .readResource({ uri: 'agentcard://travel/ghost' })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(McpError);
    expect((failure as McpError).code).toBe(-32002);
    expect((failure as McpError).message).toMatch(/No agent named "ghost" in namespace "travel"/);
  });

  it('completes namespaces and names of the resource template', async () => {
    const namespaces = await client.complete({
      ref: { type: 'ref/resource', uri: 'agentcard://{namespace}/{name}' },
      argument: { name: 'namespace', value: 'tr' },
    });
    expect(namespaces.completion.values).toEqual(['travel']);
    const names = await client.complete({
      ref: { type: 'ref/resource', uri: 'agentcard://{namespace}/{name}' },
      argument: { name: 'name', value: 'h' },
      context: { arguments: { namespace: 'travel' } },
    });
    expect(names.completion.values).toEqual(['hotel-finder']);
  });
});

describe('notifications over the GET SSE stream', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await start('async');
  });
  afterAll(() => fixture.close());

  it('sends one debounced resources/list_changed after a burst of changes, and resources/updated for subscribed cards', async () => {
    const { client } = await fixture.connect();
    let listChanged = 0;
    const updated: string[] = [];
    client.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
      listChanged++;
    });
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => {
      updated.push(notification.params.uri);
    });
    expect(client.getServerCapabilities()?.resources).toEqual({ listChanged: true, subscribe: true });
    await client.subscribeResource({ uri: 'agentcard://tools/translator' });
    // Let the client's GET stream open before changing anything.
    await new Promise((resolve) => setTimeout(resolve, 200));

    fixture.registry.upsert(makeCard({ namespace: 'ops', name: 'pager', description: 'Pages people' }));
    fixture.registry.upsert(makeCard({ namespace: 'tools', name: 'translator', description: 'Now better' }));
    await until(() => listChanged === 1 && updated.length === 1, 'the notifications');
    expect(updated).toEqual(['agentcard://tools/translator']);
    const { resources } = await client.listResources();
    expect(resources.map((resource) => resource.uri)).toContain('agentcard://ops/pager');

    await client.unsubscribeResource({ uri: 'agentcard://tools/translator' });
    fixture.registry.delete('ops', 'pager');
    fixture.registry.upsert(makeCard({ namespace: 'tools', name: 'translator' }));
    await until(() => listChanged === 2, 'the second list_changed');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(listChanged).toBe(2);
    expect(updated).toHaveLength(1);
  });
});

describe('sessions', () => {
  it('ends a session on DELETE and drops its registry subscription', async () => {
    const fixture = await start('async');
    try {
      const { transport } = await fixture.connect();
      expect(fixture.handler.sessionCount).toBe(1);
      expect(fixture.registry.listenerCount).toBe(1);
      await transport.terminateSession();
      await until(() => fixture.handler.sessionCount === 0, 'the session to end');
      await until(() => fixture.registry.listenerCount === 0, 'the subscription to end');
    } finally {
      await fixture.close();
    }
  });

  it('answers 404 for an unknown session and 400 for a GET without one', async () => {
    const fixture = await start('async');
    try {
      const unknown = await fetch(`${fixture.http.url}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-session-id': 'no-such-session',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(
        /Session not found/,
      );
      const get = await fetch(`${fixture.http.url}/mcp`, { headers: { accept: 'text/event-stream' } });
      expect(get.status).toBe(400);
      await get.body?.cancel();
      // A request that is not initialize opens no session and leaves no subscription behind.
      const stray = await fetch(`${fixture.http.url}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      expect(stray.status).toBe(400);
      await stray.body?.cancel();
      expect(fixture.handler.sessionCount).toBe(0);
      expect(fixture.registry.listenerCount).toBe(0);
    } finally {
      await fixture.close();
    }
  });

  it('gives each session the reader registryFor picks from its initialize request', async () => {
    const opsOnly = new MemoryRegistry([makeCard({ namespace: 'ops', name: 'pager' })]);
    const fixture = await start('async', {
      registryFor: (request) =>
        request.headers.get('authorization') === 'Bearer ops' ? opsOnly : fixture.registry,
    });
    try {
      const client = newClient();
      const transport = new StreamableHTTPClientTransport(new URL(`${fixture.http.url}/mcp`), {
        requestInit: { headers: { authorization: 'Bearer ops' } },
      });
      await client.connect(transport);
      const scoped = await client.callTool({ name: 'search_agents', arguments: {} });
      expect((scoped.structuredContent as { agents: { name: string }[] }).agents.map((a) => a.name)).toEqual([
        'pager',
      ]);
      await client.close();
      const { client: anyone } = await fixture.connect();
      const all = await anyone.callTool({ name: 'search_agents', arguments: {} });
      expect((all.structuredContent as { agents: unknown[] }).agents).toHaveLength(3);
    } finally {
      await fixture.close();
    }
  });

  it('keeps at most maxSessionsPerClient per client, closing its least recently used', async () => {
    const fixture = await start('async', { maxSessionsPerClient: 2 });
    try {
      const first = await fixture.connect();
      const second = await fixture.connect();
      await first.client.listTools(); // first is now the most recently used
      await fixture.connect();
      expect(fixture.handler.sessionCount).toBe(2);
      await until(() => fixture.registry.listenerCount === 2, 'the evicted subscription to end');
      await expect(first.client.listTools()).resolves.toBeDefined();
      await expect(second.client.listTools()).rejects.toThrow(/404|Session not found/);
    } finally {
      await fixture.close();
    }
  });

  it("refuses a session beyond maxSessions (429) instead of closing another client's", async () => {
    const fixture = await start('async', { maxSessions: 2 });
    try {
      const first = await fixture.connect();
      const second = await fixture.connect();
      const initialize = {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'other', version: '1' },
        },
      };
      const refused = await fetch(`${fixture.http.url}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'x-client': 'another',
        },
        body: JSON.stringify(initialize),
      });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('30');
      expect(fixture.handler.sessionCount).toBe(2);
      await expect(first.client.listTools()).resolves.toBeDefined();
      await expect(second.client.listTools()).resolves.toBeDefined();
    } finally {
      await fixture.close();
    }
  });

  it('closes idle sessions, and close() ends every session', async () => {
    const fixture = await start('async', { sessionIdleTimeoutMs: 300 });
    try {
      await fixture.connect();
      await until(() => fixture.handler.sessionCount === 0, 'the idle session to close', 3000);
      await fixture.connect();
      await fixture.connect();
      expect(fixture.handler.sessionCount).toBe(2);
      await fixture.handler.close();
      expect(fixture.handler.sessionCount).toBe(0);
      expect(fixture.registry.listenerCount).toBe(0);
      const after = await fetch(`${fixture.http.url}/mcp`, { method: 'POST', body: '{}' });
      expect(after.status).toBe(503);
    } finally {
      await fixture.close();
    }
  });
});

describe('search_agents over a ranking registry', () => {
  it('passes each agent its score and lastSeen, in the order the registry ranked them', async () => {
    const [flight, hotel, translator] = sampleCards();
    const seen = { ...hotel, status: { health: 'Healthy', lastSeen: '2026-01-02T03:04:05Z' } } as AgentCard;
    const queries: CardQuery[] = [];
    const reader: RegistryReader = {
      list: (query) => {
        queries.push(query);
        return query.q
          ? { items: [seen, flight as AgentCard], scores: [2.5, 0.75] }
          : { items: [flight, seen, translator] as AgentCard[] };
      },
      get: () => undefined,
    };
    const handler = createMcpHttpHandler(reader);
    const http = await serveWeb((request) => handler.handle(request, { client: 'one' }));
    const client = newClient();
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(`${http.url}/mcp`)));
      const ranked = await client.callTool({
        name: 'search_agents',
        arguments: { query: 'hotel near airport' },
      });
      const agents = (ranked.structuredContent as { agents: Record<string, unknown>[] }).agents;
      expect(queries.at(-1)?.q).toBe('hotel near airport');
      expect(agents.map((agent) => [agent.name, agent.score, agent.lastSeen])).toEqual([
        ['hotel-finder', 2.5, '2026-01-02T03:04:05Z'],
        ['flight-booker', 0.75, undefined],
      ]);
      const plain = await client.callTool({ name: 'search_agents', arguments: {} });
      const unranked = (plain.structuredContent as { agents: Record<string, unknown>[] }).agents;
      expect(unranked.every((agent) => !('score' in agent))).toBe(true);
    } finally {
      await client.close();
      await handler.close();
      await http.close();
    }
  });
});
