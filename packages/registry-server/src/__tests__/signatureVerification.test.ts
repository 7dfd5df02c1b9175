import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toA2ACard } from '@agent-registry/a2a-translator';
import {
  publicJwks,
  signA2ACard,
  toSigningKey,
  verifyA2ACard,
  type SigningKey,
} from '@agent-registry/card-signing';
import type { AgentCard, Condition } from '@agent-registry/crds';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { base64url } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { A2ARenderer } from '../a2aRenderer.js';
import { silentLogger } from '../logger.js';
import { startServer, type RunningServer } from '../server.js';
import { API, names } from './helpers.js';

const NAMESPACE = 'travel';
const PUBLIC_URL = 'https://registry.example.com';

const privateKey = () => generateKeyPairSync('ed25519').privateKey;

/** The A2A 0.3 card an agent publishes, as the translator renders it from a spec. */
function publishedCard(name: string): Record<string, unknown> {
  const result = toA2ACard(
    {
      metadata: { name, namespace: NAMESPACE },
      spec: {
        endpoints: [`https://${name}.travel.example.com/a2a`],
        capabilities: ['routes'],
        metadata: { description: `The ${name} agent` },
      },
    },
    { a2aVersion: '0.3.0' },
  );
  if (!result.ok) throw new Error('the sample card does not render');
  return result.card;
}

const agentCard = (name: string, publicCard: Record<string, unknown>) => ({
  apiVersion: 'kagent.dev/v1alpha1',
  kind: 'AgentCard',
  metadata: { name, namespace: NAMESPACE },
  spec: {
    a2aVersion: '0.3.0',
    endpoints: [`https://${name}.travel.example.com/a2a`],
    capabilities: ['routes'],
    metadata: { description: `The ${name} agent` },
    publicCard,
  },
});

const conditionOf = (card: AgentCard): Condition | undefined =>
  card.status?.conditions?.find((condition) => condition.type === 'SignatureVerified');

const kidsOf = (card: { signatures?: { protected: string }[] }): unknown[] =>
  (card.signatures ?? []).map(
    (entry) =>
      (JSON.parse(new TextDecoder().decode(base64url.decode(entry.protected))) as { kid?: unknown }).kid,
  );

