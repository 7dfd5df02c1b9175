import { request } from 'node:http';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, eventually, json, startExampleServer } from './helpers.js';

type Server = Awaited<ReturnType<typeof startExampleServer>>;

const manifest = (
  name: string,
  description: string,
  endpoint?: string,
): string => `apiVersion: kagent.dev/v1alpha1
kind: AgentCard
metadata:
  name: ${name}
  namespace: team-data
spec:
${endpoint ? `  endpoints: [${endpoint}]\n` : ''}  metadata:
    description: ${description}
`;

/** A GET with an arbitrary Host header (fetch does not let one set it). */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The shortcuts of the hot GET routes answer exactly as the general paths would. */
describe('hot-path shortcuts', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startExampleServer();
  });
  afterAll(() => server.close());

  it('lists the same bytes as each card GET, also after a card changes', async () => {
    const file = join(server.dir, 'team-data', 'hot.yaml');
    for (const description of ['First version', 'Second version']) {
      await writeFile(file, manifest('hot-card', description, 'https://hot.example.com/a2a'));
      const listed = await eventually(async () => {
        const text = await (await server.get(`${API}/cards?namespace=team-data`)).text();
        expect(text).toContain(description);
        return text;
      });
      const items = (JSON.parse(listed) as { items: { metadata: { name: string } }[] }).items;
      expect(listed).toBe(JSON.stringify(JSON.parse(listed)));
      for (const item of items) {
        const single = await (await server.get(`${API}/cards/team-data/${item.metadata.name}`)).text();
        expect(JSON.stringify(item)).toBe(single);
      }
    }
  });

  it("renders an endpoint-less card's fallback URL from an allowed Host only, else relative", async () => {
    const guarded = await startExampleServer({ allowedHosts: ['registry.example.com'] });
    try {
      await writeFile(join(guarded.dir, 'team-data', 'hostless.yaml'), manifest('hostless', 'No endpoint'));
      const path = `${API}/cards/team-data/hostless/a2a`;
      await eventually(async () => expect((await guarded.get(path)).status).toBe(200));
      const expected: [string, string][] = [
        ['registry.example.com:8443', 'http://registry.example.com:8443/agents/team-data/hostless'],
        ['other.example.com:9000', '/agents/team-data/hostless'],
        ['registry.example.com:8443', 'http://registry.example.com:8443/agents/team-data/hostless'],
      ];
      for (const [host, url] of expected) {
        const response = await getWithHost(guarded.url + path, host);
        expect(response.status).toBe(200);
        expect(JSON.parse(response.body)).toMatchObject({ url });
      }
    } finally {
      await guarded.close();
    }
  });

  it('still documents the parameters of the routes that validate by hand first', async () => {
    const spec = await json<{ paths: Record<string, { get?: { parameters?: { name: string }[] } }> }>(
      await server.get('/openapi.json'),
    );
    const parameters = (path: string): string[] =>
      (spec.paths[path]?.get?.parameters ?? []).map((parameter) => parameter.name);
    expect(parameters(`${API}/cards/{namespace}/{name}/a2a`)).toEqual(
      expect.arrayContaining(['namespace', 'name', 'a2aVersion']),
    );
    expect(parameters(`${API}/cards/{namespace}/{name}`)).toEqual(
      expect.arrayContaining(['namespace', 'name']),
    );
    expect(parameters('/agents/{namespace}/{name}/.well-known/agent-card.json')).toEqual(
      expect.arrayContaining(['namespace', 'name']),
    );
  });

  it('rejects bad parameters with the schema’s own message on the shortcut routes', async () => {
    const response = await server.get(`${API}/cards/Team_Data/x/a2a`);
    expect(response.status).toBe(400);
    expect((await json(response)).message).toMatch(/^invalid path: namespace: must be a DNS-1123 label/);
  });
});