describe('publisher signatures verified by the embedded store (--trusted-jwks)', () => {
  let dir: string;
  let publisher: SigningKey;
  let server: RunningServer;
  let untrusting: RunningServer;
  let guarded: RunningServer;
  let keyServer: Server;
  const get = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'registry-verified-'));
    const manifests = join(dir, 'manifests');
    await mkdir(manifests);
    publisher = await toSigningKey(privateKey(), { kid: 'publisher-1' });
    const stranger = await toSigningKey(privateKey(), { kid: 'stranger' });
    const signed = await signA2ACard(publishedCard('signed'), publisher);
    const tampered = await signA2ACard(publishedCard('tampered'), publisher);
    tampered.description = 'changed after signing';
    const foreign = await signA2ACard(publishedCard('foreign'), stranger);
    // A publisher whose keys are not in the trusted set, only at its jku on an allowed origin.
    const remote = await toSigningKey(privateKey(), { kid: 'remote-1' });
    keyServer = createServer((_request, response) => response.end(JSON.stringify(publicJwks([remote]))));
    await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
    const keyOrigin = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}`;
    const byJku = await signA2ACard(publishedCard('by-jku'), remote, { jku: `${keyOrigin}/jwks.json` });
    const documents = [
      agentCard('signed', signed),
      agentCard('tampered', tampered),
      agentCard('foreign', foreign),
      agentCard('by-jku', byJku),
      agentCard('unsigned', publishedCard('unsigned')),
    ];
    for (const document of documents) {
      await writeFile(join(manifests, `${document.metadata.name}.json`), JSON.stringify(document));
    }
    const trusted = join(dir, 'trusted.jwks');
    await writeFile(trusted, JSON.stringify(publicJwks([publisher])));
    const registryKey = join(dir, 'registry.jwk');
    await writeFile(
      registryKey,
      JSON.stringify({ ...(privateKey().export({ format: 'jwk' }) as object), kid: 'registry-1' }),
    );
    const tokens = join(dir, 'tokens.yaml');
    await writeFile(tokens, "tokens:\n  - {name: admin, token: admin-token-0123456789, namespaces: ['*']}\n");
    const common = {
      host: '127.0.0.1',
      port: 0,
      manifests,
      logger: silentLogger,
      rateLimit: 0,
      ui: false,
      publicUrl: PUBLIC_URL,
    } as const;
    [server, untrusting, guarded] = await Promise.all([
      startServer({
        ...common,
        trustedJwksFiles: [trusted],
        trustedJkuOrigins: [keyOrigin],
        ...common,
        signingKeyFiles: [registryKey],
      }),
      startServer(common),
      startServer({ ...common, signingKeyFiles: [registryKey], auth: 'token', tokensFile: tokens }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([server, untrusting, guarded].map((running) => running?.close()));
    keyServer?.closeAllConnections();
    keyServer?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const cardOf = async (name: string): Promise<AgentCard> =>
    (await (await get(`${API}/cards/${NAMESPACE}/${name}`)).json()) as AgentCard;

  it('sets SignatureVerified on each card: True, False with the reason, Unknown when unsigned', async () => {
    expect(conditionOf(await cardOf('signed'))).toMatchObject({
      status: 'True',
      reason: 'Verified',
      message: 'verified by key "publisher-1"',
    });
    expect(conditionOf(await cardOf('tampered'))).toMatchObject({ status: 'False', reason: 'BadSignature' });
    expect(conditionOf(await cardOf('foreign'))).toMatchObject({ status: 'False', reason: 'UnknownKey' });
    expect(conditionOf(await cardOf('unsigned'))).toMatchObject({ status: 'Unknown', reason: 'Unsigned' });
    expect(conditionOf(await cardOf('by-jku'))).toMatchObject({
      status: 'True',
      message: 'verified by key "remote-1"',
    });
    for (const name of ['signed', 'tampered', 'foreign', 'unsigned']) {
      expect(conditionOf(await cardOf(name))?.lastTransitionTime).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
      );
    }
  });

  it('without trusted keys, signatures are not judged: no condition', async () => {
    const response = await fetch(`${untrusting.url}${API}/cards/${NAMESPACE}/signed`);
    expect(conditionOf((await response.json()) as AgentCard)).toBeUndefined();
  });

  it('?verified=true lists only verified cards; a failed signature is listed, never as verified', async () => {
    const list = async (query: string) =>
      names((await (await get(`${API}/cards${query}`)).json()) as { items: AgentCard[] });
    expect(await list('?verified=true')).toEqual(['travel/by-jku', 'travel/signed']);
    expect(await list('?verified=false')).toEqual(['travel/foreign', 'travel/tampered', 'travel/unsigned']);
    expect(await list('')).toHaveLength(5);
    expect(await list('?verified=true&q=tampered')).toEqual([]);
    const bad = await get(`${API}/cards?verified=yes`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('verified');
  });

  it('a continue token of a ?verified list is refused by a list without it', async () => {
    const first = (await (await get(`${API}/cards?verified=false&limit=1`)).json()) as {
      metadata: { continue?: string };
    };
    const token = first.metadata.continue;
    expect(token).toBeDefined();
    expect((await get(`${API}/cards?limit=1&continue=${token}`)).status).toBe(400);
    expect((await get(`${API}/cards?verified=false&limit=1&continue=${token}`)).status).toBe(200);
  });

  it('MCP search_agents takes `verified` (official SDK client)', async () => {
    const client = new Client({ name: 'verified-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', server.url)));
    try {
      const search = async (args: Record<string, unknown>) =>
        (
          ((await client.callTool({ name: 'search_agents', arguments: args })) as CallToolResult)
            .structuredContent as { agents: { name: string }[] }
        ).agents.map((agent) => agent.name);
      expect((await search({ verified: true })).sort()).toEqual(['by-jku', 'signed']);
      expect((await search({ verified: false })).sort()).toEqual(['foreign', 'tampered', 'unsigned']);
      expect(await search({ verified: true, query: 'signed' })).toEqual(['signed']);
      const refused = (await client.callTool({
        name: 'search_agents',
        arguments: { verified: 'yes' },
      })) as CallToolResult;
      expect(refused.isError).toBe(true);
    } finally {
      await client.close();
    }
  });

  it("the stored card served as is keeps the publisher's signature beside the registry's", async () => {
    const served = (await (
      await get(`/agents/${NAMESPACE}/signed/.well-known/agent-card.json?A2A-Version=0.3.0`)
    ).json()) as { signatures?: { protected: string }[] };
    expect(kidsOf(served)).toEqual(['publisher-1', 'registry-1']);
    const byPublisher = await verifyA2ACard(served, publicJwks([publisher]));
    expect(byPublisher.verifiedKids).toEqual(['publisher-1']);
  });

  it("a card the registry changed (another version) drops the publisher's signature, with a warning", async () => {
    const served = (await (
      await get(`/agents/${NAMESPACE}/signed/.well-known/agent-card.json?A2A-Version=1.0`)
    ).json()) as { signatures?: { protected: string }[] };
    expect(kidsOf(served)).toEqual(['registry-1']);
    const stored = await cardOf('signed');
    const rendered = new A2ARenderer().render(stored, '1.0', PUBLIC_URL);
    expect(rendered.warnings.some((warning) => warning.startsWith('signatures: dropped'))).toBe(true);
    expect(new A2ARenderer().render(stored, '0.3.0', PUBLIC_URL).warnings).toEqual([]);
  });

  it('the OpenAPI document describes `verified`', async () => {
    const openapi = (await (await get('/openapi.json')).json()) as {
      paths: Record<string, { get: { parameters?: { name: string; in: string; schema?: unknown }[] } }>;
    };
    const parameter = openapi.paths[`${API}/cards`]?.get.parameters?.find((p) => p.name === 'verified');
    expect(parameter).toMatchObject({ in: 'query', schema: { enum: ['true', 'false'] } });
  });

  it('/.well-known/jwks.json is public with auth on; the API is not', async () => {
    const jwks = await fetch(`${guarded.url}/.well-known/jwks.json`);
    expect(jwks.status).toBe(200);
    expect(((await jwks.json()) as { keys: { kid: string }[] }).keys.map((key) => key.kid)).toEqual([
      'registry-1',
    ]);
    expect((await fetch(`${guarded.url}${API}/cards`)).status).toBe(401);
    const openapi = (await (await fetch(`${guarded.url}/openapi.json`)).json()) as {
      paths: Record<string, { get: { security?: unknown[] } }>;
    };
    expect(openapi.paths['/.well-known/jwks.json']?.get.security).toEqual([]);
  });
});
